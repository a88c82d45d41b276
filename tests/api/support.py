"""API test helpers: a token made through the preferences page, and the OpenAPI document as a schema registry."""

import re
from typing import Any

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.support import Page, log_in, log_out


async def token_for(client: httpx.AsyncClient, email: str, *scopes: str, name: str = "script") -> str:
    """Log in, make a token on /preferences/api-tokens, log out: API calls carry no cookie of the person."""
    await log_in(client, email)
    made = await client.post("/preferences/api-tokens", data={"name": name, "scopes": list(scopes or ("read",))})
    assert made.status_code == 200, Page(made.text).alerts
    match = re.search(r'<code id="new-token">([^<]+)</code>', made.text)
    assert match, "the new token is not shown"
    await log_out(client)
    client.cookies.clear()
    return match.group(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Schemas:
    """Validates answers against the schemas the served OpenAPI document declares."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource("urn:sportello:openapi", resource)

    def response_schema(self, path: str, method: str, status: int) -> dict[str, Any]:
        response = self.document["paths"][path][method.lower()]["responses"][str(status)]
        return response["content"]["application/json"]["schema"]

    def validate(self, path: str, method: str, response: httpx.Response) -> None:
        schema = self.response_schema(path, method, response.status_code)
        ref = {"$ref": "urn:sportello:openapi" + schema["$ref"]}
        Draft202012Validator(ref, registry=self.registry).validate(response.json())
