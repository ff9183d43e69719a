"""Path values cannot leave their segment (issue 11, item 1).

A path value that is (or decodes to) ``.`` / ``..``, or is empty, used to be sent
as is, and the HTTP client removed the dot segment: ``contact_id="."`` on
``GET /contacts/{contact_id}`` listed every contact, ``conversation_id=".."``
on ``DELETE /conversations/{conversation_id}/tags/{tag_id}`` became
``DELETE /tags/{tag_id}``. The runtime now refuses those values before sending
(``_runtime/wire.py``), and sends every other value percent-encoded in its own
segment.

The properties, each checked on what the mock recorded (``Recorded.raw_path``,
the path as it arrived):

* every path parameter of every curated operation, through the MCP tool host
  and the mock: whatever string the argument is, exactly one request whose path
  has the template's segments (each placeholder's segment decodes back to the
  value), or nothing sent and a tool error;
* the runtime on any template (two placeholders in a path, two in one segment,
  a placeholder next to literal text); packages generated from every document
  without curation (``tests/fixtures/openapi``, ``path_segments.yaml`` has two
  path parameters) are checked in ``tests/test_any_document.py``;
* the attack itself, over real HTTP: an endpoint scoped to one Intercom tool
  cannot reach another operation through ``.`` or ``..``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from generated.intercom._runtime.sqlitestore import SqliteEndpointStore
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generated.intercom import AsyncIntercomClient
from generated.intercom._runtime.endpoints import EndpointRegistry
from generated.intercom._runtime.errors import ArgumentError
from generated.intercom._runtime.http import SyncClient
from generated.intercom._runtime.httpapp import endpoints_app
from generated.intercom._runtime.server import ToolHost
from generated.intercom._runtime.spec import OperationSpec, Param
from generated.intercom.client import API as INTERCOM
from generated.intercom.tools import TOOLS as INTERCOM_TOOLS
from helpdesk_mock import serve_in_thread
from tests.fuzz.runner import close_sessions, session_for
from tests.fuzz.targets import Target, targets
from tests.fuzz.translate import translate
from tests.mocks import create_app

ROOT = Path(__file__).resolve().parents[1]

# Values that used to leave the segment, or come close: dot segments plain and encoded (once,
# twice, mixed case), behind separators, empty, and characters that must stay inside the segment.
SPECIALS = [
    ".", "..", "", "%2e", "%2E%2E", ".%2e", "%252e%252e", "a/../b", "../x", "..\\x", "x/.", "./",
    "/", "a/b", "?x=1", "#f", "a b", "é/ü", "\x00", "..;", ";", "%", "...", ".hidden",
]  # fmt: skip
TEXT = st.text(max_size=12)


def segments_ok(template: str, raw_path: str, values: dict[str, str]) -> list[str]:
    """Why ``raw_path`` is not exactly ``template``'s segments filled with ``values`` (empty: it is)."""
    wanted, got = template.split("/"), raw_path.split("?")[0].split("/")
    if len(wanted) != len(got):
        return [f"{raw_path!r} has {len(got)} segments, {template!r} has {len(wanted)}"]
    problems = []
    for pattern, segment in zip(wanted, got, strict=True):
        if "{" not in pattern:
            if pattern != segment:
                problems.append(f"literal segment {pattern!r} became {segment!r}")
            continue
        expected = pattern
        for name, value in values.items():
            expected = expected.replace("{" + name + "}", value)
        if unquote(segment) != expected or segment in ("", ".", ".."):
            problems.append(f"segment {pattern!r} is {segment!r}, decoding to {unquote(segment)!r}, not {expected!r}")
    return problems


# -- every path parameter of every curated operation -----------------------------------------


def path_targets() -> list[tuple[Target, Any]]:
    out = []
    for api in ("desk365", "intercom"):
        for target in targets(api):
            for p in target.tool.operation.params:
                if p.location == "path":
                    out.append((target, p))
    return out


PATH_TARGETS = path_targets()


@pytest.fixture(scope="module", autouse=True)
def _sessions() -> Iterator[None]:
    yield
    close_sessions()


def test_the_curated_documents_have_path_parameters_to_check() -> None:
    assert len(PATH_TARGETS) == 62  # Intercom's; Desk365 names its tickets in the query
    assert any(sum(p.location == "path" for p in t.tool.operation.params) == 2 for t, _ in PATH_TARGETS)


