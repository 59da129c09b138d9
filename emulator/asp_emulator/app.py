"""The ASGI application: FastAPI routes inside the request pipeline."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from asp_emulator import __version__
from asp_emulator.config import EmulatorConfig
from asp_emulator.control_routes import router as control_router
from asp_emulator.emulator_state import EmulatorState, build_state
from asp_emulator.errors import LoginWithAmazonError, ServiceError
from asp_emulator.lwa_routes import router as lwa_router
from asp_emulator.openapi_document import openapi_document
from asp_emulator.request_pipeline import RequestPipeline
from asp_emulator.service_routes import router as service_router

_HTTP_ERROR_TYPES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


async def _service_error(_request: Request, error: Exception) -> Response:
    assert isinstance(error, ServiceError)
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


async def _login_error(_request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginWithAmazonError)
    return JSONResponse(error.body(), status_code=error.status)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    error_type = _HTTP_ERROR_TYPES.get(error.status_code, "BAD_REQUEST")
    message = (
        f"No resource at {request.url.path}."
        if error.status_code == 404
        else f"{request.method} is not allowed on {request.url.path}."
    )
    return JSONResponse(
        {"type": error_type, "message": message},
        status_code=error.status_code,
        headers=error.headers,
    )


async def _unexpected_error(_request: Request, _error: Exception) -> Response:
    return JSONResponse(
        {"type": "INTERNAL_FAILURE", "message": "An internal error occurred."}, status_code=500
    )


def build_fastapi_app(state: EmulatorState) -> FastAPI:
    fastapi_app = FastAPI(
        title="ASP certificate authority management (emulator)",
        version=__version__,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
    )
    fastapi_app.state.emulator = state
    fastapi_app.include_router(service_router)
    fastapi_app.include_router(lwa_router)
    fastapi_app.include_router(control_router)
    fastapi_app.add_exception_handler(ServiceError, _service_error)
    fastapi_app.add_exception_handler(LoginWithAmazonError, _login_error)
    fastapi_app.add_exception_handler(HTTPException, _http_error)
    fastapi_app.add_exception_handler(Exception, _unexpected_error)

    document = openapi_document(__version__)

    @fastapi_app.get("/openapi.json", include_in_schema=False)
    async def openapi() -> Response:
        return JSONResponse(document)

    return fastapi_app


def build_app(config: EmulatorConfig) -> tuple[RequestPipeline, EmulatorState]:
    state = build_state(config)
    pipeline = RequestPipeline(
        build_fastapi_app(state), state.faults, state.stats, log_requests=config.request_log
    )
    return pipeline, state
