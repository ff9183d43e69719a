"""Schemathesis-driven fuzzing of the generated packages against the mock (see tests/fuzz).

For every operation of both curated documents: positive cases through the MCP tool,
the sync typed client (arguments as pydantic models) and the async typed client
(plain dicts), each compared request-for-request and result-for-answer with the mock;
negative cases must come back as tool errors with nothing sent. Deterministic
(hypothesis derandomized, no example database); ``FUZZ_EXAMPLES`` sets the cases per
operation and mode (default 5). ``make fuzz`` runs many more and counts them.

The last tests check the checker: a deliberately broken runtime must be caught.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fuzz.runner import close_sessions, examples_from_env, run, session_for
from tests.fuzz.targets import APIS, Target, all_targets, targets

EXAMPLES = examples_from_env(5)
TARGETS = all_targets()


@pytest.fixture(scope="module", autouse=True)
def _sessions() -> Iterator[None]:
    yield
    close_sessions()


def _id(target: Target) -> str:
    return target.id


def test_every_operation_of_every_document_is_fuzzed() -> None:
    counts = {}
    for api in APIS:
        tools = [t.name for t in APIS[api].module(".tools").TOOLS]
        fuzzed = [t.tool.name for t in targets(api)]
        assert sorted(fuzzed) == sorted(tools), api
        counts[api] = len(fuzzed)
    assert counts == {"desk365": 44, "intercom": 92}
    assert len(TARGETS) == 136


@pytest.mark.parametrize("target", TARGETS, ids=_id)
def test_positive_cases_round_trip(target: Target) -> None:
    tally = run(target, "positive", EXAMPLES, strict=True)
    assert tally.positive_failed == 0, tally.failures
    assert tally.positive >= 1, f"no positive case was checked: {dict(tally.skip_reasons)}"


@pytest.mark.parametrize("target", TARGETS, ids=_id)
def test_negative_cases_are_refused_with_nothing_sent(target: Target) -> None:
    tally = run(target, "negative", EXAMPLES, strict=True)
    assert tally.negative_failed == 0, tally.failures
    assert tally.negative + sum(tally.skipped.values()) >= 1


@pytest.mark.parametrize("target", TARGETS, ids=_id)
def test_an_unknown_argument_is_refused_with_nothing_sent(target: Target) -> None:
    """A negative case every operation has, even those schemathesis cannot make invalid."""
    session = session_for(target.api.name)
    session.reset()
    result = session.call_tool(target, {"not_an_argument": 1})
    text = result.content[0].text
    assert result.is_error
    assert "unknown argument(s) not_an_argument" in text and "Nothing was sent" in text, text
    assert session.app.requests == []


# -- the checker is live ----------------------------------------------------------------


def _target(api: str, tool: str) -> Target:
    return next(t for t in targets(api) if t.tool.name == tool)


def test_a_runtime_that_cuts_query_values_at_ampersands_is_caught(monkeypatch: Any) -> None:
    from urllib.parse import quote

    import generated.desk365._runtime.serialize as runtime  # the query encoder

    monkeypatch.setattr(runtime, "quote", lambda text, safe: quote(text, safe=safe + "&="))
    tally = run(_target("desk365", "list_all_desk_365_contacts"), "positive", 40, strict=False)
    assert tally.positive_failed >= 1
    assert any("query: sent" in f for f in tally.failures), tally.failures


def test_a_runtime_that_writes_booleans_the_python_way_is_caught(monkeypatch: Any) -> None:
    import generated.intercom._runtime.serialize as runtime  # the query encoder

    monkeypatch.setattr(runtime, "scalar_text", str)
    tally = run(_target("intercom", "list_all_intercom_contacts"), "positive", 20, strict=False)
    assert tally.positive_failed >= 1
    assert any("'include_merge_history': ['False']" in f for f in tally.failures), tally.failures


def test_a_server_that_sends_what_it_should_refuse_is_caught(monkeypatch: Any) -> None:
    import generated.desk365._runtime.host as server

    monkeypatch.setattr(server, "validate_arguments", lambda *a, **k: [], raising=False)
    import generated.desk365._runtime.validation as validation

    monkeypatch.setattr(validation, "validate_arguments", lambda *a, **k: [])
    tally = run(_target("desk365", "list_all_desk_365_tickets"), "negative", 10, strict=False)
    assert tally.negative_failed >= 1
    assert any("for arguments the document forbids" in f for f in tally.failures), tally.failures
