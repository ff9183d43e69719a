"""Any document: servers, their variables, and security overrides (feature fixtures).

Split from ``test_any_document.py`` (which lists every fixture in ``EXPECTED``):
``servers_variables``, ``servers_without_url`` and ``security``.
"""

from __future__ import annotations

import pytest

from tests.anydoc import Packages, Upstream, client


def test_server_variables(fixtures: Packages, monkeypatch: pytest.MonkeyPatch) -> None:
    gen = fixtures.fixture("servers_variables")
    assert gen.api.variable_args == (
        ("tenant", "tenant", "FX_SERVERS_VARIABLES_TENANT"),
        ("timeout", "timeout_var", "FX_SERVERS_VARIABLES_TIMEOUT"),  # `timeout` is the client's own keyword
        ("region", "region", "FX_SERVERS_VARIABLES_REGION"),
    )
    upstream = Upstream()
    with client(gen, upstream, base_url=None, tenant="t1", region="eu", timeout_var="v2", timeout=5) as c:
        c.ping.ping()
    assert str(upstream.request.url) == "https://t1.eu.example.test/v2/ping"
    monkeypatch.setenv("FX_SERVERS_VARIABLES_REGION", "us")
    upstream = Upstream()
    with client(gen, upstream, base_url=None) as c:
        c.ping.ping()
    assert str(upstream.request.url) == "https://acme.us.example.test/v1/ping"  # declared defaults


def test_servers_without_url(fixtures: Packages, monkeypatch: pytest.MonkeyPatch) -> None:
    gen = fixtures.fixture("servers_without_url")
    assert gen.api.servers == ()
    monkeypatch.delenv("FX_SERVERS_WITHOUT_URL_BASE_URL", raising=False)
    errors = gen.module("_runtime.errors")
    with pytest.raises(errors.ClientError, match="pass base_url or set FX_SERVERS_WITHOUT_URL_BASE_URL"):
        client(gen, Upstream(), base_url=None)
    upstream = Upstream()
    with client(gen, upstream, base_url="https://h.example.test/api/v3") as c:
        c.ping.ping()
    assert str(upstream.request.url) == "https://h.example.test/api/v3/ping"


def test_security_overrides(fixtures: Packages) -> None:
    gen = fixtures.fixture("security")
    assert {op.tool.name: op.auth for op in gen.api.operations} == {
        "list_items": ("apiKey",),
        "who_am_i": ("bearer",),
        "health": (),
        "list_certificates": (),
    }
    seen = {}
    for name, call in (
        ("list_items", lambda c: c.items.list_items()),
        ("who_am_i", lambda c: c.me.who_am_i()),
        ("health", lambda c: c.health.health()),
        ("list_certificates", lambda c: c.certificates.list_certificates()),
    ):
        upstream = Upstream()
        with client(gen, upstream) as c:
            call(c)
        headers = upstream.request.headers
        seen[name] = (headers.get("x-api-key"), headers.get("authorization"))
    assert seen == {
        "list_items": ("secret-key", None),
        "who_am_i": (None, "Bearer secret-key"),
        "health": (None, None),
        "list_certificates": (None, None),
    }
