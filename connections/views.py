from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from accounts.models import Partner
from connections import selectors, services
from connections.forms import CallbackUrlForm, ConnectionForm
from connections.models import (
    MAX_ENTRIES_PER_ENVIRONMENT,
    CallbackDelivery,
    Connection,
)
from connections.tasks import CALLBACK_MAX_ATTEMPTS, callback_retry_delay
from portal.lib.access import (
    Level,
    Menu,
    PartnerRequiredMixin,
    has_right,
    partner_required,
)
from portal.lib.client_ip import client_ip
from portal.lib.environments import Environment
from portal.lib.params import param_id


def _inactive_message(partner: Partner) -> str:
    return _(
        "IP Address dapat didaftarkan setelah akun Anda Aktif (status saat ini: "
        "%(status)s). Lengkapi data profil dan tunggu verifikasi."
    ) % {"status": partner.get_status_display()}


def _own_entry(request, pk: int) -> Connection:
    """The partner's own entry; another partner's (or a deleted one) is a 404."""
    return get_object_or_404(
        Connection.objects.not_deleted(), pk=pk, partner=request.partner
    )


class ConnectionListView(PartnerRequiredMixin, ListView):
    """Gambar 17 and 21: the whitelist entries with IP Address, Kategori and Status."""

    menu = Menu.KONEKSI
    level = Level.VIEW
    paginate_by = 10
    template_name = "connections/list.html"
    context_object_name = "connections"

    def get_queryset(self):
        return selectors.connection_list(partner=self.request.partner)

    def get_context_data(self, **kwargs):
        partner = self.request.partner
        context = super().get_context_data(**kwargs)
        context.update(
            partner=partner,
            partner_active=partner.status == Partner.Status.ACTIVE,
            inactive_message=_inactive_message(partner),
            can_change=has_right(self.request.user, Menu.KONEKSI, Level.CHANGE),
            counts=selectors.connection_counts(partner=partner),
            max_entries=MAX_ENTRIES_PER_ENVIRONMENT,
            has_approved=selectors.has_approved_entry(partner=partner),
        )
        return context


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_http_methods(["GET", "POST"])
def connection_add(request):
    """Gambar 18–20: Tipe Koneksi + IP Address, Simpan."""
    partner = request.partner
    if partner.status != Partner.Status.ACTIVE:
        messages.warning(request, _inactive_message(partner))
        return redirect("connections:list")
    form = ConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_create(
                partner=partner,
                environment=form.cleaned_data["environment"],
                address=form.cleaned_data["address"],
                actor=request.user,
                ip=client_ip(request),
            )
        except services.ConnectionEntryError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Data berhasil disimpan"))
            return redirect("connections:list")
    return render(request, "connections/form.html", {"form": form, "connection": None})


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_http_methods(["GET", "POST"])
def connection_edit(request, pk: int):
    """Correct a rejected entry and submit it again."""
    connection = _own_entry(request, pk)
    if not connection.is_rejected:
        messages.info(
            request,
            _("Hanya entri yang ditolak yang dapat diperbaiki dan diajukan ulang."),
        )
        return redirect("connections:list")
    form = ConnectionForm(
        request.POST or None,
        initial={
            "environment": connection.environment,
            "address": connection.address,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_resubmit(
                connection=connection,
                environment=form.cleaned_data["environment"],
                address=form.cleaned_data["address"],
                actor=request.user,
                ip=client_ip(request),
            )
        except services.ConnectionEntryError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(
                request,
                _("Data berhasil disimpan. IP Address diajukan ulang untuk disetujui."),
            )
            return redirect("connections:list")
    return render(
        request, "connections/form.html", {"form": form, "connection": connection}
    )


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_POST
def connection_delete(request, pk: int):
    """POST only, from a form that asks for confirmation first."""
    connection = _own_entry(request, pk)
    try:
        services.connection_delete(
            connection=connection, actor=request.user, ip=client_ip(request)
        )
    except services.ConnectionEntryError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            _("IP Address %(address)s (%(env)s) berhasil dihapus.")
            % {
                "address": connection.address,
                "env": connection.get_environment_display(),
            },
        )
    return redirect("connections:list")


# Callbacks ----------------------------------------------------------------------------------

CALLBACKS_PER_PAGE = 10


def _environment_or_404(environment: str) -> Environment:
    try:
        return Environment(environment)
    except ValueError:
        raise Http404 from None


def _retry_schedule() -> str:
    """ "30 detik, 1 menit, 2 menit, …": the waits between attempts, for the guide."""
    parts = []
    for retries in range(CALLBACK_MAX_ATTEMPTS - 1):
        seconds = callback_retry_delay(retries)
        if seconds % 60 == 0 and seconds:
            parts.append(_("%(n)d menit") % {"n": seconds // 60})
        else:
            parts.append(_("%(n)d detik") % {"n": seconds})
    return ", ".join(parts)


def _callbacks_page(request, *, bound: dict[str, CallbackUrlForm] | None = None):
    """The Callback page; ``bound`` holds a form that came back with errors."""
    partner = request.partner
    endpoints = selectors.callback_endpoints(partner=partner)
    sections = []
    for environment in Environment:
        endpoint = endpoints[environment.value]
        form = (bound or {}).get(environment.value) or CallbackUrlForm(
            prefix=environment.value,
            initial={"url": endpoint.url if endpoint else ""},
        )
        sections.append(
            {"environment": environment, "endpoint": endpoint, "form": form}
        )
    env_filter = request.GET.get("env", "")
    if env_filter not in Environment.values:
        env_filter = ""
    deliveries = selectors.callback_deliveries(partner=partner, environment=env_filter)
    page_obj = Paginator(deliveries, CALLBACKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    test_delivery = None
    test_id = param_id(request.GET, "tes")
    if test_id is not None:
        test_delivery = (
            selectors.callback_deliveries(partner=partner)
            .filter(pk=test_id, is_test=True)
            .first()
        )
    return render(
        request,
        "connections/callbacks.html",
        {
            "sections": sections,
            "page_obj": page_obj,
            "deliveries": page_obj.object_list,
            "env_filter": env_filter,
            "environments": Environment,
            "test_delivery": test_delivery,
            "retry_schedule": _retry_schedule(),
            "max_attempts": CALLBACK_MAX_ATTEMPTS,
            "can_change": has_right(request.user, Menu.KONEKSI, Level.CHANGE),
            "has_approved": selectors.has_approved_entry(partner=partner),
        },
    )


@partner_required(Menu.KONEKSI, Level.VIEW)
@require_http_methods(["GET"])
def callback_list(request):
    """URL callback, secret and Kirim tes per environment; the callbacks sent, newest first."""
    return _callbacks_page(request)


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_POST
def callback_url_save(request, environment: str):
    env = _environment_or_404(environment)
    form = CallbackUrlForm(request.POST, prefix=env.value)
    if form.is_valid():
        try:
            services.callback_endpoint_save(
                partner=request.partner,
                environment=env,
                url=form.cleaned_data["url"],
                actor=request.user,
                ip=client_ip(request),
            )
        except services.CallbackError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Data berhasil disimpan"))
            return redirect("connections:callbacks")
    return _callbacks_page(request, bound={env.value: form})


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_POST
def callback_secret_regenerate(request, environment: str):
    env = _environment_or_404(environment)
    try:
        services.callback_secret_regenerate(
            partner=request.partner,
            environment=env,
            actor=request.user,
            ip=client_ip(request),
        )
    except services.CallbackError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Secret callback %(env)s berhasil dibuat ulang. Secret lama tidak "
                "berlaku lagi: perbarui server Anda."
            )
            % {"env": env.label},
        )
    return redirect("connections:callbacks")


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_POST
def callback_test(request, environment: str):
    """Kirim tes: a signed test callback, sent now; the page shows what came back."""
    env = _environment_or_404(environment)
    try:
        attempt = services.callback_send_test(
            partner=request.partner,
            environment=env,
            actor=request.user,
            ip=client_ip(request),
        )
    except services.CallbackError as exc:
        messages.warning(request, exc.message)
        return redirect("connections:callbacks")
    if attempt.ok:
        messages.success(request, _("Tes callback berhasil diterima server Anda."))
    else:
        messages.warning(
            request, _("Tes callback gagal. Lihat jawaban server di bawah.")
        )
    return redirect(
        f"{reverse('connections:callbacks')}?tes={attempt.delivery_id}#hasil-tes"
    )


@partner_required(Menu.KONEKSI, Level.CHANGE)
@require_POST
def callback_resend(request, pk: int):
    """Kirim ulang: one more attempt of a delivered or failed callback."""
    delivery = get_object_or_404(CallbackDelivery, pk=pk, partner=request.partner)
    try:
        services.callback_resend(
            delivery=delivery, actor=request.user, ip=client_ip(request)
        )
    except services.CallbackError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            _("Callback %(reference)s dijadwalkan untuk dikirim ulang.")
            % {"reference": delivery.reference_id},
        )
    return redirect("connections:callbacks")
