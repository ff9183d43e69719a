"""The Intercom mock's other objects: tickets (lifecycle, creation rules), contacts, visitors,
admins, companies, tags, articles and help-center collections, and news.
Over HTTP in process (``create_app("intercom")`` through httpx and ``app.transport()``, an
injected clock, strict responses); the fixtures are in this folder's ``conftest.py``, the
helpers in ``helpers.py``.
"""

from __future__ import annotations

import httpx
import pytest

from helpdesk_mock.app import MockApp
from tests.mock_intercom.helpers import (
    BEN,
    CHECKOUT,
    CHLOE,
    ENGINEERING,
    MAYA,
    ME,
    MERGED,
    NORTHWIND,
    NOW,
    OMAR,
    REFUND,
    assert_error,
    part_types,
    search,
)

pytestmark = pytest.mark.anyio


# -- tickets ---------------------------------------------------------------------------------------


async def test_ticket_lifecycle(http: httpx.AsyncClient, app: MockApp) -> None:
    types = (await http.get("/ticket_types")).json()["data"]
    bug = next(t for t in types if t["name"] == "Engineering Bug")
    names = [a["name"] for a in bug["ticket_type_attributes"]["ticket_type_attributes"]]
    assert names[:2] == ["_default_title_", "_default_description_"]
    severity = next(a for a in bug["ticket_type_attributes"]["ticket_type_attributes"] if a["name"] == "Severity")
    s2 = next(o["id"] for o in severity["input_options"]["list_options"] if o["label"] == "S2")
    body = {"ticket_type_id": int(bug["id"]), "contacts": [{"id": OMAR}], "conversation_to_link_id": CHECKOUT,
            "ticket_attributes": {"_default_title_": "Checkout 500", "_default_description_": "Coupon SPRING25",
                                  "Severity": s2}}  # fmt: skip
    created = await http.post("/tickets", json=body)
    assert created.status_code == 200, created.text
    ticket = created.json()
    assert (ticket["ticket_id"], ticket["category"], ticket["ticket_state"]["category"]) == (
        "44",
        "Back-office",
        "submitted",
    )
    assert ticket["contacts"]["contacts"][0]["id"] == OMAR and ticket["ticket_attributes"]["Severity"] == s2
    assert ticket["linked_objects"]["data"] == [{"type": "conversation", "id": CHECKOUT, "category": None}]
    linked = (await http.get(f"/conversations/{CHECKOUT}")).json()["linked_objects"]["data"]
    assert linked == [{"type": "ticket", "id": ticket["id"], "category": "Back-office"}]
    assert (await http.get(f"/tickets/{ticket['id']}")).json() == ticket
    assert_error(await http.get(f"/tickets/{ticket['ticket_id']}"), 404, "ticket_not_found")  # the inbox number

    updated = await http.put(f"/tickets/{ticket['id']}", json={"ticket_state_id": "4005", "admin_id": int(CHLOE),
                                                               "assignee_id": ENGINEERING})  # fmt: skip
    ticket = updated.json()
    assert ticket["ticket_state"]["internal_label"] == "Investigating"
    assert (ticket["previous_ticket_state_id"], ticket["team_assignee_id"]) == ("4001", int(ENGINEERING))
    assert [p["part_type"] for p in ticket["ticket_parts"]["ticket_parts"]] == [
        "ticket_state_updated_by_admin",
        "assignment",
    ]
    reply = {"type": "admin", "admin_id": CHLOE, "message_type": "note", "body": "Fix in review", "cross_post": True}
    note = await http.post(f"/tickets/{ticket['id']}/reply", json=reply)
    assert (note.json()["type"], note.json()["part_type"], note.json()["ticket_state"]) == (
        "ticket_part",
        "note",
        "in_progress",
    )
    assert part_types((await http.get(f"/conversations/{CHECKOUT}")).json())[-1] == "note"  # cross-posted
    assert_error(
        await http.post(
            f"/tickets/{ticket['id']}/reply",
            json={"type": "user", "intercom_user_id": OMAR, "message_type": "comment", "body": "hi"},
        ),
        400,
        "parameter_mismatch",
    )
    closed = await http.put(f"/tickets/{ticket['id']}", json={"open": False, "ticket_state_id": 4004})
    assert (closed.json()["open"], closed.json()["ticket_state"]["category"]) == (False, "resolved")
    assert_error(await http.put(f"/tickets/{ticket['id']}", json={"ticket_state_id": "4002"}), 400,
                 "ticket_state_id_invalid")  # fmt: skip
    assert_error(await http.put(f"/tickets/{ticket['id']}", json={"admin_id": 1}), 404, "assignee_not_found")
    found = await search(http, "/tickets/search", {"field": "contact_ids", "operator": "=", "value": OMAR})
    assert [t["id"] for t in found.json()["tickets"]] == [ticket["id"]]


