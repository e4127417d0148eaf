from django import forms
from django.utils.translation import gettext_lazy

from connections import addresses
from connections.callback_url import MAX_URL_LENGTH
from portal.lib.environments import Environment


class ConnectionForm(forms.Form):
    """Gambar 19–20: Tipe Koneksi and IP Address. Parses and normalises the address; the
    rules (public only in Production, duplicates, the limit) are the service's."""

    environment = forms.ChoiceField(
        label=gettext_lazy("Tipe Koneksi"),
        choices=Environment.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Pilih tipe koneksi Development atau Production."),
            "invalid_choice": gettext_lazy(
                "Pilih tipe koneksi Development atau Production."
            ),
        },
    )
    address = forms.CharField(
        label=gettext_lazy("IP Address"),
        max_length=64,
        help_text=gettext_lazy(
            "IP publik server yang akan memanggil Open API: satu alamat IPv4 atau "
            "IPv6, atau rentang CIDR (maksimal /24 untuk IPv4 dan /48 untuk IPv6). "
            "IP lokal atau privat hanya untuk Development."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "url"}
        ),
        error_messages={
            "required": gettext_lazy("IP Address wajib diisi."),
            "max_length": gettext_lazy("IP Address terlalu panjang."),
        },
    )

    def clean_address(self) -> str:
        try:
            network = addresses.parse_network(self.cleaned_data["address"])
        except addresses.AddressError as exc:
            raise forms.ValidationError(exc.message) from None
        return addresses.format_network(network)


class CallbackUrlForm(forms.Form):
    """The callback URL of one environment; the rules (https, public host) are the
    service's. Empty turns callbacks off."""

    url = forms.CharField(
        label=gettext_lazy("URL Callback"),
        required=False,
        max_length=MAX_URL_LENGTH,
        help_text=gettext_lazy(
            "Alamat server Anda yang menerima hasil akhir transaksi pending (POST JSON). "
            "Production wajib https://. Kosongkan untuk menonaktifkan callback."
        ),
        widget=forms.URLInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": "https://api.domain-anda.co.id/callback",
            }
        ),
        error_messages={
            "max_length": gettext_lazy(
                "URL callback maksimal %(limit_value)d karakter."
            ),
        },
    )
