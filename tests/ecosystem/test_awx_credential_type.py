"""The AWX credential type: the inputs it asks for, what it hides and what it injects."""

from __future__ import annotations

import keyword

import jinja2.meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from awx_injection import injected_environment, load_credential_type
from ecosystem_tools import REPO_ROOT

MODULE_ENVIRONMENT = {
    "ASP_API_URL",
    "ASP_CLIENT_ID",
    "ASP_CLIENT_SECRET",
    "ASP_REFRESH_TOKEN",
    "ASP_ACCESS_TOKEN",
    "ASP_LWA_TOKEN_URL",
}
SECRET_INPUTS = {"client_secret", "refresh_token", "access_token"}


def test_the_credential_type_is_one_awx_accepts() -> None:
    credential_type = load_credential_type()

    assert credential_type["kind"] in {
        "cloud",
        "net",
    }, "AWX only accepts custom cloud or net types"
    field_ids = [field["id"] for field in credential_type["inputs"]["fields"]]
    assert len(field_ids) == len(set(field_ids)), f"duplicate input ids in {field_ids}"
    for field in credential_type["inputs"]["fields"]:
        assert field["id"].isidentifier() and not keyword.iskeyword(field["id"]), field
        assert field["type"] in {"string", "boolean"}, field
        assert field["label"], field
    assert set(credential_type["inputs"].get("required", [])) <= set(field_ids)


def test_every_secret_input_is_marked_secret_and_nothing_else_is() -> None:
    fields = load_credential_type()["inputs"]["fields"]

    secret = {field["id"] for field in fields if field.get("secret")}

    assert secret == SECRET_INPUTS


def test_it_injects_exactly_the_environment_the_modules_read() -> None:
    credential_type = load_credential_type()
    sandbox = ImmutableSandboxedEnvironment()
    field_ids = {field["id"] for field in credential_type["inputs"]["fields"]}

    injectors = credential_type["injectors"]

    assert set(injectors) == {"env"}, "secrets belong in the environment, never in extra_vars"
    assert set(injectors["env"]) == MODULE_ENVIRONMENT
    for variable, template in injectors["env"].items():
        referenced = jinja2.meta.find_undeclared_variables(sandbox.parse(template))
        assert referenced and referenced <= field_ids, f"{variable} renders {referenced}"


def test_the_connection_documentation_names_every_injected_variable() -> None:
    fragments = "\n".join(
        path.read_text() for path in (REPO_ROOT / "plugins" / "doc_fragments").glob("*.py")
    )

    undocumented = {variable for variable in MODULE_ENVIRONMENT if variable not in fragments}

    assert not undocumented, f"the doc fragment does not mention {sorted(undocumented)}"


def test_a_refresh_credential_leaves_the_access_token_empty_and_defaults_the_urls() -> None:
    environment = injected_environment(
        {"client_id": "amzn1.application-oa2-client.x", "client_secret": "s", "refresh_token": "r"}
    )

    assert environment == {
        "ASP_API_URL": "https://api.amazonalexa.com",
        "ASP_CLIENT_ID": "amzn1.application-oa2-client.x",
        "ASP_CLIENT_SECRET": "s",
        "ASP_REFRESH_TOKEN": "r",
        "ASP_ACCESS_TOKEN": "",
        "ASP_LWA_TOKEN_URL": "https://api.amazon.com/auth/o2/token",
    }


def test_an_access_token_credential_for_europe() -> None:
    environment = injected_environment(
        {"api_url": "https://api.eu.amazonalexa.com", "access_token": "Atza|t"}
    )

    assert environment["ASP_API_URL"] == "https://api.eu.amazonalexa.com"
    assert environment["ASP_ACCESS_TOKEN"] == "Atza|t"
    assert environment["ASP_REFRESH_TOKEN"] == ""
