"""`asp-emulator`: start the emulator and say where it listens once it accepts connections."""

from __future__ import annotations

import argparse
import importlib
import os
import socket
import sqlite3
import ssl
import sys
import threading
from typing import Sequence

import uvicorn

from asp_emulator.access_tokens import REQUIRED_SCOPES
from asp_emulator.app import build_app
from asp_emulator.certificate_authorities import CRYPTOGRAPHY_MODULES
from asp_emulator.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_REFRESH_TOKEN,
    KEY_TYPES,
    EmulatorConfig,
)
from asp_emulator.faults import FaultRuleError, parse_fault_rule, parse_fault_spec

_DESCRIPTION = """\
A local emulator of the Alexa Smart Properties certificate authority management API
and of Login with Amazon's token endpoint. It prints its base URL once it accepts
connections. Point a playbook at it with:

  ASP_API_URL=<url>
  ASP_LWA_TOKEN_URL=<url>/auth/o2/token
  ASP_CLIENT_ID=asp-emulator-client
  ASP_CLIENT_SECRET=asp-emulator-secret
  ASP_REFRESH_TOKEN='Atzr|asp-emulator-refresh-token'

Those credentials are the defaults; --client-id, --client-secret and --refresh-token
change them.

Its own controls, under <url>/_emulator/ and needing no token: health, stats,
clock, faults, tokens and certificateAuthorities/<id>/deviceCertificates.
"""


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asp-emulator",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--url-file", help="write the base URL here once ready")
    parser.add_argument(
        "--db", help="SQLite file that keeps state across restarts (default: in memory)"
    )
    parser.add_argument(
        "--creation-delay",
        type=_non_negative,
        default=2.0,
        metavar="SECONDS",
        help="how long a new CA stays CREATING (default 2)",
    )
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID, help="accepted LWA client id")
    parser.add_argument(
        "--client-secret",
        default=DEFAULT_CLIENT_SECRET,
        help="accepted LWA client secret (default: the documented emulator secret)",
    )
    parser.add_argument(
        "--refresh-token",
        default=DEFAULT_REFRESH_TOKEN,
        help="accepted LWA refresh token (default: the documented emulator token)",
    )
    parser.add_argument(
        "--scopes",
        nargs="*",
        default=list(REQUIRED_SCOPES),
        help="scopes granted to refreshed tokens, separate or comma-separated "
        "(default: both ASP scopes)",
    )
    parser.add_argument(
        "--token-lifetime",
        type=_non_negative,
        default=3600.0,
        metavar="SECONDS",
        help="access token lifetime (default 3600)",
    )
    parser.add_argument(
        "--key-type", choices=KEY_TYPES, default="rsa", help="CA key: RSA 2048 or EC P-256"
    )
    parser.add_argument(
        "--pem-line-breaks",
        action="store_true",
        help="send CSRs and certificates as multi-line PEM instead of the reference's "
        "single-line form",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="a fault rule as JSON or key=value pairs, e.g. operation=create,kind=429,count=2 "
        "(repeatable)",
    )
    parser.add_argument("--fault-seed", type=int, help="seed for rate-based faults")
    parser.add_argument("--quiet", action="store_true", help="no request log lines on stderr")
    return parser


def config_from_arguments(arguments: argparse.Namespace) -> EmulatorConfig:
    faults = [parse_fault_spec(spec) for spec in arguments.fault]
    for position, rule in enumerate(faults):
        parse_fault_rule(rule, position)
    return EmulatorConfig(
        host=arguments.host,
        port=arguments.port,
        url_file=arguments.url_file,
        db=arguments.db,
        creation_delay=arguments.creation_delay,
        tls_cert=arguments.tls_cert,
        tls_key=arguments.tls_key,
        client_id=arguments.client_id,
        client_secret=arguments.client_secret,
        refresh_token=arguments.refresh_token,
        scopes=tuple(
            scope for text in arguments.scopes for scope in text.replace(",", " ").split()
        ),
        token_lifetime=arguments.token_lifetime,
        key_type=arguments.key_type,
        pem_line_breaks=arguments.pem_line_breaks,
        faults=faults,
        fault_seed=arguments.fault_seed,
        request_log=not arguments.quiet,
    )


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off only for sockets that say they are TCP,
    # and with Nagle on every answer waits for the client's delayed ACK (40 ms).
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.set_inheritable(True)
    return listener


def _base_url(config: EmulatorConfig, listener: socket.socket) -> str:
    scheme = "https" if config.tls_cert else "http"
    port = listener.getsockname()[1]
    host = f"[{config.host}]" if ":" in config.host else config.host
    return f"{scheme}://{host}:{port}"


def _announce(url: str, url_file: str | None) -> None:
    if url_file:
        partial = f"{url_file}.partial"
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(url)
        os.replace(partial, url_file)
    print(url, flush=True)


def _load_cryptography() -> None:
    for module in CRYPTOGRAPHY_MODULES:
        importlib.import_module(module)


class _AnnouncingServer(uvicorn.Server):
    """Says where it listens only after uvicorn serves the socket."""

    def __init__(self, config: uvicorn.Config, url: str, url_file: str | None) -> None:
        super().__init__(config)
        self._url = url
        self._url_file = url_file

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            _announce(self._url, self._url_file)
            threading.Thread(target=_load_cryptography, name="load-crypto", daemon=True).start()


def _fail(message: str) -> int:
    print(f"asp-emulator: {message}", file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if bool(arguments.tls_cert) != bool(arguments.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    try:
        config = config_from_arguments(arguments)
    except FaultRuleError as error:
        parser.error(str(error))
    try:
        listener = _bind(config.host, config.port)
    except OSError as error:
        return _fail(f"cannot listen on {config.host}:{config.port}: {error}")
    try:
        app, state = build_app(config)
    except sqlite3.Error as error:
        return _fail(f"cannot open the database {config.db}: {error}")
    server_config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=1,
        ssl_certfile=config.tls_cert,
        ssl_keyfile=config.tls_key,
    )
    server = _AnnouncingServer(server_config, _base_url(config, listener), config.url_file)
    try:
        server.run(sockets=[listener])
    except (OSError, ssl.SSLError) as error:
        return _fail(f"cannot serve TLS with {config.tls_cert} and {config.tls_key}: {error}")
    finally:
        state.store.close()
    return 0