@pytest.mark.parametrize("target,param", PATH_TARGETS, ids=[f"{t.tool.name}.{p.arg}" for t, p in PATH_TARGETS])
def test_a_path_argument_fills_exactly_its_segment_or_nothing_is_sent(target: Target, param: Any) -> None:
    session = session_for(target.api.name)

    @given(case=target.operation().as_strategy(), data=st.data())
    @settings(max_examples=2, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def check(case: Any, data: Any) -> None:
        base = translate(target, case, positive=True).tool_args
        for value in [*SPECIALS, data.draw(TEXT, label="text")]:
            args = {**base, param.arg: value}
            session.forget()
            result = session.call_tool(target, args)
            sent = list(session.app.requests)
            text = "\n".join(c.text for c in result.content if c.type == "text")
            if not sent:
                assert result.is_error and "Nothing was sent" in text, (value, text)
                continue
            assert len(sent) == 1, (value, [r.raw_path for r in sent])
            filled = {p.wire: str(args[p.arg]) for p in target.tool.operation.params if p.location == "path"}
            problems = segments_ok(target.tool.operation.path, sent[0].raw_path, filled)
            assert not problems, (value, problems)
            assert value not in (".", "..", ""), f"{value!r} was sent: {sent[0].raw_path}"

    check()


# -- the runtime on any template ----------------------------------------------------------------

TEMPLATES = ["/a/{x}", "/a/{x}/b/{y}", "/{x}{y}", "/files/{x}.json", "/v1/{x}-{y}/z"]


@cache
def _client() -> SyncClient:
    """One client (building an httpx client costs milliseconds); ``_build`` sends nothing."""
    return SyncClient(
        INTERCOM, credential="k", base_url="https://api.example.test/base", variables={}, server=None,
        timeout=None, max_response_bytes=None, max_retries=0, retry_deadline=None, headers=None,
    )  # fmt: skip


@given(template=st.sampled_from(TEMPLATES), x=st.sampled_from(SPECIALS) | TEXT, y=st.sampled_from(SPECIALS) | TEXT)
@settings(max_examples=300, deadline=None, database=None, derandomize=True)
def test_the_runtime_keeps_any_template_s_segments(template: str, x: str, y: str) -> None:
    names = [n for n in ("x", "y") if "{" + n + "}" in template]
    op = OperationSpec("op", "DELETE", template, params=tuple(Param(n, n, "path") for n in names))
    values = {"x": x, "y": y}
    client = _client()
    try:
        request = client._build(op, {n: values[n] for n in names}, checked=True)
    except ArgumentError as exc:
        assert any(n in str(exc) for n in names) or "path segment" in str(exc), str(exc)
        return
    raw = request.url.raw_path.decode("ascii")
    assert raw.startswith("/base/")
    assert not segments_ok(template, raw[len("/base") :], {n: values[n] for n in names})


def test_refusals_name_the_argument_and_say_why() -> None:
    params = (Param("conversation_id", "conversation_id", "path"), Param("tag_id", "tag_id", "path"))
    op = OperationSpec("op", "DELETE", "/conversations/{conversation_id}/tags/{tag_id}", params=params)
    client = _client()
    for value, reason in [
        ("..", "'..' is or contains a '.' or '..' path segment"),
        ("%2E%2E", "'%2E%2E' (decoded: '..')"),
        ("a%2F..%2Fb", "(decoded: 'a/../b')"),
        ("", "must not be empty"),
    ]:
        with pytest.raises(ArgumentError, match="^conversation_id: ") as info:
            client._build(op, {"conversation_id": value, "tag_id": "7"}, checked=True)
        assert reason in str(info.value), str(info.value)
    two = OperationSpec("op", "GET", "/x/{a}{b}", params=(Param("a", "a", "path"), Param("b", "b", "path")))
    with pytest.raises(ArgumentError, match="^b: '.' is or contains"):
        client._build(two, {"a": "x", "b": "."}, checked=True)
    assert client._build(two, {"a": ".x", "b": "y"}, checked=True).url.raw_path == b"/base/x/.xy"


def test_the_filled_path_is_checked_as_a_whole() -> None:
    """The last line of defence, should encoding ever let a value change the path's shape."""
    from generated.intercom._runtime.wire import filled_path_problem

    assert filled_path_problem("/a/{x}/b", "/a/1/b") is None
    assert "3 segments instead of 4" in (filled_path_problem("/a/{x}/b", "/a/b") or "")
    assert "make the path segment '..'" in (filled_path_problem("/x/{a}{b}", "/x/..") or "")
    assert "make the path segment ''" in (filled_path_problem("/x/{a}", "/x/") or "")


# -- the attack, over real HTTP ------------------------------------------------------------------


@pytest.fixture(scope="module")
def intercom_upstream() -> Iterator[tuple[Any, str]]:
    app = create_app("intercom")
    with serve_in_thread(app) as url:
        yield app, url


@pytest.mark.anyio
async def test_a_scoped_endpoint_cannot_reach_another_operation_through_dot_segments(
    intercom_upstream: tuple[Any, str], tmp_path: Path
) -> None:
    from tests.endpoints_helpers import mcp

    mock, upstream = intercom_upstream
    store = SqliteEndpointStore(tmp_path / "e.sqlite3", "intercom")
    registry = EndpointRegistry(store, INTERCOM_TOOLS)
    host = ToolHost(INTERCOM, INTERCOM_TOOLS, AsyncIntercomClient(access_token="tok-123456", base_url=upstream))
    app = endpoints_app(host, registry, name="intercom-mcp", version="test")
    tools = [
        "get_single_intercom_contact_by_id",
        "intercom_conversations_detach_tag",
        "delete_a_intercom_contact_by_id",
    ]
    try:
        with serve_in_thread(app) as base:
            issued = registry.create(name="one contact", tools=tools)
            async with mcp(f"{base}/mcp/{issued.token}", mode="legacy") as client:
                mock.reset()
                for tool, args in [
                    ("get_single_intercom_contact_by_id", {"contact_id": "."}),
                    ("get_single_intercom_contact_by_id", {"contact_id": "%2e"}),
                    ("intercom_conversations_detach_tag", {"conversation_id": "..", "tag_id": "1", "admin_id": "1"}),
                    ("delete_a_intercom_contact_by_id", {"contact_id": ".."}),
                    ("delete_a_intercom_contact_by_id", {"contact_id": ""}),
                ]:
                    result = await client.call_tool(tool, args)
                    text = result.content[0].text
                    assert result.is_error and "Nothing was sent" in text, (tool, args, text)
                assert mock.requests == []
                fine = await client.call_tool("get_single_intercom_contact_by_id", {"contact_id": "a/b c"})
                assert [r.raw_path for r in mock.requests] == ["/contacts/a%2Fb%20c"], fine
    finally:
        store.close()
