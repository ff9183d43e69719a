"""schemathesis, an independent tool, checks the mock against the curated documents.

For every API with a mock plugin, the mock runs as a real process
(``helpdesk-mcp mock API``, random port, strict responses on, a fixed credential so
the ``ignored_auth`` probes with a wrong key are refused) and schemathesis's own
CLI runs all four phases (examples, coverage, fuzzing, stateful) in both modes
(positive and negative data) with its default checks, a fixed seed and a bounded
number of examples. The test passes when schemathesis exits 0; its output is shown
on failure, and its summary figures are printed (``pytest -s``).

Each API's schemathesis configuration is below. Dictionaries feed real fixture
identifiers half of the time, so cases reach the handlers' logic instead of
stopping at a 404. Every narrowing of a check says why; each is a limit of what
the document or the wire format can express, not a mock bug.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from helpdesk_mock import available_apis

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CREDENTIAL = "schemathesis-secret"
MAX_EXAMPLES = 5

DESK365_CONFIG = """
[dictionaries.tickets]
values = [17, 18, 60, 91]
[dictionaries.emails]
values = ["jane.doe@example.com", "omar.doe@fabrikam.example"]
[dictionaries.companies]
values = ["Contoso", "R&D / Ops #1"]
[dictionaries.categories]
values = ["Help Center", "Billing & Payments"]
[dictionaries.folders]
values = ["User Guides", "Invoices"]
[dictionaries.articles]
values = ["How to reset your password", "Printer shows offline"]
[dictionaries.surveys]
values = ["Customer Satisfaction"]
[dictionaries.entries]
values = [5001, 5010]
[dictionaries.contracts]
values = ["Contoso Premium Support 2025"]

[parameters]
"query.ticket_number" = { dictionary = "tickets", probability = 0.5 }
"query.primary_email" = { dictionary = "emails", probability = 0.5 }
"query.name" = { dictionary = "companies", probability = 0.5 }
"query.company_name" = { dictionary = "companies", probability = 0.5 }
"query.category_name" = { dictionary = "categories", probability = 0.5 }
"query.folder_name" = { dictionary = "folders", probability = 0.5 }
"query.article_name" = { dictionary = "articles", probability = 0.5 }
"query.survey_name" = { dictionary = "surveys", probability = 0.5 }
"query.id" = { dictionary = "entries", probability = 0.5 }
"query.contract_name" = { dictionary = "contracts", probability = 0.5 }
"body.ticket_number" = { dictionary = "tickets", probability = 0.5 }

