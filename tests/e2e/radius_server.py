"""A private FreeRADIUS for the end-to-end suites: EAP-TLS only, on 127.0.0.1 and a free port.

The daemon, its modules and its dictionaries are the system's (Debian's
`freeradius` package); the configuration is a private directory built from
`/etc/freeradius/3.0` with one listener, one client with its own secret and
one EAP-TLS module, so that nothing else the package configures (other
modules, the inner tunnel, the system's trust store) takes part in a test.

FreeRADIUS 3.2 reads its trust store (`ca_file`) only when the EAP module
starts: a HUP (`reload`) re-reads changed configuration files but does not
re-create the EAP module's TLS context (test_freeradius_trust proves it). A
trust store change therefore needs a restart, which `restart_command` does
the way `systemctl restart` would, so that a playbook's handler can run it.
The same file run as a script (`python radius_server.py restart DIR`) is
that command.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

FREERADIUS = os.environ.get("FREERADIUS", "/usr/sbin/freeradius")
SYSTEM_CONFIG = Path(os.environ.get("FREERADIUS_SYSTEM_CONFIG", "/etc/freeradius/3.0"))
READY_LINE = "Ready to process requests"
HUP_HANDLED = "Received HUP signal"
TIMEOUT = 20.0
SETTINGS_FILE = "fixture.json"
PID_FILE = "fixture.pid"
LOG_FILE = "radius.log"


class RadiusServerError(RuntimeError):
    """FreeRADIUS did not start or stop as asked."""


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class TlsOptions:
    """What the EAP-TLS module trusts and checks; paths are on this machine."""

    ca_file: str | None = None
    ca_path: str | None = None
    check_crl: bool = False
    check_all_crl: bool = False

    def lines(self) -> list[str]:
        lines = []
        if self.ca_file:
            lines.append(f'ca_file = "{self.ca_file}"')
        if self.ca_path:
            lines.append(f'ca_path = "{self.ca_path}"')
        lines.append(f"check_crl = {'yes' if self.check_crl else 'no'}")
        lines.append(f"check_all_crl = {'yes' if self.check_all_crl else 'no'}")
        return lines


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@dataclass
class RadiusServer:
    """One private FreeRADIUS: its directory, port, client secret and server CA."""

    directory: Path
    port: int
    secret: str
    tls: TlsOptions

    @property
    def server_ca_file(self) -> Path:
        """The CA that issued the server's certificate, for the client to trust."""
        return self.directory / "server-ca.pem"

    @property
    def log_path(self) -> Path:
        return self.directory / LOG_FILE

    @property
    def restart_command(self) -> str:
        """A command line that restarts this server and returns once it is ready."""
        return f"{sys.executable} {Path(__file__).resolve()} restart {self.directory}"

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pid(self) -> int | None:
        pid_path = self.directory / PID_FILE
        if not pid_path.exists():
            return None
        pid = int(pid_path.read_text())
        return pid if _alive(pid) else None

    def save(self) -> None:
        settings = asdict(self)
        settings["directory"] = str(self.directory)
        (self.directory / SETTINGS_FILE).write_text(json.dumps(settings))

    @classmethod
    def load(cls, directory: Path) -> RadiusServer:
        settings = json.loads((directory / SETTINGS_FILE).read_text())
        settings["directory"] = Path(settings["directory"])
        settings["tls"] = TlsOptions(**settings["tls"])
        return cls(**settings)

    def start(self) -> None:
        if self.pid() is not None:
            raise RadiusServerError(f"FreeRADIUS in {self.directory} is already running")
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            process = subprocess.Popen(
                [FREERADIUS, "-X", "-d", str(self.directory)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # Its own session, so that it outlives a playbook's command task.
                start_new_session=True,
            )
        (self.directory / PID_FILE).write_text(str(process.pid))
        deadline = time.monotonic() + TIMEOUT
        while True:
            with self.log_path.open("rb") as log:
                log.seek(offset)
                started = log.read().decode(errors="replace")
            if READY_LINE in started:
                return
            if process.poll() is not None or time.monotonic() > deadline:
                if process.poll() is None:
                    process.kill()
                process.wait(timeout=10)
                raise RadiusServerError(
                    f"FreeRADIUS in {self.directory} did not start:\n{started[-4000:]}"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + TIMEOUT
        while _alive(pid):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        (self.directory / PID_FILE).unlink(missing_ok=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def reload(self) -> None:
        """Send HUP, as `systemctl reload` does, and wait until the server has handled it."""
        pid = self.pid()
        if pid is None:
            raise RadiusServerError(f"FreeRADIUS in {self.directory} is not running")
        handled = self.log_text().count(HUP_HANDLED)
        os.kill(pid, signal.SIGHUP)
        deadline = time.monotonic() + TIMEOUT
        while self.log_text().count(HUP_HANDLED) <= handled:
            if time.monotonic() > deadline or self.pid() is None:
                raise RadiusServerError(f"FreeRADIUS in {self.directory} did not handle a HUP")
            time.sleep(0.05)
        # The line is logged before the modules are loaded again.
        time.sleep(0.5)


def write_configuration(server: RadiusServer) -> None:
    directory = server.directory
    for sub in ("log", "run", "certs"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy(SYSTEM_CONFIG / "dictionary", directory / "dictionary")
    tls_lines = "".join(f"\t\t\t{line}\n" for line in server.tls.lines())
    (directory / "radiusd.conf").write_text(f"""prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = ${{exec_prefix}}/sbin
raddbdir = {directory}
confdir = ${{raddbdir}}
modconfdir = ${{confdir}}/mods-config
certdir = ${{confdir}}/certs
cadir = ${{confdir}}/certs
logdir = ${{confdir}}/log
radacctdir = ${{logdir}}/radacct
run_dir = ${{confdir}}/run
db_dir = ${{raddbdir}}
libdir = /usr/lib/freeradius
pidfile = ${{run_dir}}/radiusd.pid
name = radiusd
max_request_time = 30
cleanup_delay = 2
max_requests = 1024
hostname_lookups = no

log {{
\tdestination = stdout
\tcolourise = no
\tauth = yes
}}

security {{
\tallow_core_dumps = no
\tmax_attributes = 200
\treject_delay = 0
\tstatus_server = yes
}}

client tests {{
\tipaddr = 127.0.0.1
\tsecret = {server.secret}
}}

modules {{
\teap {{
\t\tdefault_eap_type = tls
\t\ttimer_expire = 60
\t\tignore_unknown_eap_types = no
\t\tmax_sessions = ${{max_requests}}
\t\ttls-config tls-common {{
\t\t\tprivate_key_file = ${{certdir}}/server.key
\t\t\tcertificate_file = ${{certdir}}/server.crt
{tls_lines}\t\t\tcipher_list = "DEFAULT"
\t\t\ttls_min_version = "1.2"
\t\t\ttls_max_version = "1.2"
\t\t\tecdh_curve = "prime256v1"
\t\t\tcache {{
\t\t\t\tenable = no
\t\t\t}}
\t\t}}
\t\ttls {{
\t\t\ttls = tls-common
\t\t}}
\t}}
}}

server eap_tls {{
\tlisten {{
\t\ttype = auth
\t\tipaddr = 127.0.0.1
\t\tport = {server.port}
\t}}
\tauthorize {{
\t\teap {{
\t\t\tok = return
\t\t}}
\t}}
\tauthenticate {{
\t\teap
\t}}
\tpost-auth {{
\t\tPost-Auth-Type REJECT {{
\t\t\teap
\t\t}}
\t}}
}}
""")


def _write_server_identity(directory: Path) -> None:
    # Imported here so that the restart command, run as a script, needs only the
    # standard library.
    from . import pki

    server_authority = pki.root_authority("FreeRADIUS test server CA")
    (directory / "server-ca.pem").write_text(server_authority.certificate_pem)
    pki.server_certificate(server_authority, "radius.test").write(directory / "certs", "server")


@contextlib.contextmanager
def running_radius_server(directory: Path, tls: TlsOptions) -> Iterator[RadiusServer]:
    """Start FreeRADIUS with a server certificate of its own; stop it on the way out.

    `tls.ca_file` (or `ca_path`) must exist and hold at least one certificate
    before the server starts: FreeRADIUS refuses to start without it.
    """
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "certs").mkdir(exist_ok=True)
    _write_server_identity(directory)
    last_error: RadiusServerError | None = None
    for _attempt in range(3):
        server = RadiusServer(directory, free_udp_port(), secrets.token_hex(16), tls)
        write_configuration(server)
        server.save()
        try:
            server.start()
        except RadiusServerError as error:
            last_error = error
            # Another process may have taken the port between probe and bind.
            if "Address already in use" in str(error):
                continue
            raise
        try:
            yield server
        finally:
            server.stop()
        return
    raise RadiusServerError(f"FreeRADIUS found no free port: {last_error}")


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("start", "stop", "restart"):
        print(f"usage: {argv[0]} start|stop|restart DIRECTORY", file=sys.stderr)
        return 2
    server = RadiusServer.load(Path(argv[2]))
    try:
        getattr(server, argv[1])()
    except RadiusServerError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
