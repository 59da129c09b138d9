"""The OpenAPI document of the service as the emulator implements it, for fuzzing."""

from __future__ import annotations

from asp_emulator.certificate_authorities import PAGE_SIZE_MAX
from asp_emulator.request_bodies import (
    NAME_MAX_LENGTH,
    ROTATION_INTERVALS,
    ROTATION_MONTHS_MAX,
    ROTATION_MONTHS_MIN,
)
from asp_emulator.request_pipeline import SERVICE_BASE, TOKEN_PATH

_STATUSES = ["CREATING", "PENDING_CERTIFICATE", "ACTIVE", "EXPIRED", "FAILED"]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _errors(*statuses: int) -> dict:
    descriptions = {
        400: "A property of the request is not valid, or the CA's status forbids the operation",
        401: "The access token is missing, unknown or expired",
        403: "The access token lacks a required scope",
        404: "No certificate authority with that id",
        405: "The method is not allowed on this path",
        429: "Rate limit exceeded",
        500: "Internal failure",
        503: "Service unavailable",
    }
    return {str(status): _error(descriptions[status]) for status in statuses}


_COMMON_ERRORS = (400, 401, 403, 429, 500, 503)

_PATH_ID = {
    "name": "certificateAuthorityId",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "minLength": 1},
}
_EXPAND = {
    "name": "expand",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["all"]},
}

_SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["type", "message"],
        "properties": {"type": {"type": "string"}, "message": {"type": "string"}},
    },
    "NameValue": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "value"],
        "properties": {
            "type": {"type": "string", "enum": ["PLAIN"]},
            "value": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text"],
                "properties": {
                    "text": {"type": "string", "minLength": 1, "maxLength": NAME_MAX_LENGTH}
                },
            },
        },
    },
    "RotationPeriod": {
        "type": "object",
        "additionalProperties": False,
        "required": ["value", "interval"],
        "properties": {
            "value": {
                "type": "integer",
                "minimum": ROTATION_MONTHS_MIN,
                "maximum": ROTATION_MONTHS_MAX,
            },
            "interval": {"type": "string", "enum": list(ROTATION_INTERVALS)},
        },
    },
    "CreateCertificateAuthorityRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["friendlyName", "rotationPeriod"],
        "properties": {
            "friendlyName": _ref("NameValue"),
            "rotationPeriod": _ref("RotationPeriod"),
        },
    },
    "CreateCertificateAuthorityResponse": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}},
    },
    "UpdateCertificateAuthorityRequest": {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "friendlyName": _ref("NameValue"),
            "rotationPeriod": _ref("RotationPeriod"),
        },
    },
    "ImportCertificateRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["certificate", "certificateChain"],
        "properties": {
            "certificate": {"type": "string", "description": "PEM, with or without line breaks"},
            "certificateChain": {
                "type": "string",
                "description": "PEM, issuer of the certificate first, up to the root",
            },
        },
    },
    "CertificateMetadata": {
        "type": "object",
        "required": ["certificate", "certificateChain", "expiresAt", "activeFrom"],
        "properties": {
            "certificate": {"type": "string"},
            "certificateChain": {"type": "string"},
            "expiresAt": {"type": "string", "format": "date-time"},
            "activeFrom": {"type": "string", "format": "date-time"},
        },
    },
    "CertificateAuthority": {
        "type": "object",
        "required": ["id", "friendlyName", "status", "createdAt", "updatedAt", "rotationPeriod"],
        "properties": {
            "id": {"type": "string"},
            "friendlyName": _ref("NameValue"),
            "status": {"type": "string", "enum": _STATUSES},
            "createdAt": {"type": "string", "format": "date-time"},
            "updatedAt": {"type": "string", "format": "date-time"},
            "csr": {"type": "string", "description": "Only with expand=all"},
            "certificateMetadata": _ref("CertificateMetadata"),
            "rotationPeriod": _ref("RotationPeriod"),
        },
    },
    "CertificateAuthorityList": {
        "type": "object",
        "required": ["certificateAuthorities"],
        "properties": {
            "certificateAuthorities": {"type": "array", "items": _ref("CertificateAuthority")},
            "paginationContext": {
                "type": "object",
                "required": ["nextToken"],
                "properties": {"nextToken": {"type": "string"}},
            },
        },
    },
    "TokenRequest": {
        "type": "object",
        "required": ["grant_type", "client_id", "client_secret", "refresh_token"],
        "properties": {
            "grant_type": {"type": "string", "enum": ["refresh_token"]},
            "client_id": {"type": "string", "minLength": 1},
            "client_secret": {"type": "string", "minLength": 1},
            "refresh_token": {"type": "string", "minLength": 1},
        },
    },
    "TokenResponse": {
        "type": "object",
        "required": ["access_token", "token_type", "expires_in", "refresh_token"],
        "properties": {
            "access_token": {"type": "string"},
            "token_type": {"type": "string", "enum": ["bearer"]},
            "expires_in": {"type": "integer"},
            "refresh_token": {"type": "string"},
        },
    },
    "LoginWithAmazonError": {
        "type": "object",
        "required": ["error", "error_description"],
        "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
    },
}


