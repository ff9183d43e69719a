"""The seeded workspace of the Intercom mock: "Acme Cloud", a small SaaS support team.

Deterministic and hand-written, so tests and demos can name things: the admin behind
the token (``/me``) is Ana Ruiz (991267401); conversation 10934855 is the newest open
billing-refund request, 5099231 a checkout 500 error with steps to reproduce (the two
conversations of the seed workflows), and 10930077 a long thread of 22 parts of mixed
types, two of them imported with a back-dated ``created_at``, as Intercom returns them
(in the order they were added, not sorted by time). Ticket types carry the built-in
``_default_title_`` / ``_default_description_`` attributes.

A lead converted from a visitor keeps the visitor's ``user_id`` as its ``external_id``
here, and the mock keeps the visitor too: so the refund requester (a lead) can be
looked up with ``GET /visitors?user_id=``, the step the billing-refund workflow takes
to check the customer's plan.

Conversation state, assignees and ``waiting_since`` are derived from the parts, so the
fixture threads and the state always agree.
"""

from __future__ import annotations

from typing import Any

from .intercom_fixtures_content import seed_content
from .intercom_fixtures_support import seed_support
from .intercom_state import IntercomState
from .intercom_workspace import (
    A1,
    A2,
    A3,
    A4,
    APP_ID,
    BILLING,
    BOT,
    DAY,
    ENGINEERING,
    HOUR,
    ME,
    SUPPORT,
    T0,
    company_id_of,
    contact_id_of,
)  # fmt: skip

__all__ = ["seed", "T0", "ME", "BOT", "SEGMENTS"]


def seed(state: IntercomState) -> None:
    """Fill an empty state with the workspace."""
    state.counters.update(
        {
            "contact": 100,
            "company": 100,
            "conversation": 10935000,
            "part": 404000000,
            "message": 2701000,
            "ticket": 3847300,
            "ticket_number": 43,
            "tag": 8100100,
            "article": 7700100,
            "collection": 9100,
            "news_item": 3300100,
            "plan": 4110,
            "note": 5200100,
            "list_option": 0,
        }  # fmt: skip
    )
    state.app = {"type": "app", "id_code": APP_ID, "name": "Acme Cloud", "region": "US", "timezone": "Europe/Dublin",
                 "created_at": T0 - 900 * DAY, "identity_verification": False}  # fmt: skip
    state.me_id = ME
    _admins_and_teams(state)
    _tags_and_segments(state)
    _companies(state)
    _contacts(state)
    _visitors(state)
    _conversations(state)
    _tickets(state)
    seed_content(state)
    seed_support(state)


# -- admins, teams, tags ------------------------------------------------------------------


def _admins_and_teams(state: IntercomState) -> None:
    admins = [
        ("991267401", "Ana Ruiz", "ana.ruiz@acme.test", "Support lead", [5810001], False, True),
        ("991267402", "Ben Okafor", "ben.okafor@acme.test", "Billing specialist", [5810001, 5810002], False, True),
        ("991267403", "Chloé Martin", "chloe.martin@acme.test", "Support engineer", [5810003], True, True),
        ("991267404", "Dmitri Volkov", "dmitri.volkov@acme.test", "Product engineer", [5810003], False, False),
    ]
    for admin_id, name, email, job, team_ids, away, seat in admins:
        state.admins[admin_id] = {
            "type": "admin", "id": admin_id, "name": name, "email": email, "job_title": job,
            "away_mode_enabled": away, "away_mode_reassign": away, "away_status_reason_id": None,
            "has_inbox_seat": seat, "team_ids": team_ids,
            "avatar": {"type": "avatar", "image_url": f"https://static.intercomassets.test/avatars/{admin_id}.png"},
            "_email_verified": True,
        }  # fmt: skip
    team_rows = [
        ("5810001", "Support", [991267401, 991267402], "round_robin"),
        ("5810002", "Billing", [991267402], "round_robin"),
        ("5810003", "Engineering escalations", [991267403, 991267404], "balanced"),
    ]
    for team_id, name, members, method in team_rows:
        state.teams[team_id] = {
            "type": "team", "id": team_id, "name": name, "admin_ids": members,
            "admin_priority_level": {"primary_admin_ids": members[:1], "secondary_admin_ids": members[1:]},
            "assignment_limit": None, "distribution_method": method,
        }  # fmt: skip
    state.conversation_attributes = {"Issue type": "string", "Order number": "string", "Refund amount": "decimal"}


