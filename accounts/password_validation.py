"""Django's password validators, worded as the manual words it: "Password", never "Sandi".

Django's own Indonesian catalogue says "kata sandi"; the manual, every label of the portal and
its emails say "Password". The checks are Django's; only the messages are ours.
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "Password terlalu pendek. Minimal %d karakter.",
            "Password terlalu pendek. Minimal %d karakter.",
            self.min_length,
        ) % (self.min_length,)

    def get_help_text(self):
        return ngettext(
            "Password minimal %(min_length)d karakter.",
            "Password minimal %(min_length)d karakter.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(
    password_validation.UserAttributeSimilarityValidator
):
    def get_error_message(self):
        return _("Password terlalu mirip dengan %(verbose_name)s.")

    def get_help_text(self):
        return _("Password tidak boleh mirip dengan data pribadi Anda.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("Password ini terlalu umum.")

    def get_help_text(self):
        return _("Password tidak boleh password yang umum dipakai.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("Password tidak boleh hanya berisi angka.")

    def get_help_text(self):
        return _("Password tidak boleh hanya berisi angka.")