# The five attachment operations take AttachmentUpload: `file` (one binary) or
# `files` (minItems 1), exactly one of them (oneOf). Two wire-format limits:
# - negative data: an empty `files` array has no part on the wire, so the
#   "violating" body {file, files: []} arrives as a valid request with `file`
#   alone and is rightly accepted (ST201 would flag it);
# - the coverage phase builds its "all properties" positive case with both
#   `file` and `files`, ignoring the oneOf; the mock rightly answers 400.
[[operations]]
include-operation-id-regex = "WithAttachment$"
checks.negative_data_rejection.enabled = false
[operations.phases.coverage.checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429", "5xx"]
"""

# Intercom: identifiers of the seeded "Acme Cloud" workspace (helpdesk_mock/intercom_fixtures.py).
# A path or query dictionary holds values of the parameter's own type only: schemathesis uses
# an entry of the other type as negative data, which is the same text on the wire, so the mock
# would rightly accept it. Body dictionaries may mix types where the body property does. The
# cursors are real `pages.next.starting_after` values of the mock (a list name and an offset).
INTERCOM_IDENTIFIERS = """
[dictionaries.admins]
values = [991267401, 991267402, 991267403, 991267404]
[dictionaries.admin_refs]
values = [991267401, 991267403, "991267402", "991267404"]
[dictionaries.teams]
values = ["5810001", "5810003"]
[dictionaries.assignees]
values = ["991267402", 991267403, "5810001", 5810002, "0"]
[dictionaries.conversation_numbers]
values = [10934855, 5099231, 10930077]
[dictionaries.conversations]
values = ["10934855", "5099231", "10930077"]
[dictionaries.contacts]
values = ["66f0c1d2e3a4b5c600000001", "66f0c1d2e3a4b5c600000002", "66f0c1d2e3a4b5c600000003"]
[dictionaries.emails]
values = ["maya.chen@northwind.test", "jordan.blake@lumenlabs.test"]
[dictionaries.external_ids]
values = ["usr_1001", "usr_1004"]
[dictionaries.visitors]
values = ["3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83", "c41d8e20-7f6b-4a95-8d3e-2b1f0a6c9e77"]
[dictionaries.companies]
values = ["66f0c1d2e3a4b5c700000001", "66f0c1d2e3a4b5c700000002", "66f0c1d2e3a4b5c700000007"]
[dictionaries.own_company_ids]
values = ["nw-001", "rd-007"]
[dictionaries.company_names]
values = ["Northwind Traders", "R&D / Ops #1"]
[dictionaries.segments]
values = ["66f0c1d2e3a4b5c800000001"]
[dictionaries.tags]
values = ["8100001", "8100003", "8100004"]
[dictionaries.tag_refs]
values = ["8100001", "8100003", 8100002]
[dictionaries.tickets]
values = ["3847201", "3847202", "3847203"]
[dictionaries.ticket_types]
values = ["2001", "2002", "2003"]
[dictionaries.ticket_type_refs]
values = ["2001", "2002", 2003]
[dictionaries.ticket_states]
values = ["4001", "4002", 4003]
[dictionaries.help_centers]
values = [3001, 3002]
[dictionaries.collections]
values = [9001, 9002, 9003]
[dictionaries.collection_refs]
values = [9001, 9003, "9002", "9004"]
[dictionaries.articles]
values = [7700001, 7700002, 7700006]
[dictionaries.news_items]
values = [3300001, 3300003]
[dictionaries.newsfeeds]
values = ["5501", "5502"]
[dictionaries.newsfeed_numbers]
values = [5501, 5502]
[dictionaries.search_fields]
values = ["created_at", "updated_at", "state", "open", "email", "name", "role", "id"]
[dictionaries.contact_cursors]
values = ["WyJjb250YWN0cyIsMl0", "WyJjb250YWN0cyIsMTBd"]
[dictionaries.conversation_cursors]
values = ["WyJjb252ZXJzYXRpb25zIiwzXQ", "WyJjb252ZXJzYXRpb25zIiwxMF0"]
[dictionaries.leads]
values = ["66f0c1d2e3a4b5c600000003", "66f0c1d2e3a4b5c60000000a"]
[dictionaries.conversation_refs]
values = ["5099231", 10930077, "10934855"]
[dictionaries.parts]
values = ["404000001", 404000002, "404000003"]
[dictionaries.sources]
values = ["2701001", 2701012]
[dictionaries.notes]
values = [5200001, 5200004]
[dictionaries.macros]
values = ["1001", "1002", "1003"]
[dictionaries.brands]
values = ["q7mock42", "204"]
[dictionaries.subscriptions]
values = ["91", "93"]
[dictionaries.subscription_refs]
values = ["91", 93, "94"]
[dictionaries.macro_cursors]
values = ["WzE3OTE1MDY4MDAuMCwgIjEwMDEiXQ==", "WzE3OTE1MDY4MDAuMCwgIjEwMDEiXQ"]

[parameters]
"path.admin_id" = { dictionary = "admins", probability = 0.5 }
"body.admin_id" = { dictionary = "admin_refs", probability = 0.5 }
"body.author_id" = { dictionary = "admins", probability = 0.5 }
"body.sender_id" = { dictionary = "admins", probability = 0.5 }
"body.assignee_id" = { dictionary = "assignees", probability = 0.5 }
"body.assignment.admin_assignee_id" = { dictionary = "admin_refs", probability = 0.5 }
"body.assignment.team_assignee_id" = { dictionary = "teams", probability = 0.5 }
"path.conversation_id" = { dictionary = "conversation_numbers", probability = 0.5 }
"body.conversation_to_link_id" = { dictionary = "conversations", probability = 0.5 }
"path.contact_id" = { dictionary = "contacts", probability = 0.5 }
"body.from.id" = { dictionary = "contacts", probability = 0.5 }
"body.intercom_user_id" = { dictionary = "contacts", probability = 0.5 }
"body.contacts[*].id" = { dictionary = "contacts", probability = 0.5 }
"body.contacts[*].email" = { dictionary = "emails", probability = 0.5 }
"body.contacts[*].external_id" = { dictionary = "external_ids", probability = 0.5 }
"body.users[*].id" = { dictionary = "contacts", probability = 0.5 }
"query.user_id" = { dictionary = "visitors", probability = 0.5 }
"path.company_id" = { dictionary = "companies", probability = 0.5 }
"body.company_id" = { dictionary = "companies", probability = 0.5 }
"body.companies[*].id" = { dictionary = "companies", probability = 0.5 }
"body.companies[*].company_id" = { dictionary = "own_company_ids", probability = 0.5 }
"query.company_id" = { dictionary = "own_company_ids", probability = 0.5 }
"query.name" = { dictionary = "company_names", probability = 0.5 }
"query.segment_id" = { dictionary = "segments", probability = 0.5 }
"path.tag_id" = { dictionary = "tags", probability = 0.5 }
"query.tag_id" = { dictionary = "tags", probability = 0.5 }
"body.id" = { dictionary = "tag_refs", probability = 0.5 }
"path.ticket_id" = { dictionary = "tickets", probability = 0.5 }
"path.ticket_type_id" = { dictionary = "ticket_types", probability = 0.5 }
"body.ticket_type_id" = { dictionary = "ticket_type_refs", probability = 0.5 }
"body.ticket_state_id" = { dictionary = "ticket_states", probability = 0.5 }
"path.help_center_id" = { dictionary = "help_centers", probability = 0.5 }
"query.help_center_id" = { dictionary = "help_centers", probability = 0.5 }
"body.help_center_id" = { dictionary = "help_centers", probability = 0.5 }
"path.collection_id" = { dictionary = "collections", probability = 0.5 }
"body.parent_id" = { dictionary = "collection_refs", probability = 0.5 }
"path.article_id" = { dictionary = "articles", probability = 0.5 }
"path.news_item_id" = { dictionary = "news_items", probability = 0.5 }
"path.newsfeed_id" = { dictionary = "newsfeeds", probability = 0.5 }
"body.newsfeed_assignments[*].newsfeed_id" = { dictionary = "newsfeed_numbers", probability = 0.5 }
"body.query.field" = { dictionary = "search_fields", probability = 0.5 }
"path.note_id" = { dictionary = "notes", probability = 0.5 }
"path.macro_id" = { dictionary = "macros", probability = 0.5 }
"path.brand_id" = { dictionary = "brands", probability = 0.5 }
"path.segment_id" = { dictionary = "segments", probability = 0.5 }
"path.subscription_id" = { dictionary = "subscriptions", probability = 0.5 }
"body.merge_into_conversation_id" = { dictionary = "conversation_numbers", probability = 0.5 }
"body.from" = { dictionary = "leads", probability = 0.5 }
"body.into" = { dictionary = "contacts", probability = 0.5 }
"body.visitor.user_id" = { dictionary = "visitors", probability = 0.5 }
"body.user.id" = { dictionary = "contacts", probability = 0.5 }
"body.customer.intercom_user_id" = { dictionary = "contacts", probability = 0.5 }
"body.customer.email" = { dictionary = "emails", probability = 0.5 }
"body.conversation_id" = { dictionary = "conversation_refs", probability = 0.5 }
"body.conversation_part_id" = { dictionary = "parts", probability = 0.5 }
"body.source_id" = { dictionary = "sources", probability = 0.5 }

# These take `conversation_id` as a string (Intercom also accepts `last` for a reply).
[[operations]]
include-operation-id = ["replyConversation", "manageConversation", "attachTagToConversation",
                        "detachTagFromConversation", "attachContactToConversation", "detachContactFromConversation",
                        "mergeConversation"]
parameters."path.conversation_id" = { dictionary = "conversations", probability = 0.5 }
# A reply names its contact by email or external id; on POST /contacts an existing email is a 409.
[[operations]]
include-operation-id = ["replyConversation", "replyTicket"]
parameters."body.email" = { dictionary = "emails", probability = 0.5 }
parameters."body.user_id" = { dictionary = "external_ids", probability = 0.5 }
# POST /companies: `company_id` is the company's own id there, not Intercom's.
[[operations]]
include-operation-id = "createOrUpdateCompany"
parameters."body.company_id" = { dictionary = "own_company_ids", probability = 0.5 }
[[operations]]
include-operation-id = "listContacts"
parameters."query.starting_after" = { dictionary = "contact_cursors", probability = 0.5 }
[[operations]]
include-operation-id = "listConversations"
parameters."query.starting_after" = { dictionary = "conversation_cursors", probability = 0.5 }
[[operations]]
include-operation-id = "listMacros"
parameters."query.starting_after" = { dictionary = "macro_cursors", probability = 0.5 }
# `id` in these bodies names a company or a subscription type, not a tag.
[[operations]]
include-operation-id = "attachContactToACompany"
parameters."body.id" = { dictionary = "companies", probability = 0.5 }
[[operations]]
include-operation-id = "attachSubscriptionTypeToContact"
parameters."body.id" = { dictionary = "subscription_refs", probability = 0.5 }
"""

# Operations where Intercom answers 400 to some requests the document allows, by a rule the
# schema does not state: most depend on the workspace's data or state; the few that only
# combine values ("not both", "only together with") stay in the operation's x-tool rules,
# because the generated tools' flat arguments carry required lists and "exactly one of"
# groups only (generator/schema.py). The mock enforces each rule as Intercom does. For exactly
# these operations, positive_data_acceptance also expects 400 (its other statuses are
# schemathesis's defaults); every other check, and every other operation, is unchanged.
INTERCOM_VENDOR_400 = {
    "listConversations": "`starting_after` must be a cursor from `pages.next.starting_after`",
    "listContacts": "`starting_after` must be a cursor from `pages.next.starting_after`",
    "searchConversations": "the query's `field` must be a searchable field, its operator and value fit that "
    "field's type; a pagination cursor must come from `pages.next`",
    "searchTickets": "the same search rules as searchConversations",
    "searchContacts": "the same search rules, and `sort.field` must be a contact field",
    "createOrUpdateCompany": "`name` or `company_id` must be given and not blank (`company not specified`)",
    "scrollOverAllCompanies": "a workspace has one scroll open at a time: a call without `scroll_param` "
    "while one is open is `scroll_exists`",
    "deleteTag": "a tag used by a segment cannot be deleted (`tag_has_dependent_objects`)",
    "createTicket": "the ticket type's required attributes (`_default_title_`) must be given and not blank; "
    "attributes must exist on that type with values of its data types; archived types and "
    "some ticket/conversation links are refused",
    "createArticle": "give `body` or `body_markdown`, not both; `author_id` must be a teammate; `parent_id` "
    "must be an existing collection or section",
    "updateArticle": "the same rules as createArticle",
    "createNewsItem": "`sender_id` must be a teammate; each `newsfeed_id` must be an existing newsfeed",
    "updateNewsItem": "the same rules as createNewsItem",
    "createCollection": "`parent_id` must be an existing collection, `help_center_id` an existing help center",
    "updateCollection": "`parent_id` must be another existing collection",
    "replyConversation": "`body` is required (not blank) for a comment or note, `reply_options` for a "
    "quick_reply; `attachment_files` data must be base64",
    "replyTicket": "the same rules as replyConversation; contacts cannot reply on a back-office ticket",
    "createContact": "`email_verified` must come with an `email` in the same request",
    "updateContact": "`email_verified` must come with an `email` in the same request",
    "updateTicket": "attributes must exist on the ticket's type with values of its data types; "
    "`ticket_state_id` must be a state of that type",
    "manageConversation": "`snoozed_until` must be in the future",
    "listMacros": "`starting_after` must be a cursor from `pages.next.starting_after`",
    "convertConversationToTicket": 'the ticket type must be a customer ticket type ("Ticket type is not a customer '
    'ticket type"), not archived, `ticket_state_id` a state of that type, `attributes` as for createTicket (and, '
    "the mock's assumption, a conversation is converted once)",
    "redactConversation": "only a part with a body, or a source message written by a contact, can be redacted "
    "(`conversation_part_not_redactable`)",
    "mergeContacts": "`from` must be a lead and `into` a user, and they must be duplicates (same email or phone) "
    "unless `skip_duplicate_validation` (`invalid_merge`)",
    "attachContactToACompany": "a contact belongs to at most 1,000 companies (`contact_company_limit_exceeded`)",
}
# Operations where Intercom answers 422 to requests the document allows: the vendor's own 422s.
INTERCOM_VENDOR_422 = {
    "mergeConversation": "`merge_failed` when the primary conversation does not exist, the secondary was already "
    "merged, or both are the same conversation",
    "detachContactFromConversation": 'the last contact of a conversation cannot be removed ("Removing the last '
    'customer is not allowed")',
}
INTERCOM_CONFIG = INTERCOM_IDENTIFIERS + (
    "\n[[operations]]\n"
    f"include-operation-id = {json.dumps(sorted(INTERCOM_VENDOR_400))}\n"
    'checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", '
    '"429", "5xx"]\n'
    "\n[[operations]]\n"
    f"include-operation-id = {json.dumps(sorted(INTERCOM_VENDOR_422))}\n"
    'checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", '
    '"429", "5xx"]\n'
)

APIS = {
    # api: (extra mock arguments, Authorization header value, schemathesis configuration)
    "desk365": (["--enable", "contracts"], CREDENTIAL, DESK365_CONFIG),
    "intercom": ([], f"Bearer {CREDENTIAL}", INTERCOM_CONFIG),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the mock did not start:\n{log.read_text()}") from None
            time.sleep(0.05)


@pytest.mark.parametrize("api", [a for a in APIS if a in available_apis()])
def test_schemathesis_finds_no_failure(api: str, tmp_path: Path) -> None:
    extra, authorization, config = APIS[api]
    port = _free_port()
    log = tmp_path / "mock.log"
    (tmp_path / "schemathesis.toml").write_text(config)
    command = [
        str(BIN / "schemathesis"), "--config-file", str(tmp_path / "schemathesis.toml"), "--no-color", "run",
        str(ROOT / "openapi" / f"{api}.yaml"), "--url", f"http://127.0.0.1:{port}",
        "-H", f"Authorization: {authorization}", "--phases", "examples,coverage,fuzzing,stateful", "--mode", "all",
        "--seed", "1", "--max-examples", str(MAX_EXAMPLES), "--generation-database", "none", "--workers", "1",
        "--report", "ndjson", "--report-ndjson-path", str(tmp_path / "events.ndjson"),
    ]  # fmt: skip
    with log.open("wb") as out:
        mock = subprocess.Popen(
            [str(BIN / "helpdesk-mcp"), "mock", api, "--port", str(port), "--credential", CREDENTIAL,
             "--log-level", "warning", *extra],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait(port, mock, log)
            started = time.monotonic()
            run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
            elapsed = time.monotonic() - started
        finally:
            mock.terminate()
            mock.wait(timeout=10)
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"schemathesis exit {run.returncode}\n{output}\n--- mock log ---\n{log.read_text()}"
    summary = re.search(r"([0-9]+) generated, .*", output)
    assert summary is not None and int(summary.group(1)) > 0
    cases = _cases_per_phase(tmp_path / "events.ndjson")
    assert set(cases) >= {("coverage", "positive"), ("coverage", "negative"), ("fuzzing", "negative")}
    print(f"\n{api}: {summary.group(0)} in {elapsed:.1f} s")
    for (phase, mode), count in sorted(cases.items()):
        print(f"  {phase:9} {mode:9} {count:5} cases")


def _cases_per_phase(events: Path) -> Counter[tuple[str, str]]:
    """Generated cases (not the checks' follow-up probes) per (phase, mode), from the ndjson report."""
    counts: Counter[tuple[str, str]] = Counter()
    for line in events.read_text().splitlines():
        event = json.loads(line).get("ScenarioFinished")
        if not event:
            continue
        for case in event["recorder"].get("cases", {}).values():
            meta = case["value"].get("meta") or {}
            if case.get("parent_id") is None and meta:
                counts[(meta["phase"]["name"], meta["generation"]["mode"])] += 1
    return counts