SEGMENTS = [
    # id, name, person type (user: users, contact: leads), created days before T0, member contacts (n)
    ("66f0c1d2e3a4b5c800000001", "Enterprise accounts", "user", 500, [1, 4, 5, 9]),
    ("66f0c1d2e3a4b5c800000002", "VIP customers", "user", 300, [1, 9]),
    ("66f0c1d2e3a4b5c800000003", "New leads", "contact", 120, [3, 7, 10]),
    ("66f0c1d2e3a4b5c800000004", "Churn risk", "user", 40, [6]),
]


def _tags_and_segments(state: IntercomState) -> None:
    names = ["billing", "refund", "bug", "vip", "checkout", "feature-request", "escalated"]
    for n, name in enumerate(names, start=1):
        tag_id = str(8100000 + n)
        state.tags[tag_id] = {"type": "tag", "id": tag_id, "name": name, "_dependents": []}
    for segment_id, name, person_type, age, _members in SEGMENTS:
        state.segments[segment_id] = {
            "type": "segment", "id": segment_id, "name": name, "created_at": T0 - age * DAY,
            "updated_at": T0 - age * DAY + 3 * HOUR, "person_type": person_type,
        }  # fmt: skip
    state.tags["8100004"]["_dependents"] = ["segment VIP customers"]


# -- companies, contacts, visitors --------------------------------------------------------

PLANS = {"Starter": "4101", "Growth": "4102", "Enterprise": "4103"}
COMPANIES = [
    # intercom id suffix, company_id, name, plan, size, website, industry, monthly spend, tags, segments
    (1, "nw-001", "Northwind Traders", "Enterprise", 450, "https://northwind.test", "Retail", 2400, ["8100004"], [1]),
    (2, "bp-002", "Bluepeak Analytics", "Growth", 60, "https://bluepeak.test", "Software", 399, [], []),
    (3, "kk-003", "Kite & Key Studio", "Starter", 8, "https://kitekey.test", "Design", 49, [], []),
    (4, "hh-004", "Harbor Health", "Enterprise", 1200, "https://harborhealth.test", "Healthcare", 5100, [], [1]),
    (5, "ll-005", "Lumen Labs", "Growth", 35, "https://lumenlabs.test", "Biotech", 399, [], []),
    (6, "of-006", "Orchard Foods", "Starter", 20, "https://orchardfoods.test", "Food", 49, [], []),
    (7, "rd-007", "R&D / Ops #1", "Growth", 12, None, "Consulting", 199, [], []),
    (8, "zl-008", "Zephyr Logistics", "Enterprise", 800, "https://zephyr.test", "Logistics", 3900, ["8100004"], [1]),
]


def _companies(state: IntercomState) -> None:
    for n, own_id, name, plan, size, website, industry, spend, tags, segments in COMPANIES:
        created = T0 - (400 - 30 * n) * DAY
        state.companies[company_id_of(n)] = {
            "type": "company", "id": company_id_of(n), "company_id": own_id, "name": name, "app_id": APP_ID,
            "plan": {"type": "plan", "id": PLANS[plan], "name": plan},
            "remote_created_at": created - 30 * DAY, "created_at": created, "updated_at": created + 10 * DAY,
            "last_request_at": T0 - n * HOUR, "size": size, "website": website, "industry": industry,
            "monthly_spend": spend, "session_count": 40 * n, "custom_attributes": {"account_manager": "Ben Okafor"},
            "_tag_ids": list(tags),
            "_segment_ids": ["66f0c1d2e3a4b5c800000001"] if segments else [],
        }  # fmt: skip


