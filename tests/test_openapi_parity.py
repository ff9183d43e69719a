"""Vendor parity of the curated OpenAPI documents.

Each ``tests/parity/<name>.yaml`` lists exactly the differences between the curated
document ``openapi/<name>.yaml`` and its vendor reference (operations added or omitted,
parameters added, removed or moved), each with a reason: an unlisted difference or a
stale entry fails. A unit test checks the comparison finds every kind of change.
Helpers in ``tests/openapi_helpers.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.openapi_helpers import (
    OPENAPI_DIR,
    ROOT,
    Doc,
    load,
    no_problems,
    operations,
    parameters,
    stem,
    strings,
)

PARITY_DIR = ROOT / "tests" / "parity"
PARITY_FILES = sorted(PARITY_DIR.glob("*.yaml"))
CHANGES = {
    "operation-added",
    "operation-omitted",
    "parameter-added",
    "parameter-removed",
    "parameter-moved",
}
IGNORED_HEADERS = {("header", h) for h in ("accept", "content-type", "authorization")}
TEMPLATE_RE = re.compile(r"\{[^}/]+\}")


# ----------------------------------------------------------------------- vendor parity

Difference = tuple[str, str, str, Any]  # (METHOD, normalised path, change, parameter)


def operation_key(method: str, path: str) -> tuple[str, str]:
    return method.upper(), TEMPLATE_RE.sub("{}", path)


def compared_parameters(doc: Doc, item: dict, op: dict) -> dict[tuple[str, str], str]:
    """(casefolded name, location) -> name of the parameters the parity check compares.

    Path parameters are left out: the normalised path already pairs them, so renaming a
    path parameter is no difference.
    """
    return {
        (p["name"].casefold(), p["in"]): p["name"]
        for p in parameters(doc, item, op)
        if p["in"] != "path" and (p["in"], p["name"].lower()) not in IGNORED_HEADERS
    }


def parity_differences(curated: Doc, vendor: Doc, scope: str) -> dict[Difference, str]:
    """Every difference between the two documents, with a readable line each."""
    ours = {operation_key(m, p): (p, i, o) for m, p, i, o in operations(curated)}
    theirs = {operation_key(m, p): (p, i, o) for m, p, i, o in operations(vendor)}
    found: dict[Difference, str] = {}
    for key in ours.keys() - theirs.keys():
        found[(*key, "operation-added", None)] = f"{key[0]} {ours[key][0]}: added"
    for key in theirs.keys() - ours.keys() if scope == "all" else ():
        found[(*key, "operation-omitted", None)] = f"{key[0]} {theirs[key][0]}: omitted"
    for key in ours.keys() & theirs.keys():
        route, item, op = ours[key]
        mine = compared_parameters(curated, item, op)
        yours = compared_parameters(vendor, *theirs[key][1:])
        added = {k: mine[k] for k in mine.keys() - yours.keys()}
        removed = {k: yours[k] for k in yours.keys() - mine.keys()}
        moved = {folded for folded, _ in added} & {folded for folded, _ in removed}
        for (folded, _), name in added.items():
            change = "parameter-moved" if folded in moved else "parameter-added"
            found[(*key, change, folded)] = f"{key[0]} {route}: {change} {name}"
        for (folded, _), name in removed.items():
            if folded not in moved:
                change = "parameter-removed"
                found[(*key, change, folded)] = f"{key[0]} {route}: {change} {name}"
    return found


def parity_file_problems(parity: Any) -> list[str]:
    if not isinstance(parity, dict):
        return ["a parity file is a mapping"]
    problems = [] if parity.get("vendor") else ["vendor (the reference) is missing"]
    if parity.get("scope") not in {"all", "curated"}:
        problems.append("scope must be all or curated")
    for index, entry in enumerate(parity.get("differences") or []):
        change, parameter = entry.get("change"), entry.get("parameter")
        where = f"differences[{index}]"
        if change not in CHANGES:
            problems.append(f"{where}: change must be one of {sorted(CHANGES)}")
        if not re.match(r"^[A-Za-z]+ /", str(entry.get("operation", ""))):
            problems.append(f"{where}: operation must read 'METHOD /path'")
        if str(change).startswith("parameter-") != bool(parameter):
            problems.append(f"{where}: parameter is for parameter-* changes only")
        if not strings([entry.get("reason")]):
            problems.append(f"{where}: every difference needs a reason")
    return problems


@pytest.mark.parametrize("parity_path", PARITY_FILES, ids=stem)
def test_vendor_parity(parity_path: Path) -> None:
    parity = load(parity_path)
    no_problems(parity_file_problems(parity))
    curated_path = OPENAPI_DIR / f"{parity_path.stem}.yaml"
    if not curated_path.exists():
        pytest.skip(f"openapi/{curated_path.name} does not exist yet")
    vendor_path = (ROOT / parity["vendor"]).resolve()
    if not vendor_path.exists():
        pytest.fail(f"vendor reference {parity['vendor']} not found")
    found = parity_differences(load(curated_path), load(vendor_path), parity["scope"])
    listed: dict[Difference, str] = {}
    for entry in parity.get("differences") or []:
        method, _, path = entry["operation"].partition(" ")
        parameter = entry.get("parameter")
        folded = parameter.casefold() if parameter else None
        key = (*operation_key(method, path.strip()), entry["change"], folded)
        text = f"{entry['operation']}: {entry['change']} {parameter or ''}".strip()
        assert key not in listed, f"listed twice: {text}"
        listed[key] = text
    unlisted = sorted(found[k] for k in found.keys() - listed.keys())
    stale = sorted(listed[k] for k in listed.keys() - found.keys())
    name = f"tests/parity/{parity_path.name}"
    message = [f"unlisted differences (add them to {name}):"] * bool(unlisted)
    message += [f"  + {line}" for line in unlisted]
    message += [f"stale entries in {name} (no such difference):"] * bool(stale)
    message += [f"  - {line}" for line in stale]
    no_problems(message)


def test_parity_comparison_finds_every_kind_of_change() -> None:
    """Path-item and $ref parameters count; path renames and Accept headers do not."""

    def doc(paths: dict[str, Any]) -> Doc:
        limit = {"name": "limit", "in": "query"}
        return {"paths": paths, "components": {"parameters": {"Limit": limit}}}

    def op(*params: str) -> dict[str, Any]:
        pairs = [p.split("@") for p in params]
        return {"parameters": [{"name": name, "in": loc} for name, loc in pairs]}

    vendor = doc(
        {
            "/items/{id}": {
                "parameters": [
                    {"name": "id", "in": "path"},
                    {"$ref": "#/components/parameters/Limit"},
                ],
                "get": op("v@header", "gone@query", "Accept@header", "c@cookie"),
            },
            "/old": {"get": op()},
        }
    )
    items = op("item_id@path", "limit@query", "v@query", "n@query")
    curated = doc(
        {
            "/items/{item_id}": {"get": items},
            "/fresh": {"post": op()},
        }
    )
    assert set(parity_differences(curated, vendor, "all")) == {
        ("GET", "/items/{}", "parameter-moved", "v"),
        ("GET", "/items/{}", "parameter-removed", "gone"),
        ("GET", "/items/{}", "parameter-removed", "c"),
        ("GET", "/items/{}", "parameter-added", "n"),
        ("POST", "/fresh", "operation-added", None),
        ("GET", "/old", "operation-omitted", None),
    }
    curated_scope = parity_differences(curated, vendor, "curated")
    assert ("GET", "/old", "operation-omitted", None) not in curated_scope
