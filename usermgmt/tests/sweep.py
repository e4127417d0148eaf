"""What the tenant-isolation and rights sweep (test_sweep.py) needs: every portal URL from the
URLconf, a partner with one object of each kind to point them at, the database state a refused
request must leave alone, and the values of a page's own form.

Objects are built through the other apps' own factories and services; a builder that fails
(an app still changing) is recorded, and its URLs get a number no row has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Partner, User
from accounts.tests.factories import PartnerFactory, StaffFactory, UserFactory
from portal.lib.access import PartnerRequiredMixin
from usermgmt.rights import ROLES

MISSING_PK = 987_654_321
SKIPPED_PREFIXES = (
    "api/",
    "i18n/",
    settings.ADMIN_URL,
    settings.STATIC_URL.lstrip("/"),
)
# Pages for visitors and for any account, not partner data.
PUBLIC_NAMESPACES = {"accounts"}
# The health endpoint answers load balancers, without login and without data; the favicon is
# a redirect to a static file.
PUBLIC_NAMES = {"usermgmt:two_factor_login", "health", "favicon"}
# The Open API (mounted at the root: /auth/…, /Services/…) answers machines with its own
# Digest authentication; its portal pages (Log API) declare a menu right and are swept.
API_NAMESPACE = "openapi"
# POSTs after which a balance may legitimately differ (funds of the Development sandbox).
BALANCE_CHANGING = {"billing:sandbox_fund"}


# --- the URLconf ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    converters: dict
    callback: Callable

    @property
    def namespace(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else ""

    @property
    def int_kwargs(self) -> list[str]:
        return [
            k for k, c in self.converters.items() if type(c).__name__ == "IntConverter"
        ]

    @property
    def is_public(self) -> bool:
        return self.namespace in PUBLIC_NAMESPACES or self.name in PUBLIC_NAMES

    @property
    def access(self) -> tuple[str, str] | None:
        """The (menu, level) the view declares through partner_required or
        PartnerRequiredMixin, else None."""
        menu = getattr(self.callback, "access_menu", None)
        if menu is not None:
            return str(menu), str(self.callback.access_level)
        view_class = getattr(self.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, PartnerRequiredMixin):
            return str(view_class.menu), str(view_class.level)
        return None


def portal_routes() -> list[Route]:
    """Every named URL pattern of the portal, walked recursively from the root URLconf,
    without the admin, the Open API, the language switch and static files."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str | None, converters: dict):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            found_converters = {
                **converters,
                **getattr(entry.pattern, "converters", {}),
            }
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                inner = namespace
                if entry.namespace:
                    inner = (
                        f"{namespace}:{entry.namespace}"
                        if namespace
                        else entry.namespace
                    )
                walk(entry.url_patterns, route, inner, found_converters)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found_route = Route(name, route, found_converters, entry.callback)
                if (
                    found_route.namespace == API_NAMESPACE
                    and found_route.access is None
                ):
                    continue
                found.append(found_route)

    walk(get_resolver().url_patterns, "", None, {})
    return found


# --- the world: two partners, four personas, one object of each kind ----------------------


@dataclass
class World:
    owner: User
    laporan: User
    outsider: User
    staff: User
    objects: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)

    @property
    def partner(self) -> Partner:
        return self.owner.partner


def _approved_profile(world: World) -> dict[str, int]:
    """The owner's profile submitted and approved by staff: the partner becomes Aktif with
    its documents and Open API credentials, as in real life."""
    from portal.lib.review import review_decide
    from profiles.models import Credential, ProfileDocument
    from profiles.tests.conftest import submit_profile

    submission = submit_profile(world.owner)
    review_decide(subject=submission, approve=True, actor=world.staff)
    world.owner.partner.refresh_from_db()
    return {
        "profiles.document": ProfileDocument.objects.filter(partner=world.partner)
        .latest("pk")
        .pk,
        "profiles.credential": Credential.objects.filter(partner=world.partner)
        .latest("pk")
        .pk,
    }


def _sub_user(world):
    from usermgmt.tests.factories import SubUserFactory

    return {"usermgmt.subuser": SubUserFactory(partner=world.partner).pk}


