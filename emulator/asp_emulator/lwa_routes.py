"""Login with Amazon's token endpoint, refresh-token grant only, as ASP integrators use it."""

from __future__ import annotations

import hmac
import json
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from asp_emulator.emulator_state import EmulatorState
from asp_emulator.errors import LoginWithAmazonError
from asp_emulator.request_pipeline import TOKEN_PATH

router = APIRouter()


def _form(raw: bytes, content_type: str) -> dict[str, str]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LoginWithAmazonError(400, "invalid_request", "The body is not UTF-8.") from None
    if "json" in content_type:
        try:
            body = json.loads(text)
        except json.JSONDecodeError:
            raise LoginWithAmazonError(400, "invalid_request", "The body is not JSON.") from None
        if not isinstance(body, dict):
            raise LoginWithAmazonError(400, "invalid_request", "The body is not an object.")
        return {name: value for name, value in body.items() if isinstance(value, str)}
    return {name: values[-1] for name, values in parse_qs(text, keep_blank_values=True).items()}


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


@router.post(TOKEN_PATH, include_in_schema=False)
async def issue_access_token(request: Request) -> Response:
    state: EmulatorState = request.app.state.emulator
    config = state.config
    form = _form(await request.body(), request.headers.get("content-type", ""))
    for name in ("grant_type", "client_id", "client_secret", "refresh_token"):
        if not form.get(name):
            raise LoginWithAmazonError(
                400, "invalid_request", f"The request is missing the parameter {name}."
            )
    if form["grant_type"] != "refresh_token":
        raise LoginWithAmazonError(
            400, "unsupported_grant_type", "Only the refresh_token grant is supported."
        )
    if not (
        _same(form["client_id"], config.client_id)
        and _same(form["client_secret"], config.client_secret)
    ):
        raise LoginWithAmazonError(401, "invalid_client", "Client authentication failed.")
    if not _same(form["refresh_token"], config.refresh_token):
        raise LoginWithAmazonError(
            400, "invalid_grant", "The request has an invalid grant parameter: refresh_token."
        )
    access_token = state.access_tokens.issue(list(config.scopes), config.token_lifetime)
    return JSONResponse(
        {
            "access_token": access_token,
            "refresh_token": config.refresh_token,
            "token_type": "bearer",
            "expires_in": int(config.token_lifetime),
        },
        headers={"cache-control": "no-store"},
    )