VISITOR_JORDAN = "3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83"
# fmt: off
CONTACTS = [
    # n, role, name, email, external_id, company n, city/country, custom attributes, tags
    (1, "user", "Maya Chen", "maya.chen@northwind.test", "usr_1001", 1, ("London", "United Kingdom"),
     {"plan": "Enterprise"}, ["8100004"]),
    (2, "user", "Omar Haddad", "omar.haddad@bluepeak.test", "usr_1002", 2, ("Berlin", "Germany"),
     {"plan": "Growth"}, []),
    (3, "lead", "Jordan Blake", "jordan.blake@lumenlabs.test", VISITOR_JORDAN, 5, ("Dublin", "Ireland"),
     {"plan": "Growth"}, []),
    (4, "user", "Lena Fischer", "lena.fischer@harborhealth.test", "usr_1004", 4, ("Munich", "Germany"),
     {"plan": "Enterprise"}, []),
    (5, "user", "Priya Nair", "priya.nair@northwind.test", "usr_1005", 1, ("Bengaluru", "India"),
     {"plan": "Enterprise"}, []),
    (6, "user", "Sam Taylor", "sam.taylor@orchardfoods.test", "usr_1006", 6, ("Leeds", "United Kingdom"),
     {"plan": "Starter"}, []),
    (7, "lead", None, None, None, None, ("Lisbon", "Portugal"), {}, []),
    (8, "user", "Tomás García", "tomas.garcia@kitekey.test", "usr_1008", 3, ("Madrid", "Spain"),
     {"plan": "Starter"}, []),
    (9, "user", "Aiko Tanaka", "aiko.tanaka@zephyr.test", "usr_1009", 8, ("Osaka", "Japan"), {"plan": "Enterprise"},
     ["8100004"]),
    (10, "lead", "Noah Williams", "noah.williams@lumenlabs.test", None, 5, ("Boston", "United States"), {}, []),
    (11, "user", "Grace Kim", "grace.kim@rdops.test", "usr_1011", 7, ("Seoul", "South Korea"), {"plan": "Growth"}, []),
    (12, "user", "Elif Demir", "elif.demir@bluepeak.test", "usr_1012", 2, ("Istanbul", "Turkey"),
     {"plan": "Growth"}, []),
    # merged into Maya Chen (1): answers 410 with a Link header
    (13, "user", "Maya Chen", "m.chen@oldmail.test", "usr_0917", 1, ("London", "United Kingdom"), {}, []),
]
# fmt: on


def _contacts(state: IntercomState) -> None:
    for n, role, name, email, external_id, company, (city, country), custom, tags in CONTACTS:
        created = T0 - (200 - 10 * n) * DAY
        state.contacts[contact_id_of(n)] = {
            "type": "contact", "id": contact_id_of(n), "workspace_id": APP_ID, "external_id": external_id,
            "role": role, "email": email, "email_domain": email.split("@", 1)[1] if email else None,
            "phone": None, "formatted_phone": None, "name": name, "owner_id": 991267402 if role == "user" else None,
            "has_hard_bounced": False, "marked_email_as_spam": False, "unsubscribed_from_emails": False,
            "created_at": created, "updated_at": created + 5 * DAY,
            "signed_up_at": created if role == "user" else None, "last_seen_at": T0 - n * HOUR,
            "last_replied_at": T0 - n * HOUR, "last_contacted_at": T0 - 2 * n * HOUR,
            "last_email_opened_at": None, "last_email_clicked_at": None, "language_override": None,
            "browser": "chrome", "browser_version": "131.0.0.0", "browser_language": "en", "os": "OS X 10.15.7",
            "location": {"type": "location", "country": country, "region": None, "city": city},
            "custom_attributes": dict(custom), "avatar": None,
            "social_profiles": {"type": "list", "data": []}, "enabled_push_messaging": None,
            "_tag_ids": list(tags), "_company_ids": [company_id_of(company)] if company else [],
            "_note_ids": [], "_segment_ids": [s for s, _, _, _, members in SEGMENTS if n in members],
            "_subscriptions": {}, "_merged_into": None, "_merged_at": None,
        }  # fmt: skip
    merged = state.contacts[contact_id_of(13)]
    merged["_merged_into"] = contact_id_of(1)
    merged["_merged_at"] = T0 - 20 * DAY


