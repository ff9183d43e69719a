"""What a model reads, call by call, in the seed workflows (``python -m tests.bench.workflows``).

The two Desk365 workflows of seed 000 and the two Intercom workflows of seed 003,
run over the SDK's MCP client against the generated servers and the mocks, as an
assistant writes the calls: ids passed on as the earlier results show them, reply
and manage with flat arguments. For each call it prints the bytes of the text
content (what a model reads) and of the whole tool result on the wire (text plus
``structuredContent``), and approximate tokens (bytes / 4: compact JSON and English
average about four bytes a token). A call a server refuses is counted (the model
reads the refusal) and then made in the form the refusal asks for, if the step
names one, as a model would retry; so the same script measures an older tree, run
from that tree's checkout: ``cd <old checkout> && <this venv>/bin/python -m
tests.bench.workflows`` (the figures of issue 13's note were taken that way).

The default list pages are measured too: the raw API body of the first page against
the tool's result.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
from mcp import Client

from tests.mocks import create_app

__all__ = ["Step", "WORKFLOWS", "main", "measure"]

Args = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Step:
    """One call: ``args`` as an assistant writes them (or made from the earlier results,
    by step name); ``retry`` the form to send after a refusal (older servers)."""

    name: str
    tool: str
    args: Args
    retry: Args | None = None


def _reply(body: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda r: {"conversation_id": r["conv"]["id"], "type": "admin", "admin_id": _admin(r),
                      "message_type": "comment", "body": body}  # fmt: skip


def _admin(r: dict[str, Any]) -> Any:
    return r["me"]["id"] if "me" in r else r["conv"]["admin_assignee_id"]


def _wrapped(flat: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The same call in the older ``body`` wrapper form, with integer ids."""

    def make(r: dict[str, Any]) -> dict[str, Any]:
        args = flat(r)
        conversation = args.pop("conversation_id")
        if "admin_id" in args:
            args["admin_id"] = str(args["admin_id"])
        return {"conversation_id": str(conversation), "body": args}

    return make


_APOLOGY = "<p>Sorry for the delay: we have found the cause and a fix is on its way today.</p>"
_ARTICLE = {"article_title": "VPN Connectivity Issues", "category_name": "Network Troubleshooting",
            "article_content": "<p>The outage came from an expired certificate on the VPN gateway.</p>",
            "folder_name": "VPN", "status": "1"}  # fmt: skip
_REFUND = {"operator": "AND", "value": [{"field": "state", "operator": "=", "value": "open"},
                                        {"field": "source.body", "operator": "=", "value": "refund"}]}  # fmt: skip
_SNOOZE = 1_800_000_000  # a Unix time in seconds, in 2027


def _first(r: dict[str, Any]) -> str:
    """The id of the first conversation the search found (a string, as answered)."""
    return str(r["found"]["conversations"][0]["id"])


def _snooze(r: dict[str, Any]) -> dict[str, Any]:
    return {"conversation_id": r["conv"]["id"], "message_type": "snoozed", "admin_id": r["me"]["id"],
            "snoozed_until": _SNOOZE}  # fmt: skip


def _close(r: dict[str, Any]) -> dict[str, Any]:
    return {"conversation_id": "5099231", "message_type": "close", "type": "admin", "admin_id": _admin(r)}


def _ticket(r: dict[str, Any]) -> dict[str, Any]:
    bug = next(t for t in r["types"]["data"] if "Engineering" in t["name"])
    return {"ticket_type_id": bug["id"], "contacts": [{"id": r["conv"]["contacts"]["contacts"][0]["id"]}],
            "conversation_to_link_id": "5099231",
            "ticket_attributes": {"_default_title_": "500 error on checkout with coupon",
                                  "_default_description_": "Checkout answers 500 with coupon SPRING25."}}  # fmt: skip


