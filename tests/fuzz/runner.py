"""Hypothesis over one target: the positive and the negative property.

Positive: every document-valid case goes through each driver (MCP tool, sync
client, async client) against a freshly reset mock; exactly one request must be
recorded, equal to the one the case describes, and the driver's result must match
the mock's answer.

Negative: a case that violates the document must come back from the tool as an
error with nothing sent. A case whose violation cannot be written as tool
arguments is skipped with its reason; a case whose violation did not survive the
translation (the document referee finds nothing wrong) is skipped too, but a tool
that accepts a call the document forbids, or refuses one it allows, fails.

:func:`run` works in two modes: ``strict`` (pytest: the first mismatch raises and
hypothesis shrinks it) and counting (``make fuzz``: every example runs, mismatches
are tallied per target with the first few messages kept).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from .document import document_violations
from .fixtures import Fixtures, use_known_ids
from .roundtrip import (
    DRIVERS,
    Mismatch,
    Session,
    compare_client_result,
    compare_request,
    compare_tool_result,
    describe,
)
from .targets import Target
from .translate import Inexpressible, http_only_reason, translate

__all__ = ["Tally", "check_negative", "check_positive", "close_sessions", "examples_from_env", "run", "session_for"]

NO_INPUT = "no invalid input exists (no input, or only free-form path strings)"
CONTENT_TYPES = ("application/octet-stream", "text/plain", "image/png", "application/pdf")
# Filenames a user might really attach: letters of any script, digits, spaces and the
# usual punctuation. Quotes, backslashes and control characters are left out: HTML5
# multipart encoding (httpx's) escapes them, so they cannot arrive byte for byte.
FILENAMES = st.text(
    st.characters(categories=("L", "Nd"), include_characters=" .-_()[]+,;&@!'", exclude_characters='"\\'),
    min_size=1,
    max_size=24,
).map(lambda s: s.strip() or "file")


def examples_from_env(default: int) -> int:
    return int(os.environ.get("FUZZ_EXAMPLES") or default)


_sessions: dict[str, Session] = {}


def session_for(api: str) -> Session:
    """One mock app per API per process (reset before every call)."""
    found = _sessions.get(api)
    if found is None:
        from helpdesk_mock import MockSettings
        from tests.mocks import create_app

        found = Session(create_app(api, settings=MockSettings(**mock_settings(api))))
        _sessions[api] = found
    return found


def mock_settings(api: str) -> dict[str, Any]:
    """Mock settings for fuzzing: contracts on, no rate limiting (fuzzing is about
    requests and results, the quirks have their own tests)."""
    return {"features": {"contracts"}} if api == "desk365" else {}


def close_sessions() -> None:
    """Close every session's MCP client and event loop (call at the end of a run)."""
    for session in _sessions.values():
        session.close()
    _sessions.clear()
    _fixtures.clear()


_fixtures: dict[str, Fixtures] = {}


def fixtures_for(api: str) -> Fixtures:
    found = _fixtures.get(api)
    if found is None:
        found = _fixtures[api] = Fixtures(session_for(api), api)
    return found


@dataclass
class Tally:
    """Counts for one target (see :func:`run`)."""

    target: str
    label: str
    positive: int = 0
    positive_failed: int = 0
    negative: int = 0
    negative_failed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # negative cases skipped, by kind
    positive_skipped: Counter[str] = field(default_factory=Counter)
    skip_reasons: Counter[str] = field(default_factory=Counter)  # in full
    failures: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        if len(self.failures) < 3:
            self.failures.append(message)


def _namer(data: Any) -> Any:
    def name(wire: str, index: int) -> tuple[str, str]:
        stem = data.draw(FILENAMES, label=f"{wire}[{index}].filename")
        ctype = data.draw(st.sampled_from(CONTENT_TYPES), label=f"{wire}[{index}].content_type")
        return stem + ".bin", ctype

    return name