def _visitors(state: IntercomState) -> None:
    visitors = [
        ("66f0c1d2e3a4b5c900000001", VISITOR_JORDAN, "Jordan Blake", "jordan.blake@lumenlabs.test", 5,
         ("Dublin", "Leinster", "Ireland", "IE", "EU", "D02", "Europe/Dublin"), "https://acme.test/pricing",
         {"utm_campaign": "spring-sale", "utm_medium": "cpc", "utm_source": "google"}),
        ("66f0c1d2e3a4b5c900000002", "9b2e4d71-5a3c-4f08-b6e1-0c7d2a9f3e54", None, None, None,
         ("Lisbon", "Lisboa", "Portugal", "PT", "EU", "1100", "Europe/Lisbon"), "https://acme.test/blog/sso", {}),
        ("66f0c1d2e3a4b5c900000003", "c41d8e20-7f6b-4a95-8d3e-2b1f0a6c9e77", "Ravi Shah", "ravi@example.test", None,
         ("Toronto", "Ontario", "Canada", "CA", "NA", "M5V", "America/Toronto"), "https://acme.test/docs", {}),
    ]  # fmt: skip
    for n, (vid, user_id, name, email, company, loc, referrer, utm) in enumerate(visitors, start=1):
        city, region, country, code, continent, postal, tz = loc
        state.visitors[user_id] = {
            "type": "visitor", "id": vid, "user_id": user_id, "anonymous": name is None, "email": email or "",
            "phone": None, "name": name, "pseudonym": None if name else "Silver Comet from Lisbon",
            "avatar": {"type": "avatar", "image_url": None}, "app_id": APP_ID,
            "_company_ids": [company_id_of(company)] if company else [],
            "location_data": {"type": "location_data", "city_name": city, "region_name": region,
                              "country_name": country, "country_code": code, "continent_code": continent,
                              "postal_code": postal, "timezone": tz},
            "las_request_at": T0 - n * HOUR, "created_at": T0 - 30 * DAY * n, "remote_created_at": None,
            "signed_up_at": None, "updated_at": T0 - n * HOUR, "session_count": 3 * n,
            "social_profiles": {"type": "social_profile.list", "social_profiles": []}, "owner_id": None,
            "unsubscribed_from_emails": False, "marked_email_as_spam": False, "has_hard_bounced": False,
            "tags": {"type": "tag.list", "tags": []}, "segments": {"type": "segment.list", "segments": []},
            "custom_attributes": {"plan": "Growth"} if company else {}, "referrer": referrer,
            "utm_campaign": utm.get("utm_campaign"), "utm_content": None, "utm_medium": utm.get("utm_medium"),
            "utm_source": utm.get("utm_source"), "utm_term": None, "do_not_track": None,
        }  # fmt: skip


# -- conversations ------------------------------------------------------------------------


def make_part(state: IntercomState, part_type: str, author: dict[str, Any], body: str | None, at: int, *,
              assigned_to: dict[str, Any] | None = None, conv_state: str = "open",
              attachments: list[dict[str, Any]] | None = None, event_details: dict[str, Any] | None = None,
              external_id: str | None = None) -> dict[str, Any]:  # fmt: skip
    """One conversation part, as Intercom sends it."""
    return {
        "type": "conversation_part", "id": state.next_number("part"), "part_type": part_type, "body": body,
        "created_at": at, "updated_at": at, "notified_at": at, "assigned_to": assigned_to, "author": author,
        "attachments": attachments or [], "external_id": external_id, "redacted": False, "state": conv_state,
        "tags": [], "event_details": event_details or {}, "app_package_code": None,
    }  # fmt: skip


def apply_part(conv: dict[str, Any], part: dict[str, Any]) -> None:
    """What a part does to its conversation's state, assignees and waiting time."""
    kind, author = part["part_type"], part["author"]
    at = part["created_at"]
    if kind == "close":
        conv.update(state="closed", snoozed_until=None, waiting_since=None)
    elif kind in ("open", "unsnoozed"):
        conv.update(state="open", snoozed_until=None)
    elif kind == "snoozed":
        conv["state"] = "snoozed"
    elif kind in ("assignment", "default_assignment", "away_mode_assignment") and part["assigned_to"]:
        target = part["assigned_to"]
        key = "team_assignee_id" if target["type"] == "team" else "admin_assignee_id"
        conv[key] = int(target["id"] or 0)
    if kind in ("comment", "quick_reply"):
        if author["type"] in ("user", "lead", "contact"):
            if conv["state"] != "open":
                conv.update(state="open", snoozed_until=None)
            if conv["waiting_since"] is None:
                conv["waiting_since"] = at
        elif author["type"] == "admin":
            conv["waiting_since"] = None
    part["state"] = conv["state"]
    conv["updated_at"] = max(conv["updated_at"], at)