def _connection(world):
    from connections.tests.factories import ConnectionFactory

    entry = ConnectionFactory(partner=world.partner, rejected=True)
    return {"connections.connection": entry.pk}


def _partner_product(world):
    from products.tests.factories import PartnerProductFactory

    return {"products.partner_product": PartnerProductFactory(partner=world.partner).pk}


def _uat(world):
    from integration.tests.factories import uat_filed
    from products.tests.factories import ProductFactory

    uat = uat_filed(world.partner, ProductFactory())
    return {"integration.uat": uat.pk, "integration.evidence": uat.evidence.first().pk}


def _callback_delivery(world):
    from connections.tests.factories import CallbackDeliveryFactory

    delivery = CallbackDeliveryFactory(partner=world.partner)
    return {"connections.callback_delivery": delivery.pk}


def _api_log(world):
    from openapi.models import ApiLog

    log = ApiLog.objects.create(
        partner=world.partner,
        environment="development",
        method="POST",
        path="/Services/Inquiry",
        http_status=200,
        rc="00",
    )
    return {"openapi.api_log": log.pk}


def _transaction(world):
    from billing.tests.factories import TransactionFactory

    return {"billing.transaction": TransactionFactory(partner=world.partner).pk}


def _topup(world):
    from django.utils import timezone

    from billing.tests.factories import TopUpFactory, png_upload

    topup = TopUpFactory(partner=world.partner)
    # With a transfer proof, so that its download is there for the owner.
    topup.proof.save("bukti.png", png_upload(), save=False)
    topup.proof_uploaded_at = timezone.now()
    topup.save()
    return {"billing.topup": topup.pk}


BUILDERS = [
    _approved_profile,
    _sub_user,
    _connection,
    _callback_delivery,
    _api_log,
    _partner_product,
    _uat,
    _transaction,
    _topup,
]

# Which object each object URL is pointed at (kwarg -> object key).
OBJECT_URLS = {
    "usermgmt:edit": {"pk": "usermgmt.subuser"},
    "usermgmt:delete": {"pk": "usermgmt.subuser"},
    "connections:edit": {"pk": "connections.connection"},
    "connections:delete": {"pk": "connections.connection"},
    "connections:callback_resend": {"pk": "connections.callback_delivery"},
    "openapi:log_detail": {"pk": "openapi.api_log"},
    "products:remove": {"pk": "products.partner_product"},
    "profiles:document": {"pk": "profiles.document"},
    "profiles:credential_rotate": {"pk": "profiles.credential"},
    "integration:uat_detail": {"pk": "integration.uat"},
    "integration:uat_edit": {"pk": "integration.uat"},
    "integration:live_request": {"pk": "integration.uat"},
    "integration:evidence_download": {
        "pk": "integration.uat",
        "evidence_pk": "integration.evidence",
    },
    "billing:transaction_detail": {"pk": "billing.transaction"},
    "billing:topup_detail": {"pk": "billing.topup"},
    "billing:topup_proof": {"pk": "billing.topup"},
    "billing:topup_proof_file": {"pk": "billing.topup"},
}


def world_build() -> World:
    owner = UserFactory(
        partner=PartnerFactory(
            kind=Partner.Kind.PERUSAHAAN, status=Partner.Status.INCOMPLETE
        )
    )
    world = World(
        owner=owner,
        laporan=UserFactory(
            partner=owner.partner,
            is_owner=False,
            access_rights=dict(ROLES["laporan"][1]),
        ),
        outsider=UserFactory(partner=PartnerFactory()),
        staff=StaffFactory(),
    )
    for builder in BUILDERS:
        try:
            with transaction.atomic():
                world.objects.update(builder(world))
        except Exception as exc:  # noqa: BLE001 - an app still being built
            world.failures[builder.__name__] = f"{type(exc).__name__}: {exc}"
        if builder is _approved_profile:
            # Most pages need an active partner, even when the approval itself failed.
            Partner.objects.filter(pk=owner.partner_id).update(
                status=Partner.Status.ACTIVE
            )
            world.owner.partner.refresh_from_db()
    world.strings = _string_values()
    return world