def _create_operation(operation_id: str) -> dict:
    return {
        "operationId": operation_id,
        "summary": "Create certificate authority",
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _ref("CreateCertificateAuthorityRequest")}},
        },
        "responses": {
            "201": {
                "description": "The id of the new CA",
                "content": {
                    "application/json": {"schema": _ref("CreateCertificateAuthorityResponse")}
                },
            },
            **_errors(*_COMMON_ERRORS),
        },
    }


def _paths() -> dict:
    one_ca = f"{SERVICE_BASE}/{{certificateAuthorityId}}"
    return {
        SERVICE_BASE: {
            "get": {
                "operationId": "listCertificateAuthorities",
                "summary": "List certificate authorities",
                "parameters": [
                    _EXPAND,
                    {
                        "name": "maxResults",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
                    },
                    {
                        "name": "nextToken",
                        "in": "query",
                        "required": False,
                        "description": "Only tokens from paginationContext are accepted",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "One page of CAs",
                        "content": {
                            "application/json": {"schema": _ref("CertificateAuthorityList")}
                        },
                    },
                    **_errors(*_COMMON_ERRORS),
                },
            },
            "post": _create_operation("createCertificateAuthority"),
        },
        f"{SERVICE_BASE}/": {"post": _create_operation("createCertificateAuthorityTrailingSlash")},
        one_ca: {
            "parameters": [_PATH_ID],
            "get": {
                "operationId": "getCertificateAuthority",
                "summary": "Get certificate authority details",
                "parameters": [_EXPAND],
                "responses": {
                    "200": {
                        "description": "The CA",
                        "content": {"application/json": {"schema": _ref("CertificateAuthority")}},
                    },
                    **_errors(*_COMMON_ERRORS, 404),
                },
            },
            "put": {
                "operationId": "updateCertificateAuthority",
                "summary": "Update certificate authority",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": _ref("UpdateCertificateAuthorityRequest")}
                    },
                },
                "responses": {"204": {"description": "Updated"}, **_errors(*_COMMON_ERRORS, 404)},
            },
            "delete": {
                "operationId": "deleteCertificateAuthority",
                "summary": "Delete certificate authority",
                "responses": {"204": {"description": "Deleted"}, **_errors(*_COMMON_ERRORS, 404)},
            },
        },
        f"{one_ca}/importCertificate": {
            "parameters": [_PATH_ID],
            "post": {
                "operationId": "importCertificate",
                "summary": "Import certificate",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("ImportCertificateRequest")}},
                },
                "responses": {
                    "204": {"description": "Imported"},
                    **_errors(*_COMMON_ERRORS, 404),
                },
            },
        },
        TOKEN_PATH: {
            "post": {
                "operationId": "refreshAccessToken",
                "summary": "Login with Amazon: exchange a refresh token for an access token",
                "security": [],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {"schema": _ref("TokenRequest")}
                    },
                },
                "responses": {
                    "200": {
                        "description": "A new access token",
                        "content": {"application/json": {"schema": _ref("TokenResponse")}},
                    },
                    **{
                        str(status): {
                            "description": description,
                            "content": {
                                "application/json": {"schema": _ref("LoginWithAmazonError")}
                            },
                        }
                        for status, description in (
                            (400, "invalid_request, unsupported_grant_type or invalid_grant"),
                            (401, "invalid_client"),
                            (429, "Rate limit exceeded"),
                            (500, "Internal failure"),
                            (503, "Service unavailable"),
                        )
                    },
                },
            }
        },
    }


def openapi_document(version: str) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Alexa Smart Properties certificate authority management (asp-emulator)",
            "version": version,
            "description": "The service as the emulator implements it; see api-notes for what "
            "is documented and what is assumed.",
        },
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": _SCHEMAS,
        },
    }
