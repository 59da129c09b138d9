"""Opaque list tokens that the emulator can tell it issued itself."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from asp_emulator.errors import bad_request


class PageTokens:
    """A token names the last CA of a page and carries an HMAC, so forgeries are refused."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _signature(self, payload: bytes) -> str:
        digest = hmac.new(self._secret, payload, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def issue(self, after_seq: int) -> str:
        payload = str(after_seq).encode("ascii")
        encoded = base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")
        return f"{encoded}.{self._signature(payload)}"

    def position(self, next_token: str) -> int:
        """The sequence number to continue after; 400 for a token never issued."""
        encoded, _, signature = next_token.partition(".")
        try:
            payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            after_seq = int(payload.decode("ascii"))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise bad_request("nextToken is not a token this service issued.") from None
        if not hmac.compare_digest(signature, self._signature(payload)):
            raise bad_request("nextToken is not a token this service issued.")
        return after_seq