def _conversation(state: IntercomState, conv_id: str, contact_n: int, at: int, body: str, *,
                  parts: list[tuple[int, str, str, str | None, dict[str, Any]]], subject: str | None = None,
                  source_type: str = "conversation", title: str | None = None, priority: str = "none",
                  tags: list[str] | None = None, read: bool = True, custom: dict[str, Any] | None = None,
                  rating: int | None = None, channel: str = "chat") -> None:  # fmt: skip
    contact = state.contacts[contact_id_of(contact_n)]
    conv: dict[str, Any] = {
        "id": conv_id, "title": title, "created_at": at, "updated_at": at, "waiting_since": at,
        "snoozed_until": None, "state": "open", "read": read, "priority": priority,
        "admin_assignee_id": 0, "team_assignee_id": 0,
        "company_id": contact["_company_ids"][0] if contact["_company_ids"] else None,
        "tags": [{"id": t, "at": at + 60, "by": A1} for t in tags or []], "rating": None,
        "source": {
            "type": source_type, "id": state.next_number("message"),
            "delivered_as": "customer_initiated", "subject": subject or "", "body": body,
            "author": state.author_of_contact(contact), "attachments": [],
            "url": "https://app.acme.test/billing" if source_type == "conversation" else None, "redacted": False,
        },
        "contact_ids": [contact["id"]], "custom_attributes": dict(custom or {}),
        "first_contact_reply": {"created_at": at, "type": source_type, "url": None},
        "sla_applied": None, "linked": [], "ai_agent_participated": False, "channel": channel, "parts": [],
    }  # fmt: skip
    for offset, kind, who, text, extra in parts:
        if who == "contact":
            author = state.author_of_contact(contact)
        elif who == "bot":
            author = dict(BOT)
            conv["ai_agent_participated"] = True
        else:
            author = state.author_of_admin(state.admins[who])
        assigned = extra.get("to")
        assigned_to = {"type": assigned[0], "id": assigned[1]} if assigned else None
        part = make_part(state, kind, author, text, at + offset, assigned_to=assigned_to,
                         event_details=extra.get("event"), external_id=extra.get("external_id"))  # fmt: skip
        if kind == "snoozed":
            conv["snoozed_until"] = extra["until"]
        conv["parts"].append(part)
        apply_part(conv, part)
    if rating is not None:
        conv["rating"] = {"rating": rating, "remark": "Quick and friendly", "created_at": conv["updated_at"],
                          "updated_at": conv["updated_at"], "contact": {"type": "contact", "id": contact["id"],
                                                                        "external_id": contact["external_id"]},
                          "teammate": {"type": "admin", "id": A1}}  # fmt: skip
    state.conversations[conv_id] = conv


STEPS = (
    "<p>Steps to reproduce:</p><ol><li>Add the Pro plan to the cart</li><li>Apply coupon SPRING25</li>"
    "<li>Click <b>Pay now</b></li></ol><p>The page shows &quot;500 Internal Server Error&quot; every time. "
    'Screenshot: <a href="https://files.bluepeak.test/checkout-500.png">checkout-500.png</a></p>'
)


