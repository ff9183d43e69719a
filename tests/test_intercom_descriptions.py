"""What the Intercom tools tell a model, for the operations of issue 15.

- ``helpdesk-mcp tools openapi/intercom.yaml --json`` lists every method and path the issue
  names, under the names TOOL-INVENTORY.md's rule gives.
- No description of either package sends the model to a tool that does not exist, and the
  identifiers that used to have no source (``segment_id``, ``brand_id``, the keys of
  ``custom_attributes``, ``ticket_state_id``) now name the tool that provides them.
- Irreversible and destructive operations say so, in the text and in the annotations;
  descriptions say who is notified.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner

from generated.desk365.tools import TOOLS as DESK365_TOOLS
from generated.intercom.tools import TOOLS
from generator.cli import main as cli
from tests.openapi_helpers import OPENAPI_DIR

BY_NAME = {t.name: t for t in TOOLS}

# Issue 15: (tool name by the naming rule, method, path)
ISSUE_15 = [
    ("intercom_contacts_attach_tag", "POST", "/contacts/{contact_id}/tags"),
    ("intercom_contacts_detach_tag", "DELETE", "/contacts/{contact_id}/tags/{tag_id}"),
    ("list_all_intercom_contact_tags", "GET", "/contacts/{contact_id}/tags"),
    ("intercom_tickets_attach_tag", "POST", "/tickets/{ticket_id}/tags"),
    ("intercom_tickets_detach_tag", "DELETE", "/tickets/{ticket_id}/tags/{tag_id}"),
    ("list_all_intercom_contact_notes", "GET", "/contacts/{contact_id}/notes"),
    ("create_a_intercom_contact_note", "POST", "/contacts/{contact_id}/notes"),
    ("get_single_intercom_note_by_id", "GET", "/notes/{note_id}"),
    ("list_all_intercom_company_notes", "GET", "/companies/{company_id}/notes"),
    ("create_a_intercom_company_note", "POST", "/companies/{company_id}/notes"),
    ("list_all_intercom_macros", "GET", "/macros"),
    ("get_single_intercom_macro_by_id", "GET", "/macros/{id}"),
    ("intercom_conversations_convert_to_ticket", "POST", "/conversations/{conversation_id}/convert"),
    ("intercom_conversations_attach_contact", "POST", "/conversations/{conversation_id}/customers"),
    ("intercom_conversations_detach_contact", "DELETE", "/conversations/{conversation_id}/customers/{contact_id}"),
    ("intercom_conversations_merge", "POST", "/conversations/{id}/merge"),
    ("intercom_conversations_redact", "POST", "/conversations/redact"),
    ("list_all_intercom_contact_companies", "GET", "/contacts/{contact_id}/companies"),
    ("intercom_contacts_attach_company", "POST", "/contacts/{contact_id}/companies"),
    ("intercom_contacts_detach_company", "DELETE", "/contacts/{contact_id}/companies/{company_id}"),
    ("intercom_contacts_merge", "POST", "/contacts/merge"),
    ("intercom_visitors_convert", "POST", "/visitors/convert"),
    ("list_all_intercom_subscription_types", "GET", "/subscription_types"),
    ("list_all_intercom_contact_subscriptions", "GET", "/contacts/{contact_id}/subscriptions"),
    ("intercom_contacts_attach_subscription", "POST", "/contacts/{contact_id}/subscriptions"),
    ("intercom_contacts_detach_subscription", "DELETE", "/contacts/{contact_id}/subscriptions/{subscription_id}"),
    ("list_all_intercom_segments", "GET", "/segments"),
    ("get_single_intercom_segment_by_id", "GET", "/segments/{segment_id}"),
    ("list_all_intercom_contact_segments", "GET", "/contacts/{contact_id}/segments"),
    ("list_all_intercom_company_segments", "GET", "/companies/{company_id}/segments"),
    ("list_all_intercom_data_attributes", "GET", "/data_attributes"),
    ("list_all_intercom_brands", "GET", "/brands"),
    ("get_single_intercom_brand_by_id", "GET", "/brands/{id}"),
    ("list_all_intercom_ticket_states", "GET", "/ticket_states"),
]


def shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_tools_command_lists_every_operation_of_the_issue() -> None:
    result = CliRunner().invoke(cli, ["tools", str(OPENAPI_DIR / "intercom.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    rows = {(r["method"], shape(r["path"])): r for r in json.loads(result.stdout)}
    assert len(rows) == 92
    for name, method, path in ISSUE_15:
        row = rows.get((method, shape(path)))
        assert row is not None, f"{method} {path} is not curated"
        assert row["name"] == name, (method, path, row["name"])
        assert row["category"] == ("read" if name.startswith(("list_all_", "get_single_")) else
                                   "write" if name.startswith("create_a_") else "custom"), name  # fmt: skip


@pytest.mark.parametrize("tools", [TOOLS, DESK365_TOOLS], ids=["intercom", "desk365"])
def test_descriptions_name_only_tools_that_exist(tools: Any) -> None:
    names = {t.name for t in tools}
    # a tool name in backticks (`intercom_user_id` is an argument, not a tool)
    kinds = r"(?:list_all|get_single|create_a|update_a|delete_a)_\w+"
    pattern = re.compile(rf"`({kinds}|intercom_(?!user_id)\w+|desk_365_\w+)`")
    missing = {(t.name, m) for t in tools for m in pattern.findall(t.description) if m not in names}
    assert not missing, sorted(missing)


@pytest.mark.parametrize(
    ("tool", "needles"),
    [
        ("list_all_intercom_search_contacts", ["`segment_id` from `list_all_intercom_segments`"]),
        ("list_all_intercom_companies", ["`segment_id` from `list_all_intercom_segments`"]),
        ("create_a_intercom_conversation", ["`brand_id` from `list_all_intercom_brands`"]),
        ("create_a_intercom_contact", ["`list_all_intercom_data_attributes` with `model: contact`"]),
        ("update_a_intercom_contact_by_id", ["`list_all_intercom_data_attributes` with `model: contact`"]),
        ("create_a_intercom_company", ["`list_all_intercom_data_attributes` with `model: company`"]),
        ("update_a_intercom_company_by_id", ["`list_all_intercom_data_attributes` with `model: company`"]),
        ("update_a_intercom_ticket_by_id", ["`ticket_state_id` from `list_all_intercom_ticket_states`"]),
        ("intercom_conversations_convert_to_ticket", ["`ticket_state_id` from `list_all_intercom_ticket_states`"]),
        ("intercom_conversations_reply", ["`get_single_intercom_macro_by_id`"]),
        ("create_a_intercom_tag", ["`intercom_contacts_attach_tag`", "`intercom_tickets_attach_tag`"]),
        ("get_single_intercom_contact_by_id", ["`list_all_intercom_contact_notes`"]),
        ("get_single_intercom_visitor_by_id", ["`intercom_visitors_convert`"]),
        ("update_a_intercom_conversation_by_id", ["No tool lists conversation attributes"]),
    ],
)
def test_identifiers_name_the_tool_that_provides_them(tool: str, needles: list[str]) -> None:
    description = BY_NAME[tool].description
    for needle in needles:
        assert needle in description, (tool, needle)
    assert "Intercom's segments" not in description


@pytest.mark.parametrize(
    ("tool", "destructive", "needles"),
    [
        ("intercom_conversations_redact", True, ["Destructive and irreversible", "cannot be restored"]),
        ("intercom_conversations_merge", True, ["Irreversible", "no way to unmerge", "Closes the secondary"]),
        ("intercom_contacts_merge", True, ["Irreversible", "The lead is removed for good", "`from` must be a lead"]),
        ("intercom_conversations_convert_to_ticket", False, ["no way to turn the ticket back", "customer sees it"]),
        ("intercom_visitors_convert", True, ["the visitor no longer exists"]),
        ("intercom_contacts_detach_tag", True, ["the tag itself stays"]),
        ("create_a_intercom_contact_note", False, ["the customer is not notified"]),
        ("create_a_intercom_company_note", False, ["nobody at the company is notified"]),
        ("intercom_contacts_attach_subscription", False, ["Changes which messages Intercom sends the contact"]),
        ("intercom_conversations_attach_contact", False, ["creates a new lead"]),
    ],
)
def test_side_effects_and_irreversibility_are_said(tool: str, destructive: bool, needles: list[str]) -> None:
    spec = BY_NAME[tool]
    assert spec.destructive is destructive and spec.read_only is False
    for needle in needles:
        assert needle in spec.description, (tool, needle)


def test_macros_explain_their_placeholders() -> None:
    for tool in ("list_all_intercom_macros", "get_single_intercom_macro_by_id"):
        description = BY_NAME[tool].description
        assert '<attribute key="user.name" default="there"/>' in description
        assert '{{user.name|fallback:"there"}}' in description
        assert "`intercom_conversations_reply`" in description
    restricted = BY_NAME["get_single_intercom_macro_by_id"].description
    assert "answers 404 unless the admin behind the access token" in restricted


def test_segments_say_how_to_list_their_contacts() -> None:
    description = BY_NAME["list_all_intercom_segments"].description
    assert "`list_all_intercom_search_contacts`" in description and "{field: segment_id" in description
