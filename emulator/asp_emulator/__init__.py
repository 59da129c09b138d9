"""A local emulator of the Alexa Smart Properties certificate authority management API."""

from __future__ import annotations

__version__ = "0.1.0"
