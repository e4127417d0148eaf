from django.contrib.auth.backends import ModelBackend

from accounts import services
from portal.lib.client_ip import client_ip


class PhoneOrUsernameBackend(ModelBackend):
    """Authenticate by phone number (any accepted form) or username, through the same lockout
    rules as the portal's login page, so the back-office login cannot be used to get round
    them."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        try:
            user = services.login_verify(
                identifier=username,
                password=password,
                ip=client_ip(request) if request is not None else None,
            )
        except services.AccountError:
            return None
        return user if self.user_can_authenticate(user) else None
