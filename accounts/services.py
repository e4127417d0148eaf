"""Writes and state changes of accounts: registration, activation, login lockout, passwords."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LoginLock, Partner, User
from accounts.selectors import activation_link_user
from accounts.tokens import ActivationLinkError, activation_token_make
from portal.lib.audit import audit_record
from portal.lib.email import email_queue
from portal.lib.phone import looks_like_phone, normalize_phone
from portal.models import EmailOutbox

ACTIVATION_PER_MINUTE = 1
ACTIVATION_PER_HOUR = 5


class AccountError(Exception):
    """A refusal to show the user; ``code`` tells views which one."""

    def __init__(
        self, message: str, *, code: str = "invalid", retry_at: datetime | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_at = retry_at


@dataclass(frozen=True)
class Registration:
    """What the registration form hands over, already normalised."""

    name: str
    kind: str
    company_name: str
    phone: str
    email: str
    password: str


# --- registration -------------------------------------------------------------------------


def partner_register(*, data: Registration) -> User | None:
    """Create a partner and its owner and send the activation email.

    When the phone number or email is already registered nothing is created and the existing
    account's owner is told that someone tried; the caller answers exactly as on success, so a
    stranger learns nothing. Returns the new owner, or None for such a duplicate.
    """
    existing = list(
        User.objects.filter(Q(phone=data.phone) | Q(email__iexact=data.email))
    )
    if existing:
        # The password is hashed as for a new account and thrown away: hashing is most of
        # the work of a registration, and a quicker answer would tell that the phone number
        # or email is registered.
        make_password(data.password)
        _registration_attempt_notify(existing)
        return None
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                code=f"tmp-{secrets.token_hex(4)}",
                kind=data.kind,
                name=data.company_name
                if data.kind == Partner.Kind.PERUSAHAAN
                else data.name,
            )
            partner.code = f"MTR{partner.pk:05d}"
            partner.save(update_fields=["code"])
            user = User(
                username=partner.code.lower(),
                partner=partner,
                name=data.name,
                email=data.email,
                phone=data.phone,
                is_owner=True,
            )
            user.set_password(data.password)
            user.save()
            _activation_email(user)
    except IntegrityError:
        # Registered concurrently by someone else a moment ago: same answer as a duplicate.
        existing = list(
            User.objects.filter(Q(phone=data.phone) | Q(email__iexact=data.email))
        )
        _registration_attempt_notify(existing)
        return None
    return user


def _registration_attempt_notify(users: list[User]) -> None:
    for user in users:
        email_queue(
            to=user.email,
            template="registration_attempt",
            context={
                "user": user,
                "login_url": settings.SITE_URL + reverse("accounts:login"),
            },
            user=user,
        )


# --- activation ---------------------------------------------------------------------------


def _activation_email(user: User) -> EmailOutbox:
    token = activation_token_make(user)
    link = settings.SITE_URL + reverse("accounts:activate", args=[token])
    return email_queue(
        to=user.email,
        template="activation",
        context={
            "user": user,
            "activation_url": link,
            "hours": settings.ACTIVATION_TIMEOUT // 3600,
        },
        user=user,
    )


def activation_resend_next(*, sent: list[datetime], now: datetime) -> datetime | None:
    """When the next activation email may go, given earlier send times (any order), or None if
    it may go now: at most one a minute and ACTIVATION_PER_HOUR an hour.

    The first Kirim Ulang goes at once, even right after the first email: whoever presses it
    is waiting for an email that has not come, and a time to wait for answers nothing."""
    recent = sorted((t for t in sent if t > now - timedelta(hours=1)), reverse=True)
    candidates = []
    if len(recent) > 1 and recent[0] > now - timedelta(minutes=1):
        candidates.append(recent[0] + timedelta(minutes=1))
    if len(recent) >= ACTIVATION_PER_HOUR:
        candidates.append(recent[ACTIVATION_PER_HOUR - 1] + timedelta(hours=1))
    return max(candidates) if candidates else None


def activation_resend_available_at(*, user: User) -> datetime | None:
    """When the next activation email may be sent, or None if it may be sent now."""
    now = timezone.now()
    sent = EmailOutbox.objects.filter(
        user=user, template="activation", created_at__gte=now - timedelta(hours=1)
    ).values_list("created_at", flat=True)
    return activation_resend_next(sent=list(sent), now=now)


def _throttled_error(retry_at: datetime) -> AccountError:
    local = timezone.localtime(retry_at)
    return AccountError(
        _("Kirim Ulang dapat digunakan lagi pukul %(time)s WIB.")
        % {"time": local.strftime("%H:%M:%S")},
        code="throttled",
        retry_at=retry_at,
    )


def activation_resend(*, user: User) -> None:
    """Send a fresh activation email, at most once a minute and five times an hour (see
    ``activation_resend_next``)."""
    with transaction.atomic():
        # Lock the user row so that two quick clicks cannot both pass the limit.
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_verified:
            raise AccountError(
                _("Akun ini sudah aktif. Silakan login."), code="verified"
            )
        retry_at = activation_resend_available_at(user=user)
        if retry_at is not None:
            raise _throttled_error(retry_at)
        _activation_email(user)


def activation_resend_by_email(*, email: str) -> None:
    """Resend for an address typed by someone who may be a stranger: silent when there is
    nothing to send, so that the answer never tells whether an account exists."""
    user = User.objects.filter(
        email__iexact=email.strip(), email_verified_at__isnull=True
    ).first()
    if user is None:
        return
    try:
        activation_resend(user=user)
    except AccountError as exc:
        if exc.code != "throttled":
            raise
        # Throttling is shown to the owner's own session only, never to a stranger.


def activation_resend_for_visitor(
    *, email: str, sent: list[datetime]
) -> list[datetime]:
    """Kirim Ulang for a visitor who has not shown that the account is theirs: one who typed
    the address, or whose registration met an existing phone or email.

    The visitor sees the same limits as an account owner, counted on the visitor's own sends
    (``sent``), so the answers are those a fresh registration gets, whether or not an account
    exists; the account's own limit still applies, silently. Returns the sends to remember.
    """
    now = timezone.now()
    recent = [t for t in sent if t > now - timedelta(hours=1)]
    retry_at = activation_resend_next(sent=recent, now=now)
    if retry_at is not None:
        raise _throttled_error(retry_at)
    activation_resend_by_email(email=email)
    return [*recent, now]


def account_activate(*, token: str) -> User:
    """Mark the email verified for a valid link; raise AccountError(code=expired|invalid|used)."""
    try:
        with transaction.atomic():
            user = activation_link_user(token=token, lock=True)
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
    except ActivationLinkError as exc:
        if exc.reason == "used":
            message = _("Link aktivasi sudah pernah digunakan.")
        else:
            message = _("Link aktivasi tidak valid.")
        raise AccountError(message, code=exc.reason) from exc
    return user


# --- login --------------------------------------------------------------------------------


def user_find(identifier: str) -> User | None:
    """The user an identifier names: a phone number in any accepted form, or a username."""
    identifier = (identifier or "").strip()
    if looks_like_phone(identifier):
        phone = normalize_phone(identifier)
        if phone:
            return User.objects.select_related("partner").filter(phone=phone).first()
    return (
        User.objects.select_related("partner")
        .filter(username__iexact=identifier)
        .first()
    )


# The lock key of an identifier that names no account (a known account's is "user:<pk>").
_UNKNOWN_PREFIX = "id:"


def _lock_key(identifier: str, user: User | None) -> str:
    if user is not None:
        return f"user:{user.pk}"
    phone = normalize_phone(identifier) if looks_like_phone(identifier) else None
    return f"{_UNKNOWN_PREFIX}{phone or identifier.strip().lower()}"[:160]


_DUMMY_HASH = make_password("timing-equaliser")


def login_verify(*, identifier: str, password: str, ip: str | None = None) -> User:
    """Check a password, counting failures per account whatever IP they come from.

    Five failures within the lock period lock the account for that period, with an audit
    event naming the client ``ip`` of the failure that locked it. An unknown identifier is
    treated exactly like a known one (same message, same work, same lock) so that the
    answer does not tell whether an account exists.
    """
    user = user_find(identifier)
    key = _lock_key(identifier, user)
    now = timezone.now()
    lock_seconds = settings.LOGIN_LOCK_SECONDS
    lock = LoginLock.objects.filter(key=key).first()
    if lock and lock.locked_until and lock.locked_until > now:
        raise _locked_error(lock.locked_until)

    if user is not None:
        valid = user.check_password(password) and user.is_active
    else:
        from django.contrib.auth.hashers import check_password

        check_password(password, _DUMMY_HASH)
        valid = False

    if valid and user is not None:
        LoginLock.objects.filter(key=key).delete()
        return user

    with transaction.atomic():
        lock, _created = LoginLock.objects.select_for_update().get_or_create(key=key)
        if lock.last_failure_at and lock.last_failure_at < now - timedelta(
            seconds=lock_seconds
        ):
            lock.failures = 0
        lock.failures += 1
        lock.last_failure_at = now
        if lock.failures >= settings.LOGIN_FAILURE_LIMIT:
            lock.failures = 0
            lock.locked_until = now + timedelta(seconds=lock_seconds)
            audit_record(
                action="user.locked",
                partner=user.partner if user is not None else None,
                subject=user,
                after={"locked_until": lock.locked_until},
                ip=ip,
            )
        lock.save()
    if lock.locked_until and lock.locked_until > now:
        raise _locked_error(lock.locked_until)
    message = _("Nomor handphone/username atau password salah.")
    left = settings.LOGIN_FAILURE_LIMIT - lock.failures
    if left <= LOGIN_ATTEMPTS_WARNING:
        # Unknown identifiers are counted and locked like known ones, so the count tells
        # nothing about whether the account exists.
        message += " " + _(
            "Sisa percobaan: %(left)s. Setelah itu akun dikunci sementara selama "
            "%(minutes)s menit; gunakan Lupa Password bila Anda lupa password."
        ) % {"left": left, "minutes": lock_seconds // 60}
    raise AccountError(message, code="invalid_credentials")


# From this many attempts left, a failed login says how many remain before the lock.
LOGIN_ATTEMPTS_WARNING = 3


def _locked_error(until: datetime) -> AccountError:
    minutes = max(1, int((until - timezone.now()).total_seconds() + 59) // 60)
    return AccountError(
        _(
            "Terlalu banyak percobaan login yang gagal. Akun dikunci sementara; coba lagi "
            "dalam %(minutes)s menit, atau atur ulang password melalui Lupa Password."
        )
        % {"minutes": minutes},
        code="locked",
        retry_at=until,
    )


def login_locks_prune(*, now: datetime | None = None) -> int:
    """Delete the failure counts of unknown identifiers that count no more: not locked, and
    last failed longer than the lock period ago, so that the next failure would start from
    zero anyway. Anyone can send made-up identifiers; their rows must not pile up. (A known
    account has one row at most, kept for the back-office.) Returns how many went."""
    now = now or timezone.now()
    expired = now - timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    deleted, _counts = (
        LoginLock.objects.filter(key__startswith=_UNKNOWN_PREFIX)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .filter(Q(last_failure_at__isnull=True) | Q(last_failure_at__lt=expired))
        .delete()
    )
    return deleted


def login_locks_clear(*, user: User) -> None:
    """Lift every lock on the account (after a successful password reset)."""
    keys = [f"user:{user.pk}", f"{_UNKNOWN_PREFIX}{user.username.lower()}"]
    if user.phone:
        keys.append(f"{_UNKNOWN_PREFIX}{user.phone}")
    LoginLock.objects.filter(key__in=keys).delete()


def password_reset_email(*, user: User, reset_url: str) -> EmailOutbox:
    return email_queue(
        to=user.email,
        template="password_reset",
        context={
            "user": user,
            "reset_url": reset_url,
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
        user=user,
    )
