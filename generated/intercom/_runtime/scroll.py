# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Intercom's company scroll, made explicit for a model (a quirk plug-in, see ``hooks``).

``GET /companies/scroll`` pages through every company with a ``scroll_param``
that must be passed back within 60 seconds, and only one scroll may be open per
workspace. A model reading the raw answer has to know all of that; the
``scroll_next`` result transform puts the next call's argument and the rule in
front of the data instead: ``next_scroll_param`` (absent once the scroll is
finished: the tool's result is compacted, so a null is not sent) and a
``scroll_note`` sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .spec import Check, Transform

__all__ = ["CHECKS", "TRANSFORMS"]


def _scroll(data: Any, arguments: Mapping[str, Any], tool: str) -> Any:
    if not isinstance(data, dict):
        return data
    param = data.get("scroll_param")
    if data.get("data") and isinstance(param, str) and param:
        note = (
            f"More companies may follow: call {tool} again now with scroll_param={param!r}. The scroll_param "
            "expires 60 seconds after this answer, and only one scroll can be open per workspace."
        )
        nxt: str | None = param
    else:
        note = (
            "The scroll is finished (`data` is empty) and its scroll_param has expired; start a new scroll, "
            "without scroll_param, only to read every company again."
        )
        nxt = None
    return {"next_scroll_param": nxt, "scroll_note": note, **data}


CHECKS: dict[str, Check] = {}
TRANSFORMS: dict[str, Transform] = {
    "scroll_next": Transform(
        _scroll,
        adds={"next_scroll_param": {"type": "string"}, "scroll_note": {"type": "string"}},
        note=(
            "The result starts with `next_scroll_param` (pass it as `scroll_param` in the next call, at once; "
            "absent when the scroll is finished) and `scroll_note`."
        ),
    ),
}
"""The plug-in's contributions, by the names a curated document uses."""
