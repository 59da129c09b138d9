"""Every long-lived part of one running emulator, built once from the configuration."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from asp_emulator.access_tokens import AccessTokenRegistry
from asp_emulator.certificate_authorities import CertificateAuthorityService
from asp_emulator.clock import EmulatorClock
from asp_emulator.config import EmulatorConfig
from asp_emulator.faults import FaultInjector
from asp_emulator.pagination import PageTokens
from asp_emulator.request_stats import RequestStats
from asp_emulator.store import EmulatorStore


@dataclass
class EmulatorState:
    config: EmulatorConfig
    store: EmulatorStore
    clock: EmulatorClock
    access_tokens: AccessTokenRegistry
    certificate_authorities: CertificateAuthorityService
    faults: FaultInjector
    stats: RequestStats


def build_state(config: EmulatorConfig) -> EmulatorState:
    store = EmulatorStore(config.db)
    offset = float(store.setting("clock_offset") or 0.0)
    clock = EmulatorClock(offset, lambda value: store.set_setting("clock_offset", repr(value)))
    secret = store.setting("page_token_secret")
    if secret is None:
        secret = secrets.token_hex(32)
        store.set_setting("page_token_secret", secret)
    faults = FaultInjector(config.fault_seed)
    for rule in config.faults:
        faults.add(rule)
    return EmulatorState(
        config=config,
        store=store,
        clock=clock,
        access_tokens=AccessTokenRegistry(store, clock),
        certificate_authorities=CertificateAuthorityService(
            store,
            clock,
            PageTokens(bytes.fromhex(secret)),
            creation_delay=config.creation_delay,
            key_type=config.key_type,
            pem_line_breaks=config.pem_line_breaks,
        ),
        faults=faults,
        stats=RequestStats(),
    )
