"""The help center and news of the Intercom mock's "Acme Cloud" workspace: two help centers,
four collections (one nested), six articles (one a draft), two newsfeeds and four news items.
Split from ``intercom_fixtures`` (which calls :func:`seed_content`)."""

from __future__ import annotations

from .intercom_state import IntercomState
from .intercom_workspace import A1, A2, A3, A4, APP_ID, DAY, T0

__all__ = ["seed_content"]


def seed_content(state: IntercomState) -> None:
    _help_center(state)
    _news(state)


def _help_center(state: IntercomState) -> None:
    state.help_centers = {
        "3001": {"id": "3001", "workspace_id": APP_ID, "created_at": T0 - 700 * DAY, "updated_at": T0 - 10 * DAY,
                 "identifier": "acme", "website_turned_on": True, "display_name": "Acme Help Center",
                 "url": "https://help.acme.test", "custom_domain": "help.acme.test", "default": True,
                 "locales": ["en", "de"]},
        "3002": {"id": "3002", "workspace_id": APP_ID, "created_at": T0 - 200 * DAY, "updated_at": T0 - 50 * DAY,
                 "identifier": "acme-developers", "website_turned_on": False, "display_name": "Acme Developer Docs",
                 "url": "https://intercom.help/acme-developers", "custom_domain": None, "default": False,
                 "locales": ["en"]},
    }  # fmt: skip
    collections = [
        ("9001", "Billing & payments", "Plans, invoices and refunds.", None, 3001, 1),
        ("9002", "Getting started", "Set up your workspace.", None, 3001, 2),
        ("9003", "Refunds", "How refunds work.", "9001", 3001, 1),
        ("9004", "API reference", "Using the Acme API.", None, 3002, 1),
    ]
    for n, (cid, name, description, parent, hc, order) in enumerate(collections):
        slug = name.lower().replace(" & ", "-").replace(" ", "-")
        state.collections[cid] = {
            "id": cid, "workspace_id": APP_ID, "name": name, "description": description,
            "created_at": T0 - (600 - n) * DAY, "updated_at": T0 - (60 - 10 * n) * DAY,
            "url": f"{state.help_centers[str(hc)]['url']}/en/collections/{cid}-{slug}", "icon": "book-bookmark",
            "order": order, "default_locale": "en", "translated_content": None, "parent_id": parent,
            "help_center_id": hc,
        }  # fmt: skip
    articles = [
        ("7700001", "How refunds work", "Where refunds go and how long they take.",
         "<p>Refunds go back to the original payment method and are processed within 3-5 business days.</p>"
         "<p>Duplicate charges are refunded in full.</p>", A2, "published", "9003"),
        ("7700002", "Changing your plan", "Upgrade or downgrade at any time.",
         "<p>Open <b>Settings &gt; Billing</b> and choose a new plan. Upgrades apply at once.</p>", A2, "published",
         "9001"),
        ("7700003", "Fixing checkout errors", "What to do when checkout fails.",
         "<p>If checkout shows a 500 error, remove any coupon and try again, then contact support.</p>", A1,
         "published", "9002"),
        ("7700004", "Setting up SSO", "Sign in with Okta, Azure AD or Google.",
         "<p>Upload your IdP metadata under <b>Settings &gt; Security</b>.</p>", A3, "published", "9002"),
        ("7700005", "Rate limits", "How many API requests you can make.",
         "<p>The API allows 1000 requests per minute, counted in 10-second windows.</p>", A4, "published", "9004"),
        ("7700006", "Refund policy 2027 (draft)", "Upcoming changes to refunds.",
         "<p>From 2027, refunds are available for 30 days after purchase.</p>", A2, "draft", "9003"),
    ]  # fmt: skip
    for n, (aid, title, description, body, author, article_state, parent) in enumerate(articles):
        slug = title.lower().split(" (")[0].replace(" ", "-")
        center = state.help_centers[str(state.collections[parent]["help_center_id"])]
        parents = [int(parent)]
        if state.collections[parent]["parent_id"]:
            parents.insert(0, int(state.collections[parent]["parent_id"]))
        state.articles[aid] = {
            "type": "article", "id": aid, "workspace_id": APP_ID, "title": title, "description": description,
            "body": body, "author_id": int(author), "state": article_state,
            "created_at": T0 - (100 - 10 * n) * DAY, "updated_at": T0 - (50 - 5 * n) * DAY,
            "has_unpublished_changes": False,
            "url": f"{center['url']}/en/articles/{aid}-{slug}" if article_state == "published" else None,
            "parent_id": int(parent), "parent_ids": parents,
            "parent_type": "section" if state.collections[parent]["parent_id"] else "collection",
            "default_locale": "en", "translated_content": None, "tags": {"type": "tag.list", "tags": []},
            "ai_chatbot_availability": True, "ai_copilot_availability": True,
            "_views": 1000 - 100 * n,
        }  # fmt: skip


def _news(state: IntercomState) -> None:
    state.newsfeeds = {
        "5501": {"id": "5501", "type": "newsfeed", "name": "Customers", "created_at": T0 - 400 * DAY,
                 "updated_at": T0 - 400 * DAY},
        "5502": {"id": "5502", "type": "newsfeed", "name": "Beta testers", "created_at": T0 - 100 * DAY,
                 "updated_at": T0 - 100 * DAY},
    }  # fmt: skip
    items = [
        ("3300001", "Dark mode is coming", "<p>Vote for it in the Messenger.</p>", A1, "live", [(5501, T0 - 5 * DAY)],
         ["New"], False),
        ("3300002", "Scheduled maintenance on Saturday", "<p>Checkout is unavailable 02:00-03:00 UTC.</p>", A3,
         "live", [(5501, T0 - 2 * DAY)], ["Maintenance"], True),
        ("3300003", "Checkout redesign", "<p>A faster checkout.</p>", A1, "draft", [], [], False),
        ("3300004", "Beta: API v3", "<p>Try the new API before everyone else.</p>", A4, "live",
         [(5502, T0 - 10 * DAY)], ["Beta"], False),
    ]  # fmt: skip
    for n, (nid, title, body, sender, item_state, feeds, labels, silent) in enumerate(items):
        state.news_items[nid] = {
            "type": "news-item", "id": nid, "workspace_id": APP_ID, "title": title, "body": body,
            "sender_id": int(sender), "state": item_state,
            "newsfeed_assignments": [{"newsfeed_id": f, "published_at": at} for f, at in feeds],
            "labels": labels, "cover_image_url": None, "reactions": ["❤️", "😄", "👍"], "deliver_silently": silent,
            "created_at": T0 - (20 - n) * DAY, "updated_at": T0 - (10 - n) * DAY,
        }  # fmt: skip