def _string_values() -> dict[str, str]:
    """Real values for the text parts of URLs, where the apps offer them."""
    values = {"environment": "development"}
    try:
        from docs_content.views import BY_SLUG

        values["slug"] = next(iter(BY_SLUG))
    except Exception:  # noqa: BLE001, S110 - an app still being built
        pass
    from products.models import Category

    category = Category.objects.order_by("pk").first()
    if category is not None:
        values["category"] = category.slug
    return values


def url_for(route: Route, world: World) -> tuple[str, bool]:
    """The URL of ``route`` pointed at the owner's objects, and whether a real object was
    found for every number in it."""
    wanted = OBJECT_URLS.get(route.name, {})
    kwargs, real = {}, True
    for name, converter in route.converters.items():
        kind = type(converter).__name__
        if kind == "IntConverter":
            pk = world.objects.get(wanted.get(name, ""))
            real = real and pk is not None
            kwargs[name] = pk if pk is not None else MISSING_PK
        elif kind == "UUIDConverter":
            kwargs[name] = "00000000-0000-0000-0000-000000000000"
        else:
            kwargs[name] = world.strings.get(name, "tidak-ada")
    return reverse(route.name, kwargs=kwargs), real


# --- database state -----------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Rows of every model (sessions aside: logging in and out writes them)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model is not Session and not model._meta.proxy
    }


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def protected_state() -> dict:
    """What no portal request may change, whoever sends it and whatever it posts: users'
    partner and staff/owner flags, partners' statuses, staff approvals, balances, and which
    partner each row belongs to (counted per partner)."""
    state: dict = {
        "users": {
            row[0]: row[1:]
            for row in User.objects.values_list(
                "pk", "partner_id", "is_staff", "is_superuser", "is_owner"
            )
        },
        "partners": dict(Partner.objects.values_list("pk", "status")),
        "per_partner": {},
        "approved": {},
        "balances": {},
    }
    for model in apps.get_models():
        label = model._meta.label
        manager = model._default_manager
        if _has_field(model, "partner") and model is not User:
            state["per_partner"][label] = Counter(
                manager.values_list("partner_id", flat=True)
            )
        if _has_field(model, "review_status"):
            state["approved"][label] = manager.filter(review_status="approved").count()
        if _has_field(model, "balance"):
            state["balances"][label] = dict(manager.values_list("pk", "balance"))
    return state


def protected_changes(
    before: dict, after: dict, *, own_partner_id: int | None, balance_may_change: bool
) -> list[str]:
    changes = []
    if before["users"] != {
        pk: values for pk, values in after["users"].items() if pk in before["users"]
    }:
        changes.append("a user's partner, is_staff, is_superuser or is_owner changed")
    if before["partners"] != after["partners"]:
        changes.append("a partner's status changed")
    for label, counts in before["per_partner"].items():
        now = after["per_partner"][label]
        for partner_id in set(counts) | set(now):
            if partner_id != own_partner_id and counts[partner_id] != now[partner_id]:
                changes.append(f"{label} rows of partner {partner_id} changed")
    if before["approved"] != after["approved"]:
        changes.append("a row became approved")
    for label, balances in after["balances"].items():
        if any(str(value) == str(SENTINEL_BALANCE) for value in balances.values()):
            changes.append(f"{label}: the posted balance was stored")
        elif not balance_may_change and balances != before["balances"][label]:
            changes.append(f"{label}: a balance changed")
    return changes


# --- posted data --------------------------------------------------------------------------

SENTINEL_BALANCE = 999_999_999


def extra_fields(world: World) -> dict:
    """Fields no portal form has, posted as a tampering client would."""
    other = world.outsider.partner_id
    return {
        "partner": other,
        "partner_id": other,
        "user": world.outsider.pk,
        "created_by": world.outsider.pk,
        "is_staff": "on",
        "is_superuser": "on",
        "is_owner": "on",
        "status": Partner.Status.ACTIVE.value,
        "review_status": "approved",
        "decided_by": world.staff.pk,
        "balance": SENTINEL_BALANCE,
        "access_rights": '{"usermgmt": "change"}',
    }


class _FormValues(HTMLParser):
    """The values a browser would submit from the page's POST form(s)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values.setdefault(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.values[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            self.values.setdefault(self._select, self._select_first or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(html: str) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(html)
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values
