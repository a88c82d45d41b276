"""Every response carries the browser protections: a Content-Security-Policy without inline script or framing,
X-Frame-Options, Referrer-Policy, Permissions-Policy, nosniff; HSTS only in production."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.main import create_app
from app.settings import Settings
from app.web import TEMPLATE_DIR


def policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture
async def production(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    application = create_app(settings.model_copy(update={"environment": "production"}))
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
            yield http


async def test_a_page_carries_the_policy_and_the_protections(client: httpx.AsyncClient) -> None:
    response = await client.get("/login")
    assert response.status_code == 200 and "<form" in response.text
    csp = policy(response.headers["content-security-policy"])
    assert csp["default-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert not any("unsafe" in value for values in csp.values() for value in values)
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["x-content-type-options"] == "nosniff"
    denied = dict(item.strip().split("=") for item in response.headers["permissions-policy"].split(","))
    assert {denied[f] for f in ("camera", "microphone", "geolocation", "payment", "usb")} == {"()"}
    assert "strict-transport-security" not in response.headers


async def test_errors_redirects_and_static_files_carry_them_too(client: httpx.AsyncClient) -> None:
    for path in ("/no-such-page", "/", "/static/css/sportello.css"):
        response = await client.get(path)
        assert response.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path


async def test_production_adds_strict_transport_security(production: httpx.AsyncClient) -> None:
    response = await production.get("/login")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_no_template_has_inline_script_style_or_handlers() -> None:
    """The policy allows no inline code: behaviour lives in static/js, looks in static/css."""
    offenders = []
    for path in sorted(TEMPLATE_DIR.rglob("*.html")):
        if path.relative_to(TEMPLATE_DIR).parts[0] == "mail":  # mail is read in mail clients, never under this policy
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=|\shx-on|javascript:", text):
            offenders.append(str(path))
    assert offenders == []
