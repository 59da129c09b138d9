"""The six operations on certificate authorities, independent of HTTP."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asp_emulator.clock import EmulatorClock, isoformat
from asp_emulator.errors import invalid_state, not_found
from asp_emulator.pagination import PageTokens
from asp_emulator.pem import pem_blocks, to_pem, to_single_line
from asp_emulator.request_bodies import CertificateAuthorityFields, ImportFields
from asp_emulator.store import CertificateAuthorityRecord, EmulatorStore

if TYPE_CHECKING:
    from asp_emulator.device_certificates import DeviceCertificate
    from asp_emulator.key_pool import KeyPool

# Importing cryptography is a large part of start-up, so the modules that use it load on
# first use here (the server also loads them on a thread once it listens).
CRYPTOGRAPHY_MODULES = (
    "asp_emulator.ca_keys",
    "asp_emulator.key_pool",
    "asp_emulator.import_checks",
    "asp_emulator.device_certificates",
)

ID_PREFIX = "amzn1.alexa.enterprise.certificateAuthority.did."
PAGE_SIZE_MAX = 10

CREATING = "CREATING"
PENDING_CERTIFICATE = "PENDING_CERTIFICATE"
ACTIVE = "ACTIVE"
EXPIRED = "EXPIRED"
FAILED = "FAILED"

_IMPORTABLE = (PENDING_CERTIFICATE, ACTIVE, EXPIRED)


def status_of(record: CertificateAuthorityRecord, now: float) -> str:
    """Derived from timestamps, so a restart or a moved clock gives the right answer."""
    if now < record.ready_at:
        return CREATING
    if record.creation_fails:
        return FAILED
    if record.certificate_der is None:
        return PENDING_CERTIFICATE
    if record.not_after is not None and now > record.not_after:
        return EXPIRED
    return ACTIVE


def _updated_at(record: CertificateAuthorityRecord, now: float) -> float:
    """Status changes the clock causes count as updates too."""
    moments = [record.updated_at]
    if now >= record.ready_at:
        moments.append(record.ready_at)
    if record.not_after is not None and now > record.not_after:
        moments.append(record.not_after)
    return max(moments)


@dataclass(frozen=True)
class CertificateAuthorityPage:
    certificate_authorities: list[dict]
    next_token: str | None


class CertificateAuthorityService:
    def __init__(
        self,
        store: EmulatorStore,
        clock: EmulatorClock,
        page_tokens: PageTokens,
        *,
        creation_delay: float,
        key_type: str,
        pem_line_breaks: bool,
    ) -> None:
        self._store = store
        self._clock = clock
        self._page_tokens = page_tokens
        self._creation_delay = creation_delay
        self._key_type = key_type
        self._keys: KeyPool | None = None
        self._keys_lock = threading.Lock()
        self._pem = to_pem if pem_line_breaks else to_single_line

    def _record(self, certificate_authority_id: str) -> CertificateAuthorityRecord:
        record = self._store.certificate_authority(certificate_authority_id)
        if record is None:
            raise not_found(certificate_authority_id)
        return record

    def render(self, record: CertificateAuthorityRecord, now: float, expand: bool) -> dict:
        status = status_of(record, now)
        view: dict[str, object] = {
            "id": record.id,
            "friendlyName": {"type": "PLAIN", "value": {"text": record.friendly_name}},
            "status": status,
            "createdAt": isoformat(record.created_at),
            "updatedAt": isoformat(_updated_at(record, now)),
        }
        if expand and status not in (CREATING, FAILED) and record.csr_der is not None:
            view["csr"] = self._pem(record.csr_der, "CERTIFICATE REQUEST")
        if expand and record.certificate_der is not None and status != FAILED:
            view["certificateMetadata"] = {
                "certificate": self._pem(record.certificate_der, "CERTIFICATE"),
                "certificateChain": self._chain_text(record.certificate_chain_pem or ""),
                "expiresAt": isoformat(record.not_after or 0),
                "activeFrom": isoformat(record.not_before or 0),
            }
        view["rotationPeriod"] = {
            "value": record.rotation_value,
            "interval": record.rotation_interval,
        }
        return view

    def _chain_text(self, chain_pem: str) -> str:
        if self._pem is to_pem:
            return chain_pem
        return "\n".join(self._pem(der, label) for label, der in pem_blocks(chain_pem))

    def _key_pool(self) -> KeyPool:
        from asp_emulator.key_pool import KeyPool

        with self._keys_lock:
            if self._keys is None:
                self._keys = KeyPool(self._key_type)
            return self._keys

    def create(self, fields: CertificateAuthorityFields, *, fails: bool = False) -> str:
        certificate_authority_id = f"{ID_PREFIX}{secrets.token_hex(16)}"
        private_key_pem = csr_der = None
        if not fails:
            from asp_emulator.ca_keys import build_csr, private_key_to_pem

            private_key = self._key_pool().take()
            private_key_pem = private_key_to_pem(private_key)
            csr_der = build_csr(private_key, fields.friendly_name or "")
        now = self._clock.now()
        self._store.insert_certificate_authority(
            certificate_authority_id=certificate_authority_id,
            friendly_name=fields.friendly_name or "",
            rotation_value=fields.rotation_value or 0,
            rotation_interval=fields.rotation_interval or "MONTHS",
            created_at=now,
            ready_at=now + self._creation_delay,
            creation_fails=fails,
            key_type=self._key_type,
            private_key_pem=private_key_pem,
            csr_der=csr_der,
        )
        return certificate_authority_id

    def get(self, certificate_authority_id: str, *, expand: bool) -> dict:
        record = self._record(certificate_authority_id)
        return self.render(record, self._clock.now(), expand)

    def list_page(
        self, *, expand: bool, max_results: int, next_token: str | None
    ) -> CertificateAuthorityPage:
        after_seq = self._page_tokens.position(next_token) if next_token else 0
        records = self._store.certificate_authorities_after(after_seq, max_results + 1)
        now = self._clock.now()
        page = records[:max_results]
        token = self._page_tokens.issue(page[-1].seq) if len(records) > max_results else None
        return CertificateAuthorityPage([self.render(r, now, expand) for r in page], token)

    def update(self, certificate_authority_id: str, fields: CertificateAuthorityFields) -> None:
        record = self._record(certificate_authority_id)
        now = self._clock.now()
        status = status_of(record, now)
        if status == FAILED:
            raise invalid_state(
                f"Certificate authority {certificate_authority_id} is FAILED and cannot be "
                "updated; delete it."
            )
        updated = self._store.update_certificate_authority(
            certificate_authority_id,
            updated_at=now,
            friendly_name=fields.friendly_name,
            rotation_value=fields.rotation_value,
            rotation_interval=fields.rotation_interval,
        )
        if not updated:
            raise not_found(certificate_authority_id)

    def delete(self, certificate_authority_id: str) -> None:
        if not self._store.delete_certificate_authority(certificate_authority_id):
            raise not_found(certificate_authority_id)

    def import_certificate(self, certificate_authority_id: str, fields: ImportFields) -> None:
        record = self._record(certificate_authority_id)
        now = self._clock.now()
        status = status_of(record, now)
        if status not in _IMPORTABLE or record.csr_der is None:
            raise invalid_state(
                f"Certificate authority {certificate_authority_id} is {status}; a certificate "
                f"can be imported only in {', '.join(_IMPORTABLE)}."
            )
        from asp_emulator.import_checks import check_import, csr_public_key_der

        ca_public_key_der = csr_public_key_der(record.csr_der)
        checked = check_import(
            fields.certificate, fields.certificate_chain, ca_public_key_der, now
        )
        stored = self._store.store_certificate(
            certificate_authority_id,
            updated_at=now,
            certificate_der=checked.certificate_der,
            certificate_chain_pem=checked.certificate_chain_pem,
            not_before=checked.not_before,
            not_after=checked.not_after,
        )
        if not stored:
            raise not_found(certificate_authority_id)

    def device_certificate(
        self, certificate_authority_id: str, *, common_name: str | None, key_type: str
    ) -> DeviceCertificate:
        record = self._record(certificate_authority_id)
        now = self._clock.now()
        status = status_of(record, now)
        if status != ACTIVE or record.private_key_pem is None or record.certificate_der is None:
            raise invalid_state(
                f"Certificate authority {certificate_authority_id} is {status}; only an "
                "ACTIVE one issues device certificates."
            )
        from asp_emulator.device_certificates import issue_device_certificate

        return issue_device_certificate(
            ca_private_key_pem=record.private_key_pem,
            ca_certificate_der=record.certificate_der,
            ca_chain_pem=record.certificate_chain_pem or "",
            rotation_months=record.rotation_value,
            common_name=common_name or f"asp-device-{secrets.token_hex(6)}",
            key_type=key_type,
            now_timestamp=now,
        )
