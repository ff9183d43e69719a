"""The support tooling of the Intercom mock's "Acme Cloud" workspace: notes on contacts and
companies, macros (saved replies), subscription types with the contacts' explicit choices,
the data attributes of contacts and companies, and brands. Called by
``intercom_fixtures.seed`` after the contacts and companies exist.

Macros are stored as Intercom keeps them, with ``{{placeholder|fallback:"..."}}`` in the
text; the handlers render ``body`` with the API's ``<attribute key=... default=.../>``
form and ``body_text`` as plain text (``intercom_lookups``). "Duplicate charge" is shown
only to the Billing team, which Ana Ruiz (the admin behind the token) is not in, so it is
listed but reading it answers 404, as Intercom documents for macros of other teams.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .intercom_state import IntercomState
from .intercom_workspace import (
    A1,
    A2,
    APP_ID,
    BILLING,
    DAY,
    ENGINEERING,
    HOUR,
    SUPPORT,
    T0,
    company_id_of,
    contact_id_of,
)

__all__ = ["iso", "seed_support"]


def iso(at: float) -> str:
    """Unix seconds as Intercom writes macro times: ``2026-10-01T09:00:00.000Z``."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(at * 1000) % 1000:03d}Z"


def seed_support(state: IntercomState) -> None:
    _notes(state)
    _macros(state)
    _subscriptions(state)
    _data_attributes(state)
    _brands(state)


# -- notes -----------------------------------------------------------------------------------------

NOTES = [
    # id, about ("contact" | "company", n), author, body, days before T0
    ("5200001", ("contact", 1), A2, "<p>Enterprise renewal is due in March; Ben owns the relationship.</p>", 30),
    ("5200002", ("contact", 2), A1, "<p>Hit the checkout 500 twice; offered a month's credit if it happens again.</p>",
     2),
    ("5200003", ("contact", 1), A1, "<p>Prefers email over chat; copy priya.nair@northwind.test on escalations.</p>",
     12),
    ("5200004", ("company", 1), A2, "<p>Renewal call booked for 3 March with their IT director.</p>", 20),
    ("5200005", ("company", 8), A1, "<p>SSO outage on 2 October affected all 800 seats.</p>", 9),
]  # fmt: skip


def _notes(state: IntercomState) -> None:
    for note_id, (kind, n), author, body, age in NOTES:
        target = contact_id_of(n) if kind == "contact" else company_id_of(n)
        state.notes[note_id] = {"type": "note", "id": note_id, "created_at": T0 - age * DAY,
                                "_about": (kind, target), "_author": author, "body": body}  # fmt: skip
        if kind == "contact":
            state.contacts[target]["_note_ids"].append(note_id)


# -- macros ----------------------------------------------------------------------------------------

MACROS = [
    # id, name, text (paragraphs), visible to teams (None: everyone), available on, created / updated days before T0
    ("1001", "Refund on its way", [
        'Hi {{user.first_name|fallback:"there"}},',
        'I have issued a refund for {{conversation.custom_attributes.Order number|fallback:"your order"}}. It goes '
        "back to your original payment method within 3-5 business days.",
        "Is there anything else I can help you with?"], None, ["inbox", "messenger"], 120, 6),
    ("1002", "Ask for steps to reproduce", [
        'Thanks for reporting this, {{user.first_name|fallback:"there"}}! Could you tell me the exact steps you '
        "take, and which browser and version you use?"], [SUPPORT, ENGINEERING], ["inbox"], 200, 15),
    ("1003", "Duplicate charge (billing team)", [
        "I can see the duplicate charge on {{conversation.custom_attributes.Order number}}. I have refunded it in "
        "full; the refund shows on your statement within 3-5 business days."], [BILLING], ["inbox"], 90, 3),
    ("1004", "Welcome to Acme Cloud", [
        'Welcome to Acme Cloud! I\'m {{teammate.name|fallback:"the support team"}}. How can I help you today?'],
     None, ["messenger"], 400, 400),
    ("1005", "Anything else?", ["Is there anything else I can help you with today?"], None, ["inbox", "messenger"],
     300, 60),
]  # fmt: skip


def _macros(state: IntercomState) -> None:
    for macro_id, name, paragraphs, teams, available_on, created, updated in MACROS:
        state.macros[macro_id] = {
            "type": "macro", "id": macro_id, "name": name, "_paragraphs": paragraphs,
            "_created_at": T0 - created * DAY, "_updated_at": T0 - updated * DAY + 7 * HOUR,
            "visible_to": "specific_teams" if teams else "everyone", "visible_to_team_ids": list(teams or []),
            "available_on": available_on,
        }  # fmt: skip


# -- subscription types ----------------------------------------------------------------------------

