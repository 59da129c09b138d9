"""What only an emulator does, under /_emulator/: clock, faults, stats, tokens, devices."""

from __future__ import annotations

import math

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from asp_emulator import __version__
from asp_emulator.clock import isoformat
from asp_emulator.config import KEY_TYPES
from asp_emulator.emulator_state import EmulatorState
from asp_emulator.errors import bad_request
from asp_emulator.faults import FaultRuleError
from asp_emulator.request_bodies import parse_json_object

router = APIRouter(prefix="/_emulator")
_COMMON_NAME_LIMIT = 64


def _state(request: Request) -> EmulatorState:
    return request.app.state.emulator


async def _optional_object(request: Request) -> dict:
    raw = await request.body()
    return parse_json_object(raw) if raw.strip() else {}


def _non_negative(body: dict, name: str) -> float:
    value = body[name]
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise bad_request(f"{name} must be a number >= 0.")
    return float(value)


@router.get("/health")
async def health() -> Response:
    return JSONResponse({"status": "ok", "version": __version__})


@router.get("/stats")
async def stats(request: Request) -> Response:
    return JSONResponse(_state(request).stats.snapshot())


@router.delete("/stats")
async def reset_stats(request: Request) -> Response:
    _state(request).stats.reset()
    return Response(status_code=204)


@router.get("/clock")
async def clock(request: Request) -> Response:
    return JSONResponse({"now": isoformat(_state(request).clock.now())})


@router.post("/clock")
async def advance_clock(request: Request) -> Response:
    body = parse_json_object(await request.body())
    if set(body) != {"advance_seconds"}:
        raise bad_request("The clock takes exactly {'advance_seconds': n}.")
    now = _state(request).clock.advance(_non_negative(body, "advance_seconds"))
    return JSONResponse({"now": isoformat(now)})


@router.get("/faults")
async def faults(request: Request) -> Response:
    return JSONResponse({"faults": _state(request).faults.rules()})


@router.post("/faults")
async def add_fault(request: Request) -> Response:
    body = parse_json_object(await request.body())
    try:
        rule = _state(request).faults.add(body)
    except FaultRuleError as error:
        raise bad_request(f"{error}.") from None
    return JSONResponse(rule.as_json())


@router.delete("/faults")
async def clear_faults(request: Request) -> Response:
    _state(request).faults.clear()
    return Response(status_code=204)


@router.delete("/faults/{rule_id}")
async def remove_fault(request: Request, rule_id: str) -> Response:
    if not rule_id.isdigit() or not _state(request).faults.remove(int(rule_id)):
        return JSONResponse(
            {"type": "NOT_FOUND", "message": f"No fault rule {rule_id!r}."}, status_code=404
        )
    return Response(status_code=204)


@router.post("/tokens")
async def mint_token(request: Request) -> Response:
    state = _state(request)
    body = await _optional_object(request)
    unknown = sorted(set(body) - {"scopes", "lifetime"})
    if unknown:
        raise bad_request(f"Unknown field {unknown[0]!r}.")
    scopes = body.get("scopes", list(state.config.scopes))
    if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):
        raise bad_request("scopes must be a list of strings.")
    lifetime = (
        _non_negative(body, "lifetime") if "lifetime" in body else state.config.token_lifetime
    )
    access_token = state.access_tokens.issue(scopes, lifetime)
    return JSONResponse(
        {"access_token": access_token, "token_type": "bearer", "expires_in": int(lifetime)},
    )


@router.post("/certificateAuthorities/{certificate_authority_id}/deviceCertificates")
async def device_certificate(request: Request, certificate_authority_id: str) -> Response:
    state = _state(request)
    body = await _optional_object(request)
    unknown = sorted(set(body) - {"common_name", "key_type"})
    if unknown:
        raise bad_request(f"Unknown field {unknown[0]!r}.")
    common_name = body.get("common_name")
    if common_name is not None and (
        not isinstance(common_name, str) or not 1 <= len(common_name) <= _COMMON_NAME_LIMIT
    ):
        raise bad_request(f"common_name must be a string of 1 to {_COMMON_NAME_LIMIT} characters.")
    key_type = body.get("key_type", "rsa")
    if key_type not in KEY_TYPES:
        raise bad_request(f"key_type must be one of {', '.join(KEY_TYPES)}.")
    issued = await run_in_threadpool(
        state.certificate_authorities.device_certificate,
        certificate_authority_id,
        common_name=common_name,
        key_type=key_type,
    )
    return JSONResponse(issued.as_json())
