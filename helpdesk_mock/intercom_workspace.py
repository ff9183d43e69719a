"""The fixed identities of the Intercom mock's workspace, shared by its fixture modules.

The clock origin every fixture timestamp counts from, the app, the admins and the
bot, the teams, and how contact and company ids are made: the seeding modules
(``intercom_fixtures``, ``intercom_fixtures_content``, ``intercom_fixtures_support``)
and the handlers take them from here, so none of the fixture modules imports another
to get them.
"""

from __future__ import annotations

__all__ = [
    "A1", "A2", "A3", "A4", "APP_ID", "BILLING", "BOT", "DAY", "ENGINEERING", "HOUR", "ME", "SUPPORT", "T0",
    "company_id_of", "contact_id_of",
]  # fmt: skip

T0 = 1_792_000_000  # 2026-10-14: every fixture timestamp is T0 + an offset
HOUR = 3600
DAY = 86400
APP_ID = "q7mock42"
ME = "991267401"
BOT = {"type": "bot", "id": "991267499", "name": "Fin", "email": "operator+q7mock42@intercom.io",
       "from_ai_agent": True, "is_ai_answer": True}  # fmt: skip
A1, A2, A3, A4 = "991267401", "991267402", "991267403", "991267404"  # the admins; A1 is the token's (ME)
SUPPORT, BILLING, ENGINEERING = "5810001", "5810002", "5810003"  # the teams


def company_id_of(n: int) -> str:
    """The id of the ``n``-th seeded company."""
    return f"66f0c1d2e3a4b5c7{n:08x}"


def contact_id_of(n: int) -> str:
    """The id of the ``n``-th seeded contact."""
    return f"66f0c1d2e3a4b5c6{n:08x}"