WORKFLOWS: dict[str, tuple[str, list[Step]]] = {
    "Desk365: VIP ticket triage": ("desk365", [
        Step("ticket", "get_single_desk_365_ticket_by_id", {"ticket_number": "91"}, {"ticket_number": 91}),
        Step("contact", "get_single_desk_365_contact_by_id",
             lambda r: {"primary_email": r["ticket"]["contact_email"]}),
        Step("thread", "list_all_desk_365_ticket_conversations", {"ticket_number": "91"}, {"ticket_number": 91}),
        Step("reply", "create_a_desk_365_ticket_reply", {"ticket_number": "91", "body": _APOLOGY},
             {"ticket_number": 91, "body": _APOLOGY}),
        Step("pending", "update_a_desk_365_ticket_by_id", {"ticket_number": 91, "status": "Pending"}),
    ]),
    "Desk365: KB article after an outage": ("desk365", [
        Step("articles", "list_all_desk_365_kb_articles", {}),
        Step("category?", "get_single_desk_365_kb_category_by_id", {"category_name": "Network Troubleshooting"}),
        Step("category", "create_a_desk_365_kb_category", {"category_name": "Network Troubleshooting"}),
        Step("folder", "create_a_desk_365_kb_folder", {"category_name": "Network Troubleshooting",
                                                       "folder_name": "VPN"}),
        Step("article", "create_a_desk_365_kb_article", _ARTICLE, {**_ARTICLE, "status": 1}),
    ]),
    "Intercom: billing-refund triage": ("intercom", [
        Step("found", "list_all_intercom_search_conversations", {"query": _REFUND}),
        Step("conv", "get_single_intercom_conversation_by_id", lambda r: {"conversation_id": _first(r)},
             lambda r: {"conversation_id": int(_first(r))}),
        Step("visitor", "get_single_intercom_visitor_by_id",
             lambda r: {"user_id": r["conv"]["contacts"]["contacts"][0]["external_id"]}),
        Step("me", "intercom_admins_me", {}),
        Step("reply", "intercom_conversations_reply", _reply("<p>Sorry about the duplicate charge: we will refund "
                                                             "it within 3-5 business days.</p>"),
             _wrapped(_reply("<p>Sorry about the duplicate charge: we will refund it within 3-5 business days.</p>"))),
        Step("snooze", "intercom_conversations_manage", _snooze, _wrapped(_snooze)),
    ]),
    "Intercom: escalate a bug and close": ("intercom", [
        Step("conv", "get_single_intercom_conversation_by_id", {"conversation_id": 5099231}),
        Step("types", "list_all_intercom_ticket_types", {}),
        Step("ticket", "create_a_intercom_ticket", _ticket),
        Step("created", "get_single_intercom_ticket_by_id", lambda r: {"ticket_id": r["ticket"]["id"]}),
        Step("reply", "intercom_conversations_reply",
             lambda r: {**_reply(f"<p>Escalated as ticket #{r['ticket']['ticket_id']}.</p>")(r),
                        "conversation_id": "5099231"},
             _wrapped(lambda r: {**_reply(f"<p>Escalated as ticket #{r['ticket']['ticket_id']}.</p>")(r),
                                 "conversation_id": "5099231"})),
        Step("close", "intercom_conversations_manage", _close, _wrapped(_close)),
    ]),
}  # fmt: skip

PAGES = (("desk365", "list_all_desk_365_tickets", "/v3/tickets", "tickets"),
         ("intercom", "list_all_intercom_conversations", "/conversations", "conversations"),
         ("intercom", "list_all_intercom_contacts", "/contacts", "data"))  # fmt: skip


@dataclass
class Call:
    """One call's figures."""

    workflow: str
    step: str
    tool: str
    text: int
    wire: int
    refused: bool


def _server(api: str, app: Any) -> tuple[Any, Any]:
    package = __import__(f"generated.{api}", fromlist=["server"])
    server = __import__(f"generated.{api}.server", fromlist=["create_server"])
    http = httpx.AsyncClient(transport=app.transport())
    credential = {"desk365": {"api_key": "k"}, "intercom": {"access_token": "t"}}[api]
    client_class = getattr(package, "AsyncDesk365Client" if api == "desk365" else "AsyncIntercomClient")
    client = client_class(base_url="http://mock", http_client=http, **credential)
    return server.create_server(client), client