def check_positive(target: Target, case: Any, data: Any = None) -> str | None:
    """The positive property for one case: None when checked, else why it was skipped;
    raises :class:`Mismatch`."""
    session = session_for(target.api.name)
    namer = _namer(data) if data is not None else None
    if data is not None and target.ids and data.draw(st.booleans(), label="use known ids"):
        use_known_ids(target, case, data, fixtures_for(target.api.name))
    try:
        call = translate(target, case, positive=True, **({"namer": namer} if namer else {}))
    except Inexpressible as exc:
        raise Mismatch(f"{target.id}: a document-valid case has no tool-argument form: {exc}") from None
    path_refused = target.api.module("._runtime.http").path_problem(target.tool.operation, call.tool_args)
    if path_refused:  # a dot segment or an empty value: the runtime refuses it by design (wire.py)
        return f"refused by the path rule ({path_refused[:120]})"
    checks = getattr(target.tool.operation, "checks", ())
    if checks:
        refused = target.api.module("._runtime.hooks").argument_problems(checks, call.tool_args)
        if refused:  # the document names a rule (x-tool.checks) its schema does not express
            return f"refused by a named check ({', '.join(sorted({n for _, n in checks}))}: {refused[0][:120]})"
    for i, driver in enumerate(DRIVERS):
        # Each driver meets the same seeded state; a GET changes nothing worth reseeding
        # for (every result is compared with the answer that driver itself received).
        if i == 0 or target.method != "GET":
            session.reset()
        else:
            session.forget()
        if driver == "mcp":
            outcome: Any = session.call_tool(target, call.tool_args)
        elif driver == "sync":
            outcome = session.call_sync(target, call.client_args)
        else:
            outcome = session.call_async_method(target, call.client_args)
        recorded = list(session.app.requests)
        if len(recorded) != 1 or len(session.answers) != 1:
            text = _text(outcome) if driver == "mcp" else repr(outcome)[:500]
            raise Mismatch(describe(target, call, driver, [f"{len(recorded)} requests recorded, not 1: {text}"]))
        answer = session.answers[0]
        diffs = compare_request(call.expected if driver == "mcp" else call.client_expected(), recorded[0])
        if driver == "mcp":
            diffs += compare_tool_result(target, outcome, answer, call.tool_args)
        else:
            diffs += compare_client_result(target, outcome, answer)
        if diffs:
            raise Mismatch(describe(target, call, driver, diffs))
    return None


def check_negative(target: Target, case: Any) -> str | None:
    """The negative property for one case: None when checked, else why it was skipped."""
    reason = http_only_reason(case, target)
    if reason:
        return f"HTTP-level only ({reason})"
    try:
        call = translate(target, case, positive=False)
    except Inexpressible as exc:
        return f"not expressible as tool arguments ({exc})"
    session = session_for(target.api.name)
    session.forget()  # nothing should be sent, so the state needs no reseeding
    result = session.call_tool(target, call.tool_args)
    sent = list(session.app.requests)
    violations = document_violations(target, call.components)
    text = _text(result)
    if not sent and result.is_error and "Nothing was sent" in text:
        if not violations:
            raise Mismatch(
                describe(target, call, "mcp", [f"the tool refused a call the document allows: {text[:400]}"])
            )
        return None
    if not violations:
        return f"violation lost in translation ({_mutation(case)})"
    if len(sent) == 1 and sent[0].request is not None:
        # The runtime turned an unambiguous form into the declared one (coerce.py: "8992" for an
        # integer, 30 for the string "30") and the mock, which checks every request against the
        # document, accepted what was sent: the request is exact, so this is not a failure.
        return "coerced into a request the document allows"
    status = session.answers[0].status if session.answers else None
    raise Mismatch(
        describe(
            target,
            call,
            "mcp",
            [
                f"the tool sent {len(sent)} request(s) (mock answered {status}) for arguments the document "
                f"forbids: {violations[:3]}; tool said: {text[:300]}"
            ],
        )
    )


def _mutation(case: Any) -> str:
    data = getattr(getattr(getattr(case, "meta", None), "phase", None), "data", None)
    return str(getattr(data, "description", None) or "no description").replace("\n", " ")


def _text(result: Any) -> str:
    return "\n".join(c.text for c in getattr(result, "content", []) if getattr(c, "type", None) == "text")


def run(target: Target, mode: str, examples: int, *, strict: bool, seed: int | None = None) -> Tally:
    """Run ``examples`` cases of ``mode`` ("positive" / "negative") against ``target``."""
    from schemathesis import GenerationMode

    tally = Tally(target.id, target.label)
    generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    strategy = target.operation().as_strategy(generation_mode=generation)
    config = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=seed is None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink) if strict else (Phase.explicit, Phase.generate),
        print_blob=False,
        report_multiple_bugs=False,
    )

    def one(case: Any, data: Any) -> None:
        if mode == "positive":
            try:
                skipped = check_positive(target, case, data)
            except Exception as exc:
                tally.positive += 1
                tally.positive_failed += 1
                tally.fail(_message(exc))
                if strict:
                    raise
            else:
                if skipped:
                    tally.positive_skipped[skipped.split(" (")[0]] += 1
                    tally.skip_reasons[skipped] += 1
                else:
                    tally.positive += 1
        else:
            try:
                skipped = check_negative(target, case)
            except Exception as exc:
                tally.negative += 1
                tally.negative_failed += 1
                tally.fail(_message(exc))
                if strict:
                    raise
            else:
                if skipped:
                    tally.skipped[skipped.split(" (")[0]] += 1
                    tally.skip_reasons[skipped] += 1
                else:
                    tally.negative += 1

    test = given(case=strategy, data=st.data())(config(one))
    if seed is not None:
        test = hypothesis_seed(seed)(test)
    try:
        test()
    except Unsatisfiable:
        # No input, or only unconstrained strings in the path: nothing at the HTTP level
        # can violate them, so schemathesis has no negative case to offer.
        if mode == "positive":
            raise
        tally.skipped[NO_INPUT] += 1
        tally.skip_reasons[NO_INPUT] += 1
    return tally


def _message(exc: BaseException) -> str:
    if isinstance(exc, Mismatch):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"[:1500]
