"""Writes of the Koneksi menu: add, correct-and-resubmit and delete whitelist entries.

Staff decisions go through ``portal.lib.review.review_decide`` (the admin's actions).
Every rule a partner can break is refused with ``ConnectionEntryError``, whose ``field``
names the form field the message belongs to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner
from connections import addresses
from connections.models import MAX_ENTRIES_PER_ENVIRONMENT, Connection
from portal.lib.audit import audit_record, snapshot
from portal.lib.email import email_queue
from portal.lib.environments import Environment
from portal.lib.review import (
    ReviewError,
    ReviewStatus,
    review_decide,
    review_handlers_register,
    review_resubmit,
)

AUDIT_FIELDS = ["environment", "address", "review_status", "review_reason"]


class ConnectionEntryError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _refuse_if_deleted(*, subject: Connection, actor) -> None:
    # A partner may delete an entry while it waits; deciding it afterwards would email about
    # an address that no longer exists, so the decision is refused (and rolled back).
    if subject.is_deleted:
        raise ReviewError(
            _("%(subject)s sudah dihapus oleh mitra.") % {"subject": subject}
        )


review_handlers_register(
    Connection, on_approved=_refuse_if_deleted, on_rejected=_refuse_if_deleted
)


def _parse(address: str) -> addresses.Network:
    try:
        return addresses.parse_network(address)
    except addresses.AddressError as exc:
        raise ConnectionEntryError(exc.message, field="address") from None


def _environment(environment: str) -> Environment:
    try:
        return Environment(environment)
    except ValueError:
        raise ConnectionEntryError(
            _("Pilih tipe koneksi Development atau Production."), field="environment"
        ) from None


def connection_validate(
    *,
    partner: Partner,
    environment: str,
    address: str,
    allow_non_public: bool = False,
    exclude: Connection | None = None,
) -> str:
    """Check every rule for ``address`` in ``environment`` of ``partner`` and return the
    normalised address. Reads only; the writers call it under the partner's row lock.

    ``allow_non_public`` lets staff whitelist private or loopback addresses in Production
    (the demo partner calls from 127.0.0.1 and ::1).
    """
    env = _environment(environment)
    network = _parse(address)
    if partner.status != Partner.Status.ACTIVE:
        raise ConnectionEntryError(
            _(
                "IP Address hanya dapat didaftarkan oleh mitra berstatus Aktif "
                "(status akun Anda: %(status)s). Lengkapi profil dan tunggu "
                "verifikasi terlebih dahulu."
            )
            % {"status": partner.get_status_display()}
        )
    if addresses.too_wide(network):
        raise ConnectionEntryError(
            _(
                "Rentang %(value)s terlalu lebar. Maksimal /%(max)d untuk "
                "IPv%(version)d; daftarkan rentang yang lebih kecil."
            )
            % {
                "value": addresses.format_network(network),
                "max": addresses.MAX_PREFIX[network.version],
                "version": network.version,
            },
            field="address",
        )
    special = addresses.special_kind(network)
    if special is not None and special.never_valid:
        raise ConnectionEntryError(
            _("%(value)s adalah %(kind)s dan tidak dapat didaftarkan.")
            % {"value": addresses.format_network(network), "kind": special.describe()},
            field="address",
        )
    if special is not None and env == Environment.PRODUCTION and not allow_non_public:
        raise ConnectionEntryError(
            _(
                "IP Address Production harus IP publik server Anda: %(value)s adalah "
                "%(kind)s. Gunakan tipe Development untuk IP lokal atau pengujian."
            )
            % {"value": addresses.format_network(network), "kind": special.describe()},
            field="address",
        )

    normalised = addresses.format_network(network)
    siblings = Connection.objects.not_deleted().filter(partner=partner, environment=env)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    for other in siblings.only("address", "review_status", "environment"):
        if other.address == normalised:
            raise ConnectionEntryError(
                _("%(value)s sudah terdaftar untuk %(env)s (status: %(status)s).")
                % {
                    "value": normalised,
                    "env": env.label,
                    "status": other.get_review_status_display(),
                },
                field="address",
            )
        if other.review_status == ReviewStatus.REJECTED:
            continue
        existing = addresses.parse_network(other.address)
        # Same version, checked first; mypy cannot see that it narrows the two unions.
        if existing.version == network.version and network.subnet_of(existing):  # type: ignore[arg-type]
            raise ConnectionEntryError(
                _(
                    "%(value)s sudah tercakup oleh rentang %(range)s yang terdaftar "
                    "untuk %(env)s (status: %(status)s)."
                )
                % {
                    "value": normalised,
                    "range": other.address,
                    "env": env.label,
                    "status": other.get_review_status_display(),
                },
                field="address",
            )
    if exclude is None or exclude.environment != env:
        if siblings.count() >= MAX_ENTRIES_PER_ENVIRONMENT:
            raise ConnectionEntryError(
                _(
                    "Maksimal %(max)d IP Address untuk %(env)s. Hapus entri yang "
                    "tidak dipakai sebelum menambah yang baru."
                )
                % {"max": MAX_ENTRIES_PER_ENVIRONMENT, "env": env.label},
                field="environment",
            )
    return normalised


def _lock_partner(partner: Partner) -> Partner:
    """Serialise the writes of one partner so two requests cannot both pass the limit or the
    duplicate check."""
    return Partner.objects.select_for_update().get(pk=partner.pk)


def connection_create(
    *,
    partner: Partner,
    environment: str,
    address: str,
    actor,
    approved: bool = False,
    ip: str | None = None,
) -> Connection:
    """Register an IP Address or range for ``environment``; it waits for staff approval.

    Staff may create it already approved (demo data, the admin); only when the actor is
    staff may a Production entry be a private or loopback address.
    """
    is_staff = bool(getattr(actor, "is_staff", False))
    if approved and not is_staff:
        raise ConnectionEntryError(
            _("Hanya staff yang dapat membuat koneksi yang langsung disetujui.")
        )
    with transaction.atomic():
        partner = _lock_partner(partner)
        normalised = connection_validate(
            partner=partner,
            environment=environment,
            address=address,
            allow_non_public=is_staff,
        )
        now = timezone.now()
        connection = Connection(
            partner=partner,
            environment=environment,
            address=normalised,
            created_by=actor,
            submitted_at=now,
        )
        if approved:
            connection.review_status = ReviewStatus.APPROVED
            connection.decided_at = now
            connection.decided_by = actor
        try:
            with transaction.atomic():
                connection.save()
        except IntegrityError:
            raise ConnectionEntryError(
                _("%(value)s sudah terdaftar.") % {"value": normalised},
                field="address",
            ) from None
        audit_record(
            action="connection.created",
            actor=actor,
            partner=partner,
            subject=connection,
            after=snapshot(connection, AUDIT_FIELDS),
            ip=ip,
        )
    return connection


def connection_resubmit(
    *,
    connection: Connection,
    environment: str,
    address: str,
    actor,
    ip: str | None = None,
) -> Connection:
    """Correct a rejected entry and put it back in the staff queue."""
    with transaction.atomic():
        partner = _lock_partner(connection.partner)
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        if connection.is_deleted or not connection.is_rejected:
            raise ConnectionEntryError(
                _("Hanya entri yang ditolak yang dapat diperbaiki dan diajukan ulang.")
            )
        normalised = connection_validate(
            partner=partner,
            environment=environment,
            address=address,
            allow_non_public=bool(getattr(actor, "is_staff", False)),
            exclude=connection,
        )
        before = snapshot(connection, AUDIT_FIELDS)
        connection.environment = environment
        connection.address = normalised
        connection.save(update_fields=["environment", "address"])
        audit_record(
            action="connection.updated",
            actor=actor,
            partner=partner,
            subject=connection,
            before=before,
            after=snapshot(connection, AUDIT_FIELDS),
            ip=ip,
        )
        review_resubmit(subject=connection, actor=actor, ip=ip)
    return connection


def connection_delete(
    *, connection: Connection, actor, ip: str | None = None
) -> Connection:
    """Remove an entry from the whitelist at once (soft delete, kept for the audit trail)."""
    with transaction.atomic():
        _lock_partner(connection.partner)
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        if connection.is_deleted:
            raise ConnectionEntryError(_("Entri ini sudah dihapus."))
        before = snapshot(connection, AUDIT_FIELDS)
        connection.deleted_at = timezone.now()
        connection.deleted_by = actor
        connection.save(update_fields=["deleted_at", "deleted_by"])
        audit_record(
            action="connection.deleted",
            actor=actor,
            partner=connection.partner,
            subject=connection,
            before=before,
            after={"deleted_at": connection.deleted_at},
            ip=ip,
        )
    return connection


def connection_approve_many(
    *, connections, actor, ip: str | None = None
) -> tuple[list[Connection], list[str]]:
    """Approve several entries at once and tell each partner in one email listing its
    approved entries, instead of one email per entry.

    Each entry goes through ``review_decide`` (row lock, audit event, refusal of an entry no
    longer pending or deleted by the partner), all in one transaction. Returns the approved
    entries and the messages of the refused ones.
    """
    approved: list[Connection] = []
    refused: list[str] = []
    with transaction.atomic():
        for connection in connections:
            try:
                approved.append(
                    review_decide(
                        subject=connection,
                        approve=True,
                        actor=actor,
                        ip=ip,
                        notify=False,
                    )
                )
            except ReviewError as exc:
                refused.append(exc.message)
        by_partner: dict[int, list[Connection]] = {}
        for connection in approved:
            by_partner.setdefault(connection.partner_id, []).append(connection)
        for entries in by_partner.values():
            partner = entries[0].partner
            owner = partner.owner
            if owner is None:
                continue
            entries.sort(key=lambda entry: (entry.environment, entry.address))
            email_queue(
                to=owner.email,
                template="connections_approved",
                context={
                    "user": owner,
                    "partner": partner,
                    "connections": entries,
                    "portal_url": settings.SITE_URL + reverse("connections:list"),
                },
                user=owner,
            )
    return approved, refused