SUBSCRIPTION_TYPES = [
    # id, name, description, consent type, content types, state
    ("91", "Newsletter", "Monthly product news and tips", "opt_out", ["email"], "live"),
    ("92", "Product updates", "Release notes when we ship something new", "opt_out", ["email"], "live"),
    ("93", "SMS offers", "Discounts and offers by text message", "opt_in", ["sms_message"], "live"),
    ("94", "Webinars", "Invitations to live training sessions", "opt_in", ["email"], "draft"),
]


def _subscriptions(state: IntercomState) -> None:
    for sub_id, name, description, consent, content_types, sub_state in SUBSCRIPTION_TYPES:
        translation = {"name": name, "description": description, "locale": "en"}
        state.subscription_types[sub_id] = {
            "type": "subscription", "id": sub_id, "state": sub_state, "consent_type": consent,
            "default_translation": translation, "translations": [dict(translation)], "content_types": content_types,
        }  # fmt: skip
    state.contacts[contact_id_of(1)]["_subscriptions"] = {"91": "opt_out"}
    state.contacts[contact_id_of(2)]["_subscriptions"] = {"93": "opt_in"}


# -- data attributes -------------------------------------------------------------------------------

BUILT_IN = [
    # model, name, full name, label, data type, api writable
    ("contact", "name", "name", "Name", "string", True),
    ("contact", "email", "email", "Email", "string", True),
    ("contact", "phone", "phone", "Phone", "string", True),
    ("contact", "external_id", "external_id", "User ID", "string", True),
    ("contact", "role", "role", "Role", "string", False),
    ("contact", "owner_id", "owner_id", "Owner", "integer", True),
    ("contact", "signed_up_at", "signed_up_at", "Signed up", "date", True),
    ("contact", "last_seen_at", "last_seen_at", "Last seen", "date", True),
    ("contact", "unsubscribed_from_emails", "unsubscribed_from_emails", "Unsubscribed from emails", "boolean", True),
    ("contact", "country", "location.country", "Country", "string", False),
    ("company", "name", "name", "Company name", "string", True),
    ("company", "company_id", "company_id", "Company ID", "string", False),
    ("company", "name", "plan.name", "Plan", "string", False),
    ("company", "size", "size", "Company size", "integer", True),
    ("company", "website", "website", "Company website", "string", True),
    ("company", "industry", "industry", "Company industry", "string", True),
    ("company", "monthly_spend", "monthly_spend", "Monthly Spend", "float", True),
    ("company", "user_count", "user_count", "People", "integer", False),
]
CUSTOM = [
    # id, model, name, label, description, data type, options, archived
    (34001, "contact", "plan", "Plan", "The plan the contact's workspace is on", "string",
     ["Starter", "Growth", "Enterprise"], False),
    (34002, "contact", "seats", "Seats", "How many seats the contact's workspace pays for", "integer", None, False),
    (34003, "contact", "beta_tester", "Beta tester", "Whether the contact joined the beta programme", "boolean",
     None, False),
    (34004, "contact", "legacy_plan_code", "Legacy plan code", "The plan code before the 2025 pricing", "string",
     None, True),
    (34005, "company", "account_manager", "Account manager", "The teammate who owns the account", "string", None,
     False),
    (34006, "company", "renewal_date", "Renewal date", "When the contract renews", "date", None, False),
]  # fmt: skip


def _data_attributes(state: IntercomState) -> None:
    for model, name, full_name, label, data_type, writable in BUILT_IN:
        state.data_attributes.append({
            "type": "data_attribute", "model": model, "name": name, "full_name": full_name, "label": label,
            "description": f"The {label.lower()} of the {model}", "data_type": data_type, "api_writable": writable,
            "ui_writable": False, "messenger_writable": True, "custom": False, "archived": False,
        })  # fmt: skip
    for attribute_id, model, name, label, description, data_type, options, archived in CUSTOM:
        attribute = {
            "type": "data_attribute", "id": attribute_id, "model": model, "name": name,
            "full_name": f"custom_attributes.{name}", "label": label, "description": description,
            "data_type": data_type, "api_writable": True, "ui_writable": True, "messenger_writable": False,
            "custom": True, "archived": archived, "created_at": T0 - 500 * DAY + attribute_id % 100 * DAY,
            "updated_at": T0 - 100 * DAY, "admin_id": A1,
        }  # fmt: skip
        if options:
            attribute["options"] = options
        state.data_attributes.append(attribute)


# -- brands ----------------------------------------------------------------------------------------


def _brands(state: IntercomState) -> None:
    state.brands = {
        APP_ID: {"type": "brand", "id": APP_ID, "name": "Acme Cloud", "is_default": True,
                 "created_at": T0 - 900 * DAY, "updated_at": T0 - 40 * DAY, "help_center_id": "3001",
                 "default_address_settings_id": "15"},
        "204": {"type": "brand", "id": "204", "name": "Acme Developers", "is_default": False,
                "created_at": T0 - 200 * DAY, "updated_at": T0 - 50 * DAY, "help_center_id": "3002",
                "default_address_settings_id": "16"},
    }  # fmt: skip
