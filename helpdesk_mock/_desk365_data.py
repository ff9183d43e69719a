"""Deterministic Desk365 fixtures: a small but believable helpdesk.

Everything is derived from fixed lists and the item's index (no randomness, no
clock), so every fresh state is identical and tests can name fixtures:
35 companies (one full page of 30 plus a second page; one is called
``R&D / Ops #1`` to exercise query encoding), 40 contacts, 75 tickets numbered
17 to 91 with one to five conversation messages each, 45 time entries, three
surveys and 35 ratings, four contracts, and a knowledge base of three
categories, four folders and eight articles. The identifiers the document uses
as examples exist (ticket 91, ``jane.doe@example.com``, ``Contoso``, ``Help
Center`` / ``User Guides``, ``How to reset your password``), so an example
copied from a tool description works. Records are stored in their response
shape (the document's schemas), so handlers mostly copy and filter.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

__all__ = ["AGENTS", "SUPPORT_EMAIL", "build", "stamp", "text_of"]

BASE = datetime(2025, 11, 10, 8, 0, 0)
SUPPORT_EMAIL = "support@acme-helpdesk.example"
AGENTS = [
    ("ava.morgan@acme-helpdesk.example", "Ava Morgan"),
    ("liam.chen@acme-helpdesk.example", "Liam Chen"),
    ("noah.patel@acme-helpdesk.example", "Noah Patel"),
    ("mia.rossi@acme-helpdesk.example", "Mia Rossi"),
]
COMPANIES = [
    "Contoso", "Fabrikam", "Northwind Traders", "Adventure Works", "Tailspin Toys", "Wide World Importers",
    "Litware", "Proseware", "Fourth Coffee", "Alpine Ski House", "Blue Yonder Airlines", "Coho Winery",
    "Consolidated Messenger", "Graphic Design Institute", "Humongous Insurance", "Lucerne Publishing",
    "Margie's Travel", "Northridge Video", "Relecloud", "School of Fine Art", "Southridge Video", "Trey Research",
    "VanArsdel", "Wingtip Toys", "Woodgrove Bank", "A. Datum Corporation", "Bellows College",
    "Best For You Organics", "City Power & Light", "Lamna Healthcare", "Nod Publishers", "Olympia Paper",
    "Tailwind Traders", "R&D / Ops #1", "Munson's Pickles and Preserves",
]  # fmt: skip
CITIES = [("Seattle", "WA", "USA", "98101"), ("Austin", "TX", "USA", "73301"), ("Toronto", "ON", "Canada", "M5H 2N2"),
          ("Dublin", "", "Ireland", "D02 X285"), ("Pune", "MH", "India", "411001")]  # fmt: skip
FIRST = ["Jane", "Omar", "Sofia", "Lucas", "Priya", "Ethan", "Chloe", "Mateo", "Hannah", "Kenji"]
LAST = ["Doe", "Haddad", "Novak", "Silva"]
TITLES = ["IT Manager", "Office Administrator", "Developer", "Finance Lead", "Operations Analyst", None]
SUBJECTS = [
    "Printer not working", "Cannot log in to the portal", "Invoice shows the wrong amount",
    "VPN disconnects every few minutes", "Request for a new laptop", "Outlook keeps asking for my password",
    "Refund for a duplicate charge", "Shared drive is read-only", "Teams calls drop after 10 minutes",
    "How do I export my reports?", "Two-factor code never arrives", "Website contact form returns an error",
    "Add a new user to our account", "Slow response times on the dashboard", "Update our billing address",
]  # fmt: skip
STATUSES = ["Open", "Pending", "Resolved", "Closed", "Open"]
PRIORITIES = [1, 5, 10, 20]
TYPES = ["Question", "Incident", "Problem", "Feature Request"]
SOURCES = [1, 6, 15, 12, 5, 7, 13]
GROUPS = ["Support", "Billing", "Engineering", None]
CATEGORIES = [("Hardware", "Printers"), ("Software", "Email"), ("Billing", "Disputed Charge"), ("Account", None)]


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


def text_of(html: str | None) -> str | None:
    return None if html is None else re.sub(r"<[^>]+>", "", html).strip()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower()) or "company"


def _companies() -> dict[str, dict[str, Any]]:
    out = {}
    for i, name in enumerate(COMPANIES):
        city, state, country, zipcode = CITIES[i % len(CITIES)]
        created = BASE - timedelta(days=400 - i * 3)
        out[name.lower()] = {
            "name": name, "description": f"{name}, a customer since {created.year}.",
            "phone": f"+1 425 555 {100 + i:04d}", "address": f"{10 + i} Main Street", "city": city, "state": state,
            "country": country, "zipcode": zipcode, "sla": "Premium SLA" if i % 5 == 0 else "Default SLA Policy",
            "domains": f"{_slug(name)}.example", "created_on": stamp(created),
            "updated_on": "1970-01-01 00:00:00" if i % 7 == 3 else stamp(created + timedelta(days=30)),
        }  # fmt: skip
    return out


def _contacts() -> dict[str, dict[str, Any]]:
    out = {}
    for i in range(40):
        first, last = FIRST[i % len(FIRST)], LAST[i // len(FIRST)]
        company = COMPANIES[i % 12]
        # the first contact is the document's example (primary_email jane.doe@example.com)
        email = "jane.doe@example.com" if i == 0 else f"{first.lower()}.{last.lower()}@{_slug(company)}.example"
        created = BASE - timedelta(days=200 - i * 2)
        out[email] = {
            "name": f"{first} {last}", "primary_email": email, "is_deleted": 0,
            "secondary_emails": f"{first.lower()}@home.example" if i % 4 == 0 else None,
            "title": TITLES[i % len(TITLES)], "mobile": f"+1 206 555 {200 + i:04d}" if i % 3 else None,
            "phone": f"+1 425 555 {300 + i:04d}", "company_name": company,
            "created_on": stamp(created), "updated_on": stamp(created + timedelta(days=i % 9)),
        }  # fmt: skip
    return out


def _message(number: int, kind: str, who: tuple[str, str], contact: dict[str, Any], body: str, when: datetime,
             public: bool | None = None) -> dict[str, Any]:  # fmt: skip
    agent = kind != "contact"
    return {
        "ticket_number": number, "created_by": who[0], "creator_name": who[1],
        "type": {"contact": "reply", "agent": "reply"}.get(kind, kind), "public_note": public,
        "sender_type": "agent" if agent else "contact", "cc_address": None, "bcc_address": None,
        "to_address": contact["primary_email"] if kind == "agent" else SUPPORT_EMAIL,
        "notified_agents": None, "body": f"<div>{body}</div>", "body_text": body, "attachments_count": 0,
        "attachments": [], "created_on": stamp(when), "is_email_deliveribility_failiure": False,
        "email_bounce_type": None, "email_bounce_status": None,
    }  # fmt: skip


def _tickets(contacts: list[dict[str, Any]]) -> tuple[dict[int, dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    tickets: dict[int, dict[str, Any]] = {}
    conversations: dict[int, list[dict[str, Any]]] = {}
    for i in range(75):
        number = 17 + i  # the newest is 91, the document's example ticket_number
        contact = contacts[i % len(contacts)]
        subject = SUBJECTS[i % len(SUBJECTS)]
        status = STATUSES[i % len(STATUSES)]
        created = BASE + timedelta(hours=7 * i)
        agent = AGENTS[i % len(AGENTS)] if i % 6 else None
        category, subcategory = CATEGORIES[i % len(CATEGORIES)]
        description = f"Hello, {subject.lower()} since this morning. Could you take a look? Thanks, {contact['name']}"
        who = (contact["primary_email"], contact["name"])
        helper = agent or AGENTS[0]
        messages = [_message(number, "contact", who, contact, description, created)]
        extra = [
            ("agent", helper, "Thanks for reaching out, we are looking into it.", None),
            ("note", helper, "Checked the logs; waiting on the vendor.", False),
            ("note", helper, "Customer confirmed the workaround helps.", True),
            ("forward", helper, "Forwarding to the hardware team for a replacement.", None),
        ]
        for j, (kind, by, text, public) in enumerate(extra[: i % 5]):
            messages.append(
                _message(number, kind, by, contact, text, created + timedelta(minutes=30 * (j + 1)), public)
            )
        conversations[number] = messages
        updated = created + timedelta(minutes=30 * len(messages) + i)
        done = status in ("Resolved", "Closed")
        tickets[number] = {
            "ticket_number": number, "contact_email": contact["primary_email"], "contact_name": contact["name"],
            "subject": subject, "description": f"<div>{description}</div>", "description_text": description,
            "status": status, "priority": PRIORITIES[i % len(PRIORITIES)], "type": TYPES[i % len(TYPES)],
            "source": SOURCES[i % len(SOURCES)], "form_name": "Default Form", "form_is_deleted": 0,
            "assigned_to": agent[0] if agent else None, "company_name": contact["company_name"],
            "sla": "Default SLA Policy", "completed_within_sla": (i % 3 != 0) if done else None,
            "group": GROUPS[i % len(GROUPS)], "category": category, "subcategory": subcategory,
            "created_on": stamp(created), "updated_on": stamp(updated),
            "resolved_on": stamp(updated) if done else None,
            "closed_on": stamp(updated) if status == "Closed" else None,
            "due_date": stamp(created + timedelta(days=2)),
            "first_response_time": stamp(created + timedelta(minutes=30)) if len(messages) > 1 else None,
            "first_assigned_time": stamp(created + timedelta(minutes=5)) if agent else None,
            "first_assigned_duration": 5 if agent else None, "resolved_duration": 30 * len(messages) if done else None,
            "first_replied_duration": 30 if len(messages) > 1 else None,
            "closed_duration": 30 * len(messages) + i if status == "Closed" else None,
            "custom_fields": {"cf_Employee ID": 2022500 + i, "cf_Department": ["IT", "Finance", "Sales"][i % 3]},
            "attachments": [], "watchers": [AGENTS[(i + 1) % len(AGENTS)][0]] if i % 4 == 0 else [],
            "share_to": [], "conversation_count": len(messages),
        }  # fmt: skip
    return tickets, conversations


SURVEYS: list[dict[str, Any]] = [
    {"survey_name": "Customer Satisfaction", "survey_type": 1, "cs_survey_scale": 3, "cs_rating_order": 1,
     "cs_neutral_type": 1, "cs_scale_point_map": {"1": "Unhappy", "2": "Neutral", "3": "Happy"},
     "questions": {"survey_question": "How would you rate the support you received?", "cs_question_2": None,
                   "cs_question_3": None}, "notify_type": 7},
    {"survey_name": "Five Star Rating", "survey_type": 2, "cs_survey_scale": 5, "cs_rating_order": 1,
     "cs_neutral_type": None, "cs_scale_point_map": {str(n): f"{n} star" for n in range(1, 6)},
     "questions": {"survey_question": "How many stars would you give us?",
                   "cs_question_2": "How quickly was your issue solved?", "cs_question_3": None}, "notify_type": 8},
    {"survey_name": "Net Promoter Score", "survey_type": 3, "cs_survey_scale": 11, "cs_rating_order": 1,
     "cs_neutral_type": None, "cs_scale_point_map": None,
     "questions": {"survey_question": "How likely are you to recommend us to a friend?", "cs_question_2": None,
                   "cs_question_3": None}, "notify_type": 7},
]  # fmt: skip


def _surveys() -> list[dict[str, Any]]:
    out = []
    for i, s in enumerate(SURVEYS):
        out.append({**s, "thankyou_text": "Thank you for your feedback!", "include_additional_comments": i != 2,
                    "additional_comments_title": "Anything else?" if i != 2 else None, "is_active": i != 1,
                    "is_deleted": False})  # fmt: skip
    return out


def _ratings(tickets: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    done = [t for t in tickets.values() if t["status"] in ("Resolved", "Closed")]
    out = []
    for i in range(35):
        t = done[i % len(done)]
        survey = SURVEYS[i % 3]
        rating = [3, 5, 9][i % 3] - (i % 2)
        sent = datetime.strptime(t["updated_on"], "%Y-%m-%d %H:%M:%S") + timedelta(hours=1 + i)
        out.append({
            "ticket_number": t["ticket_number"], "survey_name": survey["survey_name"],
            "survey_type": survey["survey_type"], "contact_email": t["contact_email"],
            "agent_assigned": t["assigned_to"], "cs_neutral_type": survey["cs_neutral_type"],
            "ratings": {"survey_question": survey["questions"]["survey_question"], "rating": rating,
                        "cs_question_2": survey["questions"]["cs_question_2"],
                        "cs_rating_2": 4 if survey["questions"]["cs_question_2"] else None,
                        "cs_question_3": None, "cs_rating_3": None},
            "additional_comments_title": "Anything else?" if i % 3 != 2 else None,
            "additional_comments_response": "Quick and friendly, thanks!" if i % 4 == 0 else None,
            "sent_on": stamp(sent), "rated_on": stamp(sent + timedelta(minutes=42)),
        })  # fmt: skip
    return out


def _contracts() -> list[dict[str, Any]]:
    rows = [
        ("Contoso Premium Support 2025", "Contoso", "2025-01-01", "2025-12-31", "CT-1001", 2, True, "Premium"),
        ("Fabrikam Ticket Pack", "Fabrikam", "2025-03-01", "2026-02-28", "CT-1002", 3, True, "Standard"),
        ("Northwind Legacy Support", "Northwind Traders", "2023-01-01", "2023-12-31", "CT-0907", 2, False, None),
        ("Litware Onboarding 2026", "Litware", "2026-01-01", "2026-12-31", "CT-1003", 2, True, "Standard"),
    ]
    out = []
    for i, (name, company, start, end, ref, kind, active, category) in enumerate(rows):
        hours = kind == 2
        out.append({
            "name": name, "start_date": start, "end_date": end, "is_active": active, "setup_fees": 500 * i,
            "reference_number": ref, "bill_cycle": 1 if hours else 2, "contract_type": kind,
            "after_hours_included": i % 2 == 0, "sla": "Premium SLA" if i == 0 else "Default SLA Policy",
            "company": company, "category": category, "is_default": i == 0,
            "contract_hours": 40 if hours else None, "min_increment": 15 if hours else None,
            "rollover_unused_hours": 1 if hours else None, "rollover_type": 1 if hours else None,
            "rollover_value": 10 if hours else None, "contract_used_mins": 600 + 60 * i,
            "total_available_mins": 2400 if hours else None, "total_rollover_mins": 120 if hours else None,
            "extra_used_mins": 0, "contract_tickets": None if hours else 25,
            "rollover_details": [{"year": 2025, "month": m, "contract_mins": 2400, "contract_mins_used": 300 * m,
                                  "rollover_mins": 120, "rollover_mins_used": 0, "rollover_mins_available": 120,
                                  "late_entry_mins": 0} for m in (1, 2)] if hours else [],
            "usage_hours": [{"year": 2025, "month": m, "contractMins": 2400, "contractMinsUsed": 300 * m,
                             "rolloverMins": 120, "rolloverMinsUsed": 0, "rolloverMinsAvailable": 120,
                             "lateEntryMins": 0, "extraUsedMins": 0} for m in (1, 2)] if hours else [],
        })  # fmt: skip
    return out


KB_CATEGORIES = [
    ("Help Center", "Answers to the questions customers ask most.", 2),
    ("Billing & Payments", "Invoices, payment methods and refunds.", 3),
    ("Product Guides", "Step-by-step guides for every feature.", 2),
]
KB_FOLDERS = [("Help Center", "User Guides"), ("Help Center", "Troubleshooting"),
              ("Billing & Payments", "Invoices"), ("Product Guides", "Getting Started")]  # fmt: skip
KB_ARTICLES = [
    ("How to reset your password", "Help Center", "User Guides", 1),
    ("Setting up two-factor authentication", "Help Center", "User Guides", 1),
    ("Printer shows offline", "Help Center", "Troubleshooting", 1),
    ("VPN keeps disconnecting", "Help Center", "Troubleshooting", 0),
    ("Understanding your invoice", "Billing & Payments", "Invoices", 1),
    ("Updating your payment details", "Billing & Payments", "Invoices", 2),
    ("Getting started with the agent portal", "Product Guides", "Getting Started", 1),
    ("Creating your first ticket", "Product Guides", "Getting Started", 1),
]


def kb_urls(title: str) -> tuple[str, str]:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return (f"https://acme.desk365.invalid/app/kb/articles/{slug}",
            f"https://acme.desk365.invalid/support/solutions/articles/{slug}")  # fmt: skip


def _kb() -> tuple[dict[str, Any], dict[tuple[str, str], Any], dict[str, Any]]:
    categories = {}
    for i, (name, description, visibility) in enumerate(KB_CATEGORIES):
        categories[name.lower()] = {
            "category_name": name, "category_description": description, "created_by_email": AGENTS[i][0],
            "created_on": stamp(BASE - timedelta(days=90 - i)), "support_portal_visibility": visibility,
            "company_list": ["Contoso"] if visibility == 4 else [], "agent_portal_visibility": 1,
            "agent_group_list": [], "category_order": i + 1,
        }  # fmt: skip
    folders = {}
    for i, (category, name) in enumerate(KB_FOLDERS):
        folders[(category.lower(), name.lower())] = {
            "category_name": name, "parent_category_name": category, "created_by_email": AGENTS[i % 4][0],
            "created_on": stamp(BASE - timedelta(days=80 - i)),
        }  # fmt: skip
    articles: dict[str, Any] = {}
    for i, (title, category, folder, status) in enumerate(KB_ARTICLES):
        content = f"<p>{title}: follow the steps below.</p><ol><li>Open Settings.</li><li>Choose Help.</li></ol>"
        agent_url, support_url = kb_urls(title)
        created = BASE - timedelta(days=60 - 3 * i)
        articles[title.lower()] = {
            "article_title": title, "article_content": content, "article_content_text": text_of(content),
            "category_name": category, "folder_name": folder, "has_attachments": False, "attachments": [],
            "created_by_email": AGENTS[i % 4][0], "updated_by_email": AGENTS[(i + 1) % 4][0],
            "created_on": stamp(created), "updated_on": stamp(created + timedelta(days=5)),
            "article_views": 40 * (8 - i), "article_likes": 8 - i, "article_dislikes": i % 3, "status": status,
            "agent_url": agent_url, "support_url": support_url,
        }  # fmt: skip
    return categories, folders, articles


def _time_entries(tickets: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    out = {}
    numbers = sorted(tickets)
    for i in range(45):
        number = numbers[(i * 3) % len(numbers)]
        start = datetime.strptime(tickets[number]["created_on"], "%Y-%m-%d %H:%M:%S") + timedelta(hours=1)
        out[5001 + i] = {
            "id": 5001 + i, "ticket_number": number, "agent_email": AGENTS[i % 4][0],
            "note": ["Investigated the issue", "Remote session with the customer", "Wrote the fix"][i % 3],
            "billable": 1 if i % 3 else 0, "created_time": stamp(start + timedelta(minutes=45)),
            "updated_time": stamp(start + timedelta(minutes=50)), "start_time": stamp(start),
            "time_spent_in_minutes": 15 * (1 + i % 6), "timer_running": 1 if i == 44 else 0,
            "additional_info": None,
        }  # fmt: skip
    return out


def build() -> dict[str, Any]:
    """Fresh fixture collections (new objects every call)."""
    companies = _companies()
    contacts = _contacts()
    tickets, conversations = _tickets(list(contacts.values()))
    categories, folders, articles = _kb()
    return {
        "companies": companies,
        "contacts": contacts,
        "tickets": tickets,
        "conversations": conversations,
        "time_entries": _time_entries(tickets),
        "surveys": _surveys(),
        "ratings": _ratings(tickets),
        "contracts": _contracts(),
        "kb_categories": categories,
        "kb_folders": folders,
        "kb_articles": articles,
    }
