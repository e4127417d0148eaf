"""What staff change about providers in the back-office: the breaker reset, the provider
rows and their routes, each audited. Credentials are never read here beyond whether they
are set."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import import_string

from billers import health
from billers.adapters import ADAPTERS
from billers.models import Provider, ProviderProduct
from portal.lib.audit import audit_record, snapshot
from portal.lib.environments import Environment

ROUTE_FIELDS = [
    "product",
    "provider",
    "priority",
    "provider_code",
    "buy_price",
    "enabled",
]
PROVIDER_FIELDS = [
    "code",
    "name",
    "kind",
    "base_url",
    "credentials_env",
    "timeout_seconds",
    "enabled",
]


def provider_breaker_reset(*, provider: Provider, actor, ip: str | None = None) -> str:
    """Close the provider's circuit breaker now (the next call goes through). Returns the
    state it had."""
    before = health.breaker_state(provider.pk)
    health.breaker_reset(provider.pk)
    audit_record(
        action="provider.breaker_reset",
        actor=actor,
        subject=provider,
        before={"breaker": before},
        after={"breaker": "closed"},
        ip=ip,
    )
    return before


def provider_save(
    *, provider: Provider, changed: list[str], actor, ip: str | None = None
) -> Provider:
    """Save a provider edited in the back-office, audited (only field names and plain
    settings: the credentials themselves never live on the row)."""
    created = provider.pk is None
    with transaction.atomic():
        provider.save()
        audit_record(
            action="provider.created" if created else "provider.changed",
            actor=actor,
            subject=provider,
            after={**snapshot(provider, PROVIDER_FIELDS), "changed": changed},
            ip=ip,
        )
    return provider


def routes_changed_record(
    *,
    created: list[ProviderProduct],
    changed: list[tuple[ProviderProduct, list[str]]],
    actor,
    ip: str | None = None,
) -> None:
    """One audit event per route added or changed in the back-office (called inside the
    admin's transaction, after the rows were written)."""
    for route in created:
        audit_record(
            action="provider_route.created",
            actor=actor,
            subject=route,
            after=snapshot(route, ROUTE_FIELDS),
            ip=ip,
        )
    for route, fields in changed:
        audit_record(
            action="provider_route.changed",
            actor=actor,
            subject=route,
            after={**snapshot(route, ROUTE_FIELDS), "changed": fields},
            ip=ip,
        )


def routes_deleted_record(
    *, deleted: list[ProviderProduct], actor, ip: str | None = None
) -> None:
    """One audit event per route removed in the back-office (called inside the admin's
    transaction, before the rows are deleted, while they still have their id)."""
    for route in deleted:
        audit_record(
            action="provider_route.deleted",
            actor=actor,
            subject=route,
            before=snapshot(route, ROUTE_FIELDS),
            ip=ip,
        )


@dataclass(frozen=True)
class CredentialState:
    environment: str
    name: str
    variable: str
    is_set: bool


def credential_names(provider: Provider) -> tuple[str, ...]:
    """The credential names the provider's adapter reads (its ``CREDENTIAL_NAMES``), empty
    when the adapter does not say or cannot be loaded."""
    try:
        adapter_class = import_string(ADAPTERS[provider.kind])
    except (ImportError, KeyError):
        return ()
    return tuple(getattr(adapter_class, "CREDENTIAL_NAMES", ()))


def credential_states(provider: Provider) -> list[CredentialState]:
    """Per environment, each credential variable of the provider and whether it is set:
    the names its adapter declares and any other variable under its prefix. Never the
    values."""
    if not provider.credentials_env:
        return []
    declared = credential_names(provider)
    states = []
    for environment in Environment.values:
        prefix = f"{provider.credentials_env}_{environment}_".upper()
        names = list(declared)
        names += sorted(
            key[len(prefix) :]
            for key in os.environ
            if key.startswith(prefix) and key[len(prefix) :] not in declared
        )
        for name in names:
            variable = f"{prefix}{name}"
            states.append(
                CredentialState(
                    environment=environment,
                    name=name,
                    variable=variable,
                    is_set=bool(os.environ.get(variable)),
                )
            )
    return states