async def test_ticket_creation_rules(http: httpx.AsyncClient, app: MockApp) -> None:
    before = dict(app.state.tickets)
    title = {"_default_title_": "T"}
    two = {"ticket_type_id": "2001", "contacts": [{"id": OMAR}, {"id": MAYA}], "ticket_attributes": title}
    assert_error(await http.post("/tickets", json=two), 400, "parameter_invalid", "contacts")
    cases = [
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}]}, 400, "parameter_invalid", "_default_title_"),
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}], "ticket_attributes": {**title, "Colour": "red"}},
         400, "parameter_invalid", "Colour"),
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}], "ticket_attributes": {**title, "Urgency": "High"}},
         400, "parameter_invalid", "List option not found"),
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}], "ticket_attributes": {**title, "Order number": 5}},
         400, "parameter_invalid", "string"),
        ({"ticket_type_id": "2004", "contacts": [{"id": OMAR}], "ticket_attributes": title},
         400, "invalid_ticket_type", ""),
        ({"ticket_type_id": "9", "contacts": [{"id": OMAR}], "ticket_attributes": title}, 404, "not_found", ""),
        ({"ticket_type_id": "2001", "contacts": [{"id": "nobody"}], "ticket_attributes": title}, 404, "not_found", ""),
        ({"ticket_type_id": "2001", "contacts": [{"id": OMAR}], "ticket_attributes": title,
          "conversation_to_link_id": CHECKOUT}, 400, "invalid_ticket_type", ""),
    ]  # fmt: skip
    for body, status, code, text in cases:
        assert_error(await http.post("/tickets", json=body), status, code, text)
    assert app.state.tickets == before
    by_email = await http.post("/tickets", json={"ticket_type_id": "2001", "contacts": [{"email": "new@ex.test"}],
                                                 "ticket_attributes": title})  # fmt: skip
    contact_id = by_email.json()["contacts"]["contacts"][0]["id"]
    assert (await http.get(f"/contacts/{contact_id}")).json()["email"] == "new@ex.test"


# -- contacts, visitors, companies, admins, tags ------------------------------------------------------


async def test_contacts_crud(http: httpx.AsyncClient) -> None:
    created = await http.post("/contacts", json={"role": "lead", "email": "lee@ex.test", "name": "Lee",
                                                 "custom_attributes": {"plan": "Trial"}})  # fmt: skip
    contact = created.json()
    assert (contact["role"], contact["email_domain"], contact["created_at"]) == ("lead", "ex.test", NOW)
    assert (await http.get(f"/contacts/{contact['id']}")).json() == contact
    updated = (await http.put(f"/contacts/{contact['id']}", json={"name": "Lee Park", "role": "user"})).json()
    assert (updated["name"], updated["role"]) == ("Lee Park", "user")
    assert_error(await http.post("/contacts", json={"email": "LEE@ex.test"}), 409, "conflict", contact["id"])
    assert_error(await http.put(f"/contacts/{contact['id']}", json={"external_id": "usr_1001"}), 409, "conflict")
    assert_error(await http.post("/contacts", json={"role": "user", "email_verified": True}), 400, "parameter_invalid",
                 "email_verified")  # fmt: skip
    deleted = (await http.delete(f"/contacts/{contact['id']}")).json()
    assert deleted == {"type": "contact", "id": contact["id"], "external_id": None, "deleted": True}
    assert_error(await http.get(f"/contacts/{contact['id']}"), 404, "not_found", "User Not Found")
    gone = await http.get(f"/contacts/{MERGED}")
    assert_error(gone, 410, "contact_merged")
    assert gone.headers["Link"] == f'</contacts/{MAYA}>; rel="canonical"'
    history = (await http.get(f"/contacts/{MAYA}", params={"include_merge_history": True})).json()["merge_history"]
    assert [h["id"] for h in history] == [MERGED]


