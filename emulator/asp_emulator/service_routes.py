"""The service's six operations over HTTP, at the reference's paths."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from asp_emulator.certificate_authorities import PAGE_SIZE_MAX
from asp_emulator.emulator_state import EmulatorState
from asp_emulator.errors import bad_request
from asp_emulator.request_bodies import create_fields, import_fields, update_fields
from asp_emulator.request_pipeline import CREATE_FAULT_KEY, SERVICE_BASE

router = APIRouter()
_DIGITS = re.compile(r"^[0-9]{1,6}$")


def _state(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    state.access_tokens.authorize(request.headers.get("authorization"))
    return state


def _expand(request: Request) -> bool:
    expand = request.query_params.get("expand")
    if expand is None:
        return False
    if expand != "all":
        raise bad_request(f"expand must be 'all', not {expand[:40]!r}.")
    return True


def _max_results(request: Request) -> int:
    text = request.query_params.get("maxResults")
    if text is None:
        return PAGE_SIZE_MAX
    if not _DIGITS.match(text) or not 1 <= int(text) <= PAGE_SIZE_MAX:
        raise bad_request(f"maxResults must be an integer from 1 to {PAGE_SIZE_MAX}.")
    return int(text)


async def create_certificate_authority(request: Request) -> Response:
    state = _state(request)
    fields = create_fields(await request.body())
    create_fault = request.scope.get(CREATE_FAULT_KEY)
    certificate_authority_id = await run_in_threadpool(
        state.certificate_authorities.create, fields, fails=create_fault == "fail_create"
    )
    if create_fault == "lost_create":
        return JSONResponse(
            {"type": "INTERNAL_FAILURE", "message": "An internal error occurred."},
            status_code=500,
        )
    return JSONResponse({"id": certificate_authority_id}, status_code=201)


async def list_certificate_authorities(request: Request) -> Response:
    state = _state(request)
    expand = _expand(request)
    max_results = _max_results(request)
    page = state.certificate_authorities.list_page(
        expand=expand, max_results=max_results, next_token=request.query_params.get("nextToken")
    )
    body: dict[str, object] = {"certificateAuthorities": page.certificate_authorities}
    if page.next_token is not None:
        body["paginationContext"] = {"nextToken": page.next_token}
    return JSONResponse(body)


async def get_certificate_authority(request: Request, certificate_authority_id: str) -> Response:
    state = _state(request)
    expand = _expand(request)
    return JSONResponse(state.certificate_authorities.get(certificate_authority_id, expand=expand))


async def update_certificate_authority(
    request: Request, certificate_authority_id: str
) -> Response:
    state = _state(request)
    fields = update_fields(await request.body())
    state.certificate_authorities.update(certificate_authority_id, fields)
    return Response(status_code=204)


async def delete_certificate_authority(
    request: Request, certificate_authority_id: str
) -> Response:
    state = _state(request)
    state.certificate_authorities.delete(certificate_authority_id)
    return Response(status_code=204)


@router.post(
    f"{SERVICE_BASE}/{{certificate_authority_id}}/importCertificate", include_in_schema=False
)
async def import_certificate(request: Request, certificate_authority_id: str) -> Response:
    state = _state(request)
    fields = import_fields(await request.body())
    await run_in_threadpool(
        state.certificate_authorities.import_certificate, certificate_authority_id, fields
    )
    return Response(status_code=204)


# One route a path, so that a 405 lists every method the path has in its Allow header.


async def certificate_authorities(request: Request) -> Response:
    if request.method == "POST":
        return await create_certificate_authority(request)
    return await list_certificate_authorities(request)


_ONE_CERTIFICATE_AUTHORITY = {
    "GET": get_certificate_authority,
    "PUT": update_certificate_authority,
    "DELETE": delete_certificate_authority,
}


async def one_certificate_authority(request: Request, certificate_authority_id: str) -> Response:
    handler = _ONE_CERTIFICATE_AUTHORITY[request.method]
    return await handler(request, certificate_authority_id)


router.add_api_route(
    SERVICE_BASE, certificate_authorities, methods=["GET", "POST"], include_in_schema=False
)
# Older copies of the reference write Create with a trailing slash.
router.add_api_route(
    f"{SERVICE_BASE}/", create_certificate_authority, methods=["POST"], include_in_schema=False
)
router.add_api_route(
    f"{SERVICE_BASE}/{{certificate_authority_id}}",
    one_certificate_authority,
    methods=["GET", "PUT", "DELETE"],
    include_in_schema=False,
)