def _sizes(result: Any) -> tuple[int, str, int]:
    text = "\n".join(getattr(part, "text", "") for part in result.content)
    wire = len(json.dumps(result.model_dump(mode="json", by_alias=True, exclude_none=True), separators=(",", ":")))
    return len(text.encode()), text, wire


async def _workflow(title: str, api: str, steps: list[Step]) -> list[Call]:
    now = int(time.time())
    app = create_app(api, clock=lambda: now)
    server, client = _server(api, app)
    calls: list[Call] = []
    results: dict[str, Any] = {}
    async with Client(server) as mcp:
        for step in steps:
            args = step.args(results) if callable(step.args) else step.args
            result = await mcp.call_tool(step.tool, args)
            size, text, wire = _sizes(result)
            calls.append(Call(title, step.name, step.tool, size, wire, bool(result.is_error)))
            if result.is_error and step.retry is not None:
                retry = step.retry(results) if callable(step.retry) else step.retry
                result = await mcp.call_tool(step.tool, retry)
                size, text, wire = _sizes(result)
                calls.append(Call(title, step.name + " (retry)", step.tool, size, wire, bool(result.is_error)))
            try:
                results[step.name] = result.structured_content or json.loads(text)
            except ValueError:
                results[step.name] = {}
    await client.aclose()
    return calls


async def _page(api: str, tool: str, path: str, items: str) -> tuple[str, int, int, int]:
    app = create_app(api)
    headers = {"Authorization": "k" if api == "desk365" else "Bearer t", "Intercom-Version": "2.16"}
    async with httpx.AsyncClient(transport=app.transport(), base_url="http://mock") as http:
        raw = (await http.get(path, headers=headers)).json()
    server, client = _server(api, create_app(api))
    async with Client(server) as mcp:
        result = await mcp.call_tool(tool, {})
    await client.aclose()
    size, _, wire = _sizes(result)
    return tool, len(json.dumps(raw, separators=(",", ":")).encode()), size, len(raw.get(items) or [])


async def measure() -> tuple[list[Call], list[tuple[str, int, int, int]]]:
    """Every workflow's calls, then the default list pages (tool, raw bytes, result bytes, items)."""
    calls: list[Call] = []
    for title, (api, steps) in WORKFLOWS.items():
        calls += await _workflow(title, api, steps)
    pages = [await _page(*page) for page in PAGES]
    return calls, pages


def render(calls: list[Call], pages: list[tuple[str, int, int, int]]) -> str:
    lines = [
        "What a model reads in the seed workflows (text bytes, ~tokens = bytes/4; wire = text + structuredContent)"
    ]
    for title in WORKFLOWS:
        mine = [c for c in calls if c.workflow == title]
        lines.append(f"  {title}")
        for c in mine:
            mark = "  is_error" if c.refused else ""
            lines.append(f"    {c.step:<18} {c.tool:<42} {c.text:>7,} B ~{c.text // 4:>6,} tok"
                         f"   wire {c.wire:>7,} B{mark}")  # fmt: skip
        text, wire = sum(c.text for c in mine), sum(c.wire for c in mine)
        refused = sum(c.refused for c in mine)
        lines.append(f"    {'total':<18} {f'{len(mine)} calls, {refused} errors':<42} {text:>7,} B ~{text // 4:>6,} tok"
                     f"   wire {wire:>7,} B")  # fmt: skip
    lines.append("  Default list pages: raw API body -> tool result text")
    for tool, raw, shown, items in pages:
        lines.append(f"    {tool:<42} {raw:>7,} B -> {shown:>7,} B ({shown / raw:.0%}), {items} items")
    return "\n".join(lines)


def main() -> None:
    calls, pages = anyio.run(measure)
    print(render(calls, pages))


if __name__ == "__main__":
    main()