def _conversations(state: IntercomState) -> None:
    c = _conversation
    # The long thread: 22 parts of mixed types; parts 9 and 15 were imported later with a
    # back-dated created_at, so the raw order is not the time order.
    c(state, "10930077", 1, T0 - 9 * DAY, "<p>We're stuck in a login loop with SSO since this morning.</p>",
      title="SSO login loop", priority="urgent", tags=["8100003"], custom={"Issue type": "Bug"}, parts=[
          (40, "comment", "bot", "<p>Thanks for reaching out! Have you tried signing out of your identity provider?</p>", {}),  # noqa: E501
          (90, "comment", "contact", "<p>Yes, same result. It affects our whole team.</p>", {}),
          (120, "default_assignment", "bot", None, {"to": ("team", SUPPORT)}),
          (600, "assignment", A1, None, {"to": ("admin", A1)}),
          (700, "comment", A1, "<p>Sorry about this, Maya. Which identity provider do you use?</p>", {}),
          (1500, "comment", "contact", "<p>Okta. The SAML response seems fine.</p>", {}),
          (1600, "note", A1, "<p>Looks like the SAML clock-skew issue from last week.</p>", {}),
          (1700, "assignment", A1, "<p>Chloé, can you take this one?</p>", {"to": ("admin", A3)}),
          (300, "note", A4, "<p>Imported from Slack: IdP certificate rotated yesterday.</p>", {"external_id": "slack-8841"}),  # noqa: E501
          (1900, "away_mode_assignment", "bot", None, {"to": ("admin", A4)}),
          (2000, "comment", A4, "<p>Could you send the SAML trace from your browser?</p>", {}),
          (2600, "quick_reply", A4, "<p>Can you capture it now?</p>", {}),
          (2700, "comment", "contact", "<p>Sent the HAR file by email.</p>", {}),
          (3000, "snoozed", A4, None, {"until": T0 - 8 * DAY}),
          (200, "note", A1, "<p>Imported: customer is on the Enterprise plan, priority support.</p>", {"external_id": "crm-311"}),  # noqa: E501
          (DAY, "unsnoozed", "bot", None, {}),
          (DAY + 100, "comment", A4, "<p>Fixed: we re-issued the certificate. Please try again.</p>", {}),
          (DAY + 200, "close", A4, None, {}),
          (DAY + 4000, "comment", "contact", "<p>It's back again for two users.</p>", {}),
          (DAY + 4100, "conversation_attribute_updated_by_admin", A1, None,
           {"event": {"attribute": {"name": "Issue type"}, "value": {"name": "Regression"}}}),
          (DAY + 4200, "note", A1, "<p>Escalating to engineering.</p>", {}),
          (DAY + 4300, "assignment", A1, None, {"to": ("team", ENGINEERING)}),
      ])  # fmt: skip
    c(state, "10934001", 4, T0 - 6 * DAY, "<p>Could I get a refund for the annual plan? We renewed by mistake.</p>",
      tags=["8100001", "8100002"], rating=5, parts=[
          (300, "assignment", A2, None, {"to": ("team", BILLING)}),
          (400, "comment", A2, "<p>Done: the refund was issued and will arrive within 3-5 business days.</p>", {}),
          (500, "close", A2, None, {}),
      ])  # fmt: skip
    c(state, "10931200", 5, T0 - 5 * DAY, "<p>The CSV export is missing the 'owner' column.</p>", parts=[
        (1200, "comment", A1, "<p>Thanks Priya, engineering is looking into it.</p>", {}),
        (1300, "snoozed", A1, None, {"until": T0 + 2 * DAY}),
    ])  # fmt: skip
    c(
        state,
        "10931555",
        8,
        T0 - 4 * DAY,
        "<p>Please change our invoice address to Calle Mayor 5, Madrid.</p>",
        subject="Invoice address change",
        source_type="email",
        read=False,
        channel="email",
        parts=[],
    )
    c(state, "10932010", 9, T0 - 4 * DAY + 3600, "<p>How do I add teammates to my workspace?</p>", rating=4, parts=[
        (100, "comment", "bot", "<p>You can invite teammates from Settings &gt; Team.</p>", {}),
        (400, "comment", "contact", "<p>Found it, thanks!</p>", {}),
        (500, "close", "bot", None, {}),
    ])  # fmt: skip
    c(state, "10932400", 10, T0 - 3 * DAY, "<p>Do you have a discount for nonprofits?</p>", read=False, parts=[])
    c(state, "10932777", 11, T0 - 3 * DAY + 7200, "<p>We keep hitting 429 errors from the API at night.</p>",
      priority="medium", parts=[
          (60, "assignment", A1, None, {"to": ("team", ENGINEERING)}),
          (90, "assignment", A1, None, {"to": ("admin", A3)}),
          (600, "comment", A3, "<p>Your nightly sync sends about 200 requests per 10 seconds.</p>", {}),
      ])  # fmt: skip
    c(state, "10933100", 12, T0 - 2 * DAY, "<p>The password reset email never arrives.</p>", parts=[
        (300, "comment", A1, "<p>It was in quarantine on your side; we have re-sent it.</p>", {}),
        (900, "close", A1, None, {}),
    ])  # fmt: skip
    c(state, "10933650", 7, T0 - 2 * DAY + 500, "<p>hello? anyone there</p>", read=False, parts=[])
    c(state, "10934300", 1, T0 - DAY, "<p>Feature request: a dark mode for the dashboard, please.</p>",
      tags=["8100006"], parts=[
          (300, "comment", A1, "<p>Great idea, I've added your vote to our tracker.</p>", {}),
          (400, "snoozed", A1, None, {"until": T0 + 30 * DAY}),
      ])  # fmt: skip
    c(state, "10934712", 6, T0 - 20 * HOUR, "<p>I cancelled last week but was still charged. I'd like a refund.</p>",
      tags=["8100002"], custom={"Order number": "INV-20877"}, parts=[
          (120, "default_assignment", "bot", None, {"to": ("team", BILLING)}),
          (900, "comment", A2, "<p>Hi Sam, I'm checking this with our payments team.</p>", {}),
          (1000, "comment", "contact", "<p>Thanks, the refund should go to the same card.</p>", {}),
      ])  # fmt: skip
    c(state, "5099231", 2, T0 - 6 * HOUR, "<p>I get a 500 error on the checkout page every time I try to pay.</p>",
      priority="high", tags=["8100003", "8100005"], custom={"Issue type": "Bug"}, parts=[
          (60, "assignment", "bot", None, {"to": ("team", SUPPORT)}),
          (300, "assignment", A1, None, {"to": ("admin", A1)}),
          (400, "comment", A1, "<p>Sorry about that, Omar! Could you tell me the exact steps you take?</p>", {}),
          (1200, "comment", "contact", STEPS, {}),
          (1500, "comment", A1, "<p>Thanks! Which browser and version do you use?</p>", {}),
          (1800, "comment", "contact", "<p>Chrome 131 on macOS.</p>", {}),
          (2000, "note", A1, "<p>Reproduced on staging: the coupon service times out and checkout returns 500.</p>", {}),  # noqa: E501
      ])  # fmt: skip
    c(state, "10934855", 3, T0 - 2 * HOUR, "<p>Hi, I was charged twice for my Growth plan this month. "
      "Can I get a refund for the duplicate charge?</p>", priority="high", tags=["8100001", "8100002"],
      read=False, custom={"Order number": "INV-20931"}, parts=[
          (30, "comment", "bot", "<p>I can help with billing questions. Let me connect you with our billing team.</p>", {}),  # noqa: E501
          (40, "default_assignment", "bot", None, {"to": ("team", BILLING)}),
          (600, "comment", "contact", "<p>The duplicate charge is on invoice INV-20931.</p>", {}),
          (900, "note", A2, "<p>Confirmed in Stripe: INV-20931 was charged twice on the 12th.</p>", {}),
          (960, "assignment", A2, None, {"to": ("admin", A2)}),
      ])  # fmt: skip


