"""Everything the command line sets, in one object the app is built from."""

from __future__ import annotations

from dataclasses import dataclass, field

from asp_emulator.access_tokens import REQUIRED_SCOPES

DEFAULT_CLIENT_ID = "asp-emulator-client"
DEFAULT_CLIENT_SECRET = "asp-emulator-secret"
DEFAULT_REFRESH_TOKEN = "Atzr|asp-emulator-refresh-token"
KEY_TYPES = ("rsa", "ec")


@dataclass
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = 0
    url_file: str | None = None
    db: str | None = None
    creation_delay: float = 2.0
    tls_cert: str | None = None
    tls_key: str | None = None
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = field(default=DEFAULT_CLIENT_SECRET, repr=False)
    refresh_token: str = field(default=DEFAULT_REFRESH_TOKEN, repr=False)
    scopes: tuple[str, ...] = REQUIRED_SCOPES
    token_lifetime: float = 3600.0
    key_type: str = "rsa"
    pem_line_breaks: bool = False
    faults: list[dict] = field(default_factory=list)
    fault_seed: int | None = None
    request_log: bool = True
