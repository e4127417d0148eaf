from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.lib.access import Level, Menu, has_right, partner_required
from portal.lib.client_ip import client_ip
from portal.lib.uploads import serve_private_file
from profiles import selectors, services
from profiles.activity import activity_changes, activity_title
from profiles.forms import ProfileForm
from profiles.models import WEBREPORT_TITLE

ACTIVITY_PER_PAGE = 20


@require_GET
@partner_required(Menu.PROFIL)
def detail(request):
    """Menu Profil (Gambar 15): everything entered, its review state, Ubah Data."""
    partner = request.partner
    profile = selectors.profile_for_partner(partner)
    initial = selectors.initial_submission(profile)
    change = selectors.pending_change(profile)
    last_change = selectors.last_change(profile)
    return render(
        request,
        "profiles/detail.html",
        {
            "partner": partner,
            "profile": profile,
            "initial": initial,
            "change": change,
            "rejected_change": last_change
            if last_change is not None and last_change.is_rejected
            else None,
            "rows": selectors.profile_rows(profile, change) if profile else [],
            "documents": selectors.document_rows(profile, partner.kind, change),
            "missing": selectors.profile_missing(profile)
            if profile is not None and not profile.is_approved
            else [],
            "can_edit": has_right(request.user, Menu.PROFIL, Level.CHANGE)
            and not (initial is not None and initial.is_pending),
        },
    )


@require_http_methods(["GET", "POST"])
@partner_required(Menu.PROFIL, Level.CHANGE)
def edit(request):
    """ "Lengkapi Data" (Gambar 9) and "Ubah Data" (Gambar 16)."""
    partner = request.partner
    profile = selectors.profile_for_partner(partner)
    initial = selectors.initial_submission(profile)
    if initial is not None and initial.is_pending:
        messages.info(
            request,
            _(
                "Data profil Anda sedang diverifikasi. Perubahan dapat dilakukan setelah "
                "ada hasil verifikasi."
            ),
        )
        return redirect("profiles:detail")
    approved = profile is not None and profile.is_approved
    # Before the first approval "Simpan Draft" keeps a half-filled form; "Simpan" submits.
    submit = approved or request.POST.get("action") != "draft"
    change = selectors.pending_change(profile)
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        partner_kind=partner.kind,
        submit=submit,
        existing_documents=set(selectors.current_documents(profile)),
        initial=selectors.profile_form_initial(profile),
        partner_id=partner.pk,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.profile_save(
                partner=partner,
                actor=request.user,
                data=form.profile_data(),
                documents=form.documents(),
                submit=submit,
                ip=client_ip(request),
            )
        except services.ProfileError as exc:
            form.add_error(None, exc.message)
        else:
            form.kept_uploads_discard()
            if result.submitted:
                return redirect("profiles:submitted")
            if result.waits_for_review:
                messages.success(
                    request,
                    _(
                        "Data berhasil disimpan. Perubahan data legal dan dokumen menunggu "
                        "verifikasi tim kami; data yang sudah disetujui tetap berlaku "
                        "sampai perubahan disetujui."
                    ),
                )
            elif approved:
                messages.success(request, _("Data berhasil disimpan."))
            else:
                messages.success(
                    request,
                    _(
                        "Draft data profil berhasil disimpan. Lengkapi dan pilih Simpan "
                        "untuk mengajukan verifikasi."
                    ),
                )
            return redirect("profiles:detail")
    return render(
        request,
        "profiles/edit.html",
        {
            "partner": partner,
            "profile": profile,
            "form": form,
            "approved": approved,
            "document_fields": _document_fields(form, profile, change),
            "change": change,
            "rejected": initial is not None and initial.is_rejected,
            "initial": initial,
        },
    )


def _document_fields(form, profile, change):
    """Each upload field with what is already stored for it, and the file kept for it from a
    refused submission (None when there is none)."""
    rows = {
        row.kind: row
        for row in selectors.document_rows(profile, form.partner_kind, change)
    }
    kept = form.kept_uploads
    return [
        (field, rows[kind], kept.get(field.name))
        for kind, field in form.document_fields()
    ]


@require_GET
@partner_required(Menu.PROFIL)
def submitted(request):
    """Gambar 10: the data waits for verification (1x24 jam)."""
    return render(request, "profiles/submitted.html", {"partner": request.partner})


@require_GET
@partner_required(Menu.PROFIL)
def activity(request):
    """Aktivitas: the partner's own audit trail, newest first."""
    page = Paginator(
        selectors.partner_activity(request.partner), ACTIVITY_PER_PAGE
    ).get_page(request.GET.get("page"))
    events = [
        {
            "event": e,
            "title": activity_title(e),
            "changes": activity_changes(e, request.partner.kind),
        }
        for e in page.object_list
    ]
    return render(
        request, "profiles/activity.html", {"page_obj": page, "events": events}
    )


@require_GET
def document(request, pk: int):
    """Download a scanned document. Staff (back-office links) and users of the owning partner
    with the PROFIL right may; everyone else, signed in or not, gets 404. No
    ``partner_required`` here: it would send staff away and strangers to the login page."""
    found = selectors.document_for_user(request.user, pk)
    if found is None:
        raise Http404
    return serve_private_file(
        found.file, download_name=f"{found.kind}-{found.partner.code}"
    )


@never_cache
@require_GET
@partner_required(Menu.KREDENSIAL)
def credentials(request):
    return _credentials_page(request)


def _credentials_page(request, revealed=None):
    partner = request.partner
    profile = selectors.profile_for_partner(partner)
    return render(
        request,
        "profiles/credentials.html",
        {
            "partner": partner,
            "webreport_user": profile.webreport_user if profile else None,
            "credentials": selectors.partner_credentials(partner),
            "realm": selectors.digest_realm(),
            "can_rotate": has_right(request.user, Menu.KREDENSIAL, Level.CHANGE),
            "revealed": revealed,
        },
    )


@never_cache
@require_POST
@partner_required(Menu.KREDENSIAL, Level.CHANGE)
def credential_rotate(request, pk: int):
    """Ganti Password of a Transaksi credential; the new password is shown once, here."""
    try:
        credential, password = services.credential_rotate(
            partner=request.partner,
            credential_id=pk,
            actor=request.user,
            ip=client_ip(request),
        )
    except services.ProfileError as exc:
        raise Http404 from exc
    return _credentials_page(
        request,
        {
            "title": credential.title,
            "username": credential.username,
            "password": password,
        },
    )


@never_cache
@require_POST
@partner_required(Menu.KREDENSIAL, Level.CHANGE)
def webreport_rotate(request):
    try:
        user, password = services.webreport_rotate(
            partner=request.partner, actor=request.user, ip=client_ip(request)
        )
    except services.ProfileError as exc:
        messages.warning(request, exc.message)
        return redirect("profiles:credentials")
    return _credentials_page(
        request,
        {
            "title": WEBREPORT_TITLE,
            "username": user.username,
            "password": password,
        },
    )