async def test_visitor_and_admins(http: httpx.AsyncClient, app: MockApp) -> None:
    visitor = (await http.get("/visitors", params={"user_id": "3f6c2a9e-8b1d-4c47-9e2a-5d0b7c1f4e83"})).json()
    assert visitor["name"] == "Jordan Blake" and visitor["companies"]["companies"][0]["plan"]["name"] == "Growth"
    assert_error(await http.get("/visitors", params={"user_id": "nope"}), 404, "not_found", "Visitor Not Found")
    me = (await http.get("/me")).json()
    assert (me["id"], me["email_verified"], me["app"]["region"]) == (ME, True, "US")
    app.settings.extra["intercom_me_email_verified"] = False
    assert (await http.get("/me")).json()["email_verified"] is False
    admins = (await http.get("/admins")).json()["admins"]
    assert [a["id"] for a in admins] == [ME, BEN, CHLOE, "991267404"] and "avatar" not in admins[0]
    assert "avatar" in (await http.get("/admins", params={"display_avatar": True})).json()["admins"][0]
    assert_error(await http.get("/admins/5"), 404, "admin_not_found", "Admin not found")
    teams = (await http.get("/teams")).json()["teams"]
    assert [(t["name"], t["admin_ids"]) for t in teams][1] == ("Billing", [int(BEN)])


async def test_companies_crud(http: httpx.AsyncClient) -> None:
    created = (await http.post("/companies", json={"company_id": "ac-9", "name": "Acme", "plan": "Growth",
                                                   "custom_attributes": {"tier": "gold"}})).json()  # fmt: skip
    assert (created["plan"]["name"], created["plan"]["id"], created["user_count"]) == ("Growth", "4102", 0)
    upserted = (await http.post("/companies", json={"company_id": "ac-9", "size": 12})).json()
    assert (upserted["id"], upserted["name"], upserted["size"]) == (created["id"], "Acme", 12)
    assert (await http.put(f"/companies/{created['id']}", json={"plan": "Pro"})).json()["plan"]["name"] == "Pro"
    assert_error(await http.post("/companies", json={"size": 3}), 400, "parameter_not_found", "company not specified")
    assert (await http.get(f"/companies/{NORTHWIND}")).json()["user_count"] == 2
    assert (await http.delete(f"/companies/{NORTHWIND}")).json() == {
        "id": NORTHWIND,
        "object": "company",
        "deleted": True,
    }
    assert (await http.get(f"/contacts/{MAYA}")).json()["companies"]["data"] == []
    assert_error(await http.get(f"/companies/{NORTHWIND}"), 404, "company_not_found")


async def test_tags_crud(http: httpx.AsyncClient) -> None:
    assert (await http.post("/tags", json={"name": "refund"})).json()["id"] == "8100002"  # existing name
    renamed = (await http.post("/tags", json={"id": "8100002", "name": "refunds"})).json()
    assert renamed == {"type": "tag", "id": "8100002", "name": "refunds"}
    assert (await http.get(f"/conversations/{REFUND}")).json()["tags"]["tags"][1]["name"] == "refunds"
    tagged = (await http.post("/tags", json={"name": "smb", "companies": [{"company_id": "kk-003"}]})).json()
    assert [c["name"] for c in (await http.get("/companies", params={"tag_id": tagged["id"]})).json()["data"]] == [
        "Kite & Key Studio"]  # fmt: skip
    await http.post("/tags", json={"name": "smb", "companies": [{"company_id": "kk-003", "untag": True}]})
    assert (await http.get("/companies", params={"tag_id": tagged["id"]})).json()["data"] == []
    users = await http.post("/tags", json={"name": "beta", "users": [{"id": OMAR}]})
    assert users.json()["name"] == "beta"
    assert_error(await http.delete("/tags/8100004"), 400, "tag_has_dependent_objects", "VIP customers")
    deleted = await http.delete("/tags/8100002")
    assert deleted.status_code == 200 and deleted.content == b""
    assert [t["name"] for t in (await http.get(f"/conversations/{REFUND}")).json()["tags"]["tags"]] == ["billing"]
    assert_error(await http.get("/tags/8100002"), 404, "tag_not_found")


