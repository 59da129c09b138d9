"""The OpenAPI document of the service as the emulator implements it (placeholder)."""

from __future__ import annotations


def openapi_document(version: str) -> dict:
    return {"openapi": "3.0.3", "info": {"title": "ASP", "version": version}, "paths": {}}
