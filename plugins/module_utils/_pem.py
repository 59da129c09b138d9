# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PEM text as the ASP service sends it, turned into PEM that OpenSSL reads.

Internal to the collection: names here may change without notice.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import NamedTuple

_LINE_WIDTH = 64

# The service's reference shows END markers with four dashes; tolerate four or five.
_MARKER = re.compile(r"-{4,5}[ \t]*(BEGIN|END)[ \t]+([A-Z0-9][A-Z0-9 ]*?)[ \t]*-{4,5}")
_PRIVATE_KEY_MARKER = re.compile(
    r"-{4,5}\s*(?:BEGIN|END)\s+(?:[A-Z0-9]+\s+)*PRIVATE\s+KEY\s*-{4,5}", re.IGNORECASE
)
_BASE64_BODY = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_HEADER_LINE = re.compile(r"^[A-Za-z0-9-]+:")


class PemError(ValueError):
    """The text is not PEM that can be repaired; the message says what is wrong."""


class PemBlock(NamedTuple):
    """One decoded PEM block: its label (``CERTIFICATE``), RFC 1421 headers and DER bytes."""

    label: str
    headers: tuple[str, ...]
    der: bytes

    def to_pem(self) -> str:
        encoded = base64.b64encode(self.der).decode("ascii")
        lines = [f"-----BEGIN {self.label}-----"]
        if self.headers:
            lines.extend(self.headers)
            lines.append("")
        lines.extend(
            encoded[start : start + _LINE_WIDTH] for start in range(0, len(encoded), _LINE_WIDTH)
        )
        lines.append(f"-----END {self.label}-----")
        return "\n".join(lines) + "\n"


def parse_blocks(text: str) -> list[PemBlock]:
    """Decode every PEM block in ``text``, with or without line breaks inside them.

    Text outside the blocks (such as the ``subject=`` lines that ``openssl`` writes
    before a certificate) is ignored. Raises :class:`PemError` when there is no block,
    a block is truncated, its labels do not match or its body is not base64.
    """
    if not isinstance(text, str):
        raise PemError(f"expected PEM text, got {type(text).__name__}")

    blocks: list[PemBlock] = []
    open_marker: re.Match[str] | None = None
    for marker in _MARKER.finditer(text):
        kind, label = marker.group(1), _collapse_spaces(marker.group(2))
        if kind == "BEGIN":
            if open_marker is not None:
                raise PemError(
                    f"truncated PEM block: {_describe(open_marker, len(blocks))} has no END line"
                    f" before the next BEGIN {label} line"
                )
            open_marker = marker
            continue
        if open_marker is None:
            raise PemError(f"truncated PEM block: END {label} line without a BEGIN line")
        begin_label = _collapse_spaces(open_marker.group(2))
        if label != begin_label:
            raise PemError(
                f"mismatched PEM labels: {_describe(open_marker, len(blocks))}"
                f" ends with END {label}"
            )
        body = text[open_marker.end() : marker.start()]
        blocks.append(_decode_block(begin_label, body, len(blocks)))
        open_marker = None

    if open_marker is not None:
        raise PemError(
            f"truncated PEM block: {_describe(open_marker, len(blocks))} has no END line"
        )
    if not blocks:
        raise PemError("no PEM block found (expected a -----BEGIN ...----- line)")
    return blocks


def normalize_pem(text: str) -> str:
    """Return ``text`` as well-formed PEM: 64-column base64, every block ending in a newline."""
    return "".join(block.to_pem() for block in parse_blocks(text))


def split_certificates(text: str) -> list[str]:
    """Return each certificate in ``text`` as normalized PEM, in the order given."""
    blocks = parse_blocks(text)
    for position, block in enumerate(blocks):
        if block.label != "CERTIFICATE":
            raise PemError(f"PEM block {position + 1} is a {block.label}, not a CERTIFICATE")
    return [block.to_pem() for block in blocks]


def contains_private_key(text: str) -> bool:
    """Tell whether ``text`` holds any kind of PEM private key, even a truncated one."""
    if not text:
        return False
    return _PRIVATE_KEY_MARKER.search(text) is not None


def _decode_block(label: str, body: str, index: int) -> PemBlock:
    headers, payload = _split_headers(body)
    compact = re.sub(r"\s+", "", payload)
    if not compact:
        raise PemError(f"PEM block {index + 1} ({label}) is empty")
    if _BASE64_BODY.fullmatch(compact) is None:
        offender = re.search(r"[^A-Za-z0-9+/=]", compact)
        detail = (
            f"it contains the character {offender.group(0)!r}"
            if offender
            else "padding '=' appears before the end"
        )
        raise PemError(f"bad base64 in PEM block {index + 1} ({label}): {detail}")
    if len(compact) % 4:
        raise PemError(
            f"bad base64 in PEM block {index + 1} ({label}): its length is not a multiple of"
            " 4, so the block is probably cut short"
        )
    try:
        der = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PemError(f"bad base64 in PEM block {index + 1} ({label}): {exc}") from None
    return PemBlock(label=label, headers=headers, der=der)


def _split_headers(body: str) -> tuple[tuple[str, ...], str]:
    """Separate RFC 1421 headers (legacy encrypted keys) from the base64 payload."""
    lines = body.strip().splitlines()
    if not lines or not _HEADER_LINE.match(lines[0].strip()):
        return (), body
    headers: list[str] = []
    for position, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            return tuple(headers), "\n".join(lines[position + 1 :])
        if _HEADER_LINE.match(stripped) or line[:1] in (" ", "\t"):
            headers.append(stripped)
            continue
        return tuple(headers), "\n".join(lines[position:])
    return tuple(headers), ""


def _collapse_spaces(label: str) -> str:
    return " ".join(label.split())


def _describe(marker: re.Match[str], index: int) -> str:
    return f"PEM block {index + 1} (BEGIN {_collapse_spaces(marker.group(2))})"
