"""The result a tool returns for an upstream answer: the runtime's own view of it.

Request-focused tests (the exact request for every tool, the fuzz round trip) check
that a tool's result is the *view* of what the upstream sent: compacted, a write
tool's confirmation, a read tool's projection and paging (``_runtime/results.py``).
The view's own rules are tested on their own in ``tests/test_results.py``; here it
is the oracle, so those tests stay about requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["expected_result", "is_view_of"]


def expected_result(tool: Any, body: Any, arguments: Mapping[str, Any]) -> Any:
    """What ``tool`` (a generated ToolSpec) returns for the upstream ``body``."""
    package = type(tool).__module__.rsplit("._runtime", 1)[0]
    hooks = __import__(f"{package}._runtime.hooks", fromlist=["transform_result"])
    results = __import__(f"{package}._runtime.results", fromlist=["shape"])
    data = hooks.transform_result(tool, body, arguments)
    budget = results.DEFAULT_BUDGET_TOKENS * 4
    return results.shape(tool.view, data, arguments, budget, tool.operation.paging)


def is_view_of(shown: Any, sent: Any, added: tuple[str, ...] = ("has_more", "next", "truncated")) -> list[str]:
    """Where ``shown`` holds something ``sent`` did not (beyond the members a view adds):
    a view may leave members and list items out, never change or invent one."""
    problems: list[str] = []
    _walk(shown, sent, "result", problems, added)
    return problems


def _walk(shown: Any, sent: Any, where: str, problems: list[str], added: tuple[str, ...]) -> None:
    if isinstance(shown, dict) and isinstance(sent, dict):
        for key, value in shown.items():
            if key not in sent:
                if key not in added:
                    problems.append(f"{where}.{key} is not in the answer")
                continue
            _walk(value, sent[key], f"{where}.{key}", problems, ())
    elif isinstance(shown, list) and isinstance(sent, list):
        if len(shown) > len(sent):
            problems.append(f"{where} has {len(shown)} items, the answer {len(sent)}")
        for i, (a, b) in enumerate(zip(shown, sent, strict=False)):
            _walk(a, b, f"{where}[{i}]", problems, ())
    elif shown != sent:
        problems.append(f"{where} is {shown!r}, the answer had {sent!r}")