# -- tickets -------------------------------------------------------------------------------


def _attribute(state: IntercomState, type_id: str, n: int, name: str, data_type: str, description: str, *,
               required: bool = False, default: bool = False, options: list[str] | None = None) -> dict[str, Any]:  # fmt: skip  # noqa: E501
    input_options: dict[str, Any] | None = None
    if data_type == "string":
        input_options = {"multiline": name == "_default_description_"}
    if options:
        input_options = {"list_options": [{"id": state.next_uuid("list_option"), "label": o, "archived": False}
                                          for o in options]}  # fmt: skip
    return {
        "type": "ticket_type_attribute", "id": f"{type_id}{n:02d}", "workspace_id": APP_ID, "name": name,
        "description": description, "data_type": data_type, "input_options": input_options, "order": n,
        "required_to_create": required, "required_to_create_for_contacts": False, "visible_on_create": True,
        "visible_to_contacts": default, "default": default, "ticket_type_id": int(type_id), "archived": False,
        "created_at": T0 - 300 * DAY, "updated_at": T0 - 300 * DAY,
    }  # fmt: skip


def _tickets(state: IntercomState) -> None:
    states = [
        ("4001", "submitted", "Submitted", "Submitted"),
        ("4002", "in_progress", "In progress", "In progress"),
        ("4003", "waiting_on_customer", "Waiting on customer", "Awaiting your reply"),
        ("4004", "resolved", "Resolved", "Resolved"),
        ("4005", "in_progress", "Investigating", "In progress"),
    ]
    for state_id, category, internal, external in states:
        state.ticket_states[state_id] = {"id": state_id, "category": category, "internal_label": internal,
                                         "external_label": external}  # fmt: skip
    types = [
        ("2001", "Customer Request", "Customer", "Requests from customers that need follow-up.", "🎟️", False,
         ["4001", "4002", "4003", "4004"], [("Order number", "string", "The invoice or order number", False, None),
                                            ("Urgency", "list", "How urgent it is for the customer", False,
                                             ["Low", "Normal", "High"])]),
        ("2002", "Engineering Bug", "Back-office", "A reproducible defect for the engineering queue.", "🐞", False,
         ["4001", "4005", "4004"], [("Severity", "list", "S1 (outage) to S4 (cosmetic)", False,
                                     ["S1", "S2", "S3", "S4"]),
                                    ("Affected URL", "string", "Where the bug happens", False, None),
                                    ("Reproducible", "boolean", "Whether support reproduced it", False, None)]),
        ("2003", "Feature Tracker", "Tracker", "Tracks a feature request across conversations.", "💡", False,
         ["4001", "4002", "4004"], []),
        ("2004", "Returns (legacy)", "Customer", "Replaced by Customer Request.", "📦", True, ["4001", "4004"], []),
    ]  # fmt: skip
    for type_id, name, category, description, icon, archived, state_ids, extra in types:
        attributes = [
            _attribute(state, type_id, 1, "_default_title_", "string", "Title of the ticket", required=True,
                       default=True),
            _attribute(state, type_id, 2, "_default_description_", "string", "Description of the ticket",
                       default=True),
        ]  # fmt: skip
        for n, (attr, data_type, text, required, options) in enumerate(extra, start=3):
            attributes.append(_attribute(state, type_id, n, attr, data_type, text, required=required, options=options))
        state.ticket_types[type_id] = {
            "type": "ticket_type", "id": type_id, "category": category, "name": name, "description": description,
            "icon": icon, "workspace_id": APP_ID, "archived": archived, "is_internal": category != "Customer",
            "created_at": T0 - 300 * DAY, "updated_at": T0 - 30 * DAY,
            "_attributes": attributes, "_state_ids": state_ids,
        }  # fmt: skip

    def ticket(ticket_id: str, number: str, type_id: str, contact_n: int, title: str, description: str,
               state_id: str, at: int, *, admin: int = 0, team: int = 0, linked: str | None = None,
               extra: dict[str, Any] | None = None) -> None:  # fmt: skip
        contact = state.contacts[contact_id_of(contact_n)]
        parts = [{
            "type": "ticket_part", "id": state.next_number("part"), "part_type": "ticket_state_updated_by_admin",
            "body": None, "previous_ticket_state": "submitted",
            "ticket_state": state.ticket_states[state_id]["category"], "created_at": at + HOUR,
            "updated_at": at + HOUR, "assigned_to": None,
            "author": state.author_of_admin(state.admins[A1]), "attachments": [], "external_id": None,
            "redacted": False,
        }] if state_id != "4001" else []  # fmt: skip
        state.tickets[ticket_id] = {
            "id": ticket_id, "ticket_id": number, "ticket_type_id": type_id,
            "attributes": {"_default_title_": title, "_default_description_": description, **(extra or {})},
            "state_id": state_id, "previous_state_id": "4001" if state_id != "4001" else None,
            "contact_ids": [contact["id"]], "admin_assignee_id": admin, "team_assignee_id": team,
            "company_id": contact["_company_ids"][0] if contact["_company_ids"] else None,
            "created_at": at, "updated_at": at + HOUR, "open": state_id != "4004", "snoozed_until": None,
            "is_shared": state.ticket_types[type_id]["category"] == "Customer",
            "linked": [{"type": "conversation", "id": linked, "category": None}] if linked else [], "parts": parts,
            "tags": [],
        }  # fmt: skip
        if linked:
            category = state.ticket_types[type_id]["category"]
            state.conversations[linked]["linked"].append({"type": "ticket", "id": ticket_id, "category": category})

    ticket("3847201", "41", "2001", 6, "Refund for a cancelled subscription", "Charged after cancelling.",
           "4002", T0 - 19 * HOUR, admin=991267402, team=5810002, linked="10934712",
           extra={"Order number": "INV-20877"})  # fmt: skip
    ticket("3847202", "42", "2002", 5, "CSV export drops the owner column", "Export of 10k+ rows omits 'owner'.",
           "4005", T0 - 4 * DAY, team=5810003, linked="10931200")  # fmt: skip
    ticket("3847203", "43", "2003", 1, "Dark mode", "Customers ask for a dark dashboard theme.", "4001",
           T0 - DAY + 500, linked="10934300")  # fmt: skip
