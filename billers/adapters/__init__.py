"""Adapters by kind: ``adapter_for(provider, environment)`` is how the rest of the code
gets one (imported lazily, so that a kind's HTTP client loads only where it is used)."""

from __future__ import annotations

from django.utils.module_loading import import_string

from billers.adapters.base import Adapter

ADAPTERS = {
    "simulator": "billers.adapters.simulator.SimulatorAdapter",
    "network": "billers.adapters.h2h.H2HAdapter",
    "digiflazz": "billers.adapters.digiflazz.DigiflazzAdapter",
    "kiosbank": "billers.adapters.kiosbank.KiosbankAdapter",
}


def adapter_for(provider, environment: str) -> Adapter:
    return import_string(ADAPTERS[provider.kind])(provider, environment)