# -- help center, articles, news ----------------------------------------------------------------------


async def test_articles_and_collections(http: httpx.AsyncClient) -> None:
    found = (await http.get("/articles/search", params={"phrase": "refund", "state": "published",
                                                        "highlight": True})).json()  # fmt: skip
    assert [a["id"] for a in found["data"]["articles"]] == ["7700001"]
    assert {"type": "highlight", "text": "refund"} in found["data"]["highlights"][0]["highlighted_title"]
    everything = (await http.get("/articles/search", params={"phrase": "refund"})).json()
    assert {a["state"] for a in everything["data"]["articles"]} == {"published", "draft"}
    docs = (await http.get("/articles/search", params={"help_center_id": 3002})).json()
    assert [a["title"] for a in docs["data"]["articles"]] == ["Rate limits"]

    collection = (await http.post("/help_center/collections", json={"name": "Security", "description": "SSO"})).json()
    assert (collection["help_center_id"], collection["parent_id"]) == (3001, None)
    section = (await http.post("/help_center/collections", json={"name": "SAML", "parent_id": collection["id"]})).json()
    article = (await http.post("/articles", json={"title": "SAML clock skew", "author_id": int(CHLOE),
                                                  "body_markdown": "Sync the clock.", "state": "published",
                                                  "parent_id": int(section["id"])})).json()  # fmt: skip
    assert (article["parent_type"], article["parent_ids"], article["body"]) == (
        "section", [int(collection["id"]), int(section["id"])], "<p>Sync the clock.</p>")  # fmt: skip
    assert article["url"].startswith("https://help.acme.test/en/articles/")
    assert (await http.get("/articles")).json()["data"][0]["id"] == article["id"]
    draft = (await http.put(f"/articles/{article['id']}", json={"state": "draft"})).json()
    assert draft["url"] is None and "statistics" in draft
    assert_error(
        await http.post("/articles", json={"title": "x", "author_id": 5}), 400, "parameter_invalid", "author_id"
    )
    assert (await http.delete(f"/articles/{article['id']}")).json() == {"id": article["id"], "object": "article",
                                                                         "deleted": True}  # fmt: skip
    assert_error(await http.get(f"/articles/{article['id']}"), 404, "article_not_found")
    renamed = (await http.put(f"/help_center/collections/{collection['id']}", json={"name": "Security & SSO"})).json()
    assert renamed["name"] == "Security & SSO"
    assert (await http.delete(f"/help_center/collections/{collection['id']}")).json()["deleted"] is True
    assert (await http.get(f"/help_center/collections/{section['id']}")).json()["parent_id"] is None
    assert_error(await http.get("/help_center/help_centers/1"), 404, "not_found")


async def test_news(http: httpx.AsyncClient) -> None:
    created = (await http.post("/news/news_items", json={
        "title": "Faster checkout", "sender_id": int(ME), "state": "live", "body": "<p>Now 2x faster.</p>",
        "newsfeed_assignments": [{"newsfeed_id": 5502}]})).json()  # fmt: skip
    assert created["newsfeed_assignments"] == [{"newsfeed_id": 5502, "published_at": NOW}]
    items = (await http.get("/news/newsfeeds/5502/items")).json()["data"]
    assert [i["title"] for i in items] == ["Faster checkout", "Beta: API v3"]
    customers = (await http.get("/news/newsfeeds/5501/items")).json()["data"]
    assert "Checkout redesign" not in [i["title"] for i in customers]  # drafts are not live
    updated = (await http.put(f"/news/news_items/{created['id']}", json={"title": "Faster checkout!",
                                                                         "sender_id": int(BEN)})).json()  # fmt: skip
    assert (updated["title"], updated["sender_id"], updated["state"]) == ("Faster checkout!", int(BEN), "live")
    assert_error(await http.post("/news/news_items", json={"title": "x", "sender_id": 3}), 400, "parameter_invalid",
                 "sender_id")  # fmt: skip
    assert (await http.delete(f"/news/news_items/{created['id']}")).json()["object"] == "news-item"
    assert_error(await http.get(f"/news/news_items/{created['id']}"), 404, "not_found")
    assert_error(await http.get("/news/newsfeeds/1/items"), 404, "not_found")
