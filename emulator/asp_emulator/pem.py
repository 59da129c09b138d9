"""PEM text as the service sends and accepts it: with or without line breaks."""

from __future__ import annotations

import base64
import binascii
import re
import textwrap

_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.DOTALL)


class PemError(ValueError):
    """Text that is not the PEM it claims to be."""


def pem_blocks(text: str) -> list[tuple[str, bytes]]:
    """Every PEM block in `text` as (label, DER), whatever the line breaks inside it."""
    blocks = []
    for match in _BLOCK.finditer(text):
        body = re.sub(r"\s+", "", match.group(2))
        try:
            der = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as error:
            raise PemError(f"a {match.group(1)} block is not valid base64") from error
        blocks.append((match.group(1), der))
    return blocks


def to_pem(der: bytes, label: str) -> str:
    """Well-formed PEM: 64-column lines, a newline at the end."""
    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode("ascii"), 64))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n"


def to_single_line(der: bytes, label: str) -> str:
    """PEM without line breaks, the form the reference's examples show."""
    body = base64.b64encode(der).decode("ascii")
    return f"-----BEGIN {label}-----{body}-----END {label}-----"
