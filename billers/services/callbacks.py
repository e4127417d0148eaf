"""Reading a provider's callback: which provider, genuine or not, what it says."""

from __future__ import annotations

from collections.abc import Mapping

from billers.adapters import adapter_for
from billers.adapters.base import CallbackEvent, CallbackRejected
from billers.models import Provider
from portal.lib.environments import Environment


def callback_read(
    *, provider_code: str, headers: Mapping[str, str], body: bytes
) -> tuple[Provider, CallbackEvent]:
    """The provider and its event. The environment is not known before the signature is
    checked, so each environment's credentials are tried; ``CallbackRejected`` when none
    accepts it (or the provider is unknown or disabled)."""
    provider = Provider.objects.filter(code=provider_code, enabled=True).first()
    if provider is None:
        raise CallbackRejected("unknown provider")
    for environment in (Environment.PRODUCTION, Environment.DEVELOPMENT):
        try:
            return provider, adapter_for(provider, environment).callback_parse(
                headers=headers, body=body
            )
        except CallbackRejected:
            continue
    raise CallbackRejected("signature not accepted")
