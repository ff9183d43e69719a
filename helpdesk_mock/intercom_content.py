"""Intercom mock handlers: help centers, collections, articles (with search) and news.

Content lists are not paged in 2.16 (no paging parameters); they answer everything,
most recently updated first, with a one-page ``pages`` object. An article or news item
names its author or sender by admin id, which must be a teammate (400 otherwise, as
these operations declare no 404). Article search matches every word of ``phrase``
against the title, description and body text.
"""

from __future__ import annotations

import copy
import re
from html import escape
from typing import Any

from .intercom_search import html_to_text
from .intercom_state import IntercomState, newest_first, not_found, ok, path_id, public
from .plugin import MockError, MockRequest, MockResponse

__all__ = ["HANDLERS"]


def _one_page(items: list[Any]) -> dict[str, Any]:
    return {"type": "pages", "page": 1, "per_page": max(len(items), 1), "total_pages": 1}


def _teammate(state: IntercomState, admin_id: int, argument: str) -> None:
    if str(admin_id) not in state.admins:
        raise MockError(400, f"{argument} {admin_id} is not a teammate of this workspace", "parameter_invalid")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "untitled"


# -- help centers and collections ----------------------------------------------------------------


def list_help_centers(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok({"type": "list", "data": [copy.deepcopy(h) for h in state.help_centers.values()]})


def retrieve_help_center(request: MockRequest, state: IntercomState) -> MockResponse:
    found = state.help_centers.get(path_id(request, "help_center_id"))
    if found is None:
        raise not_found()
    return ok(copy.deepcopy(found))


def _collection(state: IntercomState, request: MockRequest) -> dict[str, Any]:
    found = state.collections.get(path_id(request, "collection_id"))
    if found is None:
        raise not_found("Collection not found")
    return found


def list_collections(request: MockRequest, state: IntercomState) -> MockResponse:
    items = [copy.deepcopy(c) for c in newest_first(list(state.collections.values()))]
    return ok({"type": "list", "data": items, "total_count": len(items), "pages": _one_page(items)})


def create_collection(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    parent = None
    if body.get("parent_id") is not None:
        parent = state.collections.get(str(body["parent_id"]))
        if parent is None:
            raise MockError(400, f"parent_id {body['parent_id']} is not a collection", "parameter_invalid")
    if parent is not None:
        help_center_id = parent["help_center_id"]
    elif body.get("help_center_id") is not None:
        if str(body["help_center_id"]) not in state.help_centers:
            raise MockError(400, f"help_center_id {body['help_center_id']} is not a help center", "parameter_invalid")
        help_center_id = body["help_center_id"]
    else:
        help_center_id = int(next(h["id"] for h in state.help_centers.values() if h["default"]))
    now = state.now()
    cid = state.next_number("collection")
    siblings = [c for c in state.collections.values() if c["parent_id"] == (parent or {}).get("id")]
    state.collections[cid] = collection = {
        "id": cid, "workspace_id": state.app["id_code"], "name": body["name"],
        "description": body.get("description") or "", "created_at": now, "updated_at": now,
        "url": f"{state.help_centers[str(help_center_id)]['url']}/en/collections/{cid}-{_slug(body['name'])}",
        "icon": "book-bookmark", "order": len(siblings) + 1, "default_locale": "en", "translated_content": None,
        "parent_id": parent["id"] if parent else None, "help_center_id": help_center_id,
    }  # fmt: skip
    return ok(copy.deepcopy(collection))


def retrieve_collection(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok(copy.deepcopy(_collection(state, request)))


def update_collection(request: MockRequest, state: IntercomState) -> MockResponse:
    collection = _collection(state, request)
    body = request.json
    if body.get("parent_id") is not None:
        parent = state.collections.get(str(body["parent_id"]))
        if parent is None or parent["id"] == collection["id"]:
            raise MockError(400, f"parent_id {body['parent_id']} is not another collection", "parameter_invalid")
    for key in ("name", "description", "parent_id"):
        if key in body:
            collection[key] = body[key]
    collection["updated_at"] = state.now()
    return ok(copy.deepcopy(collection))


def delete_collection(request: MockRequest, state: IntercomState) -> MockResponse:
    collection = _collection(state, request)
    del state.collections[collection["id"]]
    for child in state.collections.values():
        if child["parent_id"] == collection["id"]:
            child["parent_id"] = None
    for article in state.articles.values():
        if str(article["parent_id"]) == collection["id"]:
            article.update(parent_id=None, parent_type=None, parent_ids=[])
    return ok({"id": collection["id"], "object": "collection", "deleted": True})


# -- articles ----------------------------------------------------------------------------------


def _article(state: IntercomState, request: MockRequest) -> dict[str, Any]:
    found = state.articles.get(path_id(request, "article_id"))
    if found is None:
        raise not_found("Article not found", "article_not_found")
    return found


def _render_article(article: dict[str, Any], *, statistics: bool = False) -> dict[str, Any]:
    out = public(article)
    if statistics:
        views = article.get("_views", 0)
        out["statistics"] = {"type": "article_statistics", "views": views, "conversions": views // 50,
                             "reactions": views // 10, "happy_reaction_percentage": 0.8,
                             "neutral_reaction_percentage": 0.15, "sad_reaction_percentage": 0.05}  # fmt: skip
    return out


def _apply_article_fields(state: IntercomState, article: dict[str, Any], body: dict[str, Any]) -> None:
    if body.get("body") is not None and body.get("body_markdown") is not None:
        raise MockError(400, "Give body or body_markdown, not both", "parameter_invalid")
    if "author_id" in body:
        _teammate(state, body["author_id"], "author_id")
    if body.get("parent_id") is not None:
        parent = state.collections.get(str(body["parent_id"]))
        if parent is None:
            raise MockError(400, f"parent_id {body['parent_id']} is not a collection or section", "parameter_invalid")
        article["parent_id"] = int(parent["id"])
        article["parent_type"] = body.get("parent_type") or ("section" if parent["parent_id"] else "collection")
        article["parent_ids"] = [int(p) for p in (parent["parent_id"], parent["id"]) if p]
    for key in ("title", "description", "author_id", "state", "ai_chatbot_availability", "ai_copilot_availability"):
        if key in body:
            article[key] = body[key]
    if body.get("body") is not None:
        article["body"] = body["body"]
    if body.get("body_markdown") is not None:
        article["body"] = "".join(f"<p>{escape(p)}</p>" for p in body["body_markdown"].split("\n\n") if p.strip())
    help_center = state.help_centers.get(state.help_center_of(article) or "")
    published = article["state"] == "published" and help_center is not None
    article["url"] = f"{help_center['url']}/en/articles/{article['id']}-{_slug(article['title'] or '')}" if (
        published and help_center) else None  # fmt: skip
    article["updated_at"] = state.now()


def list_articles(request: MockRequest, state: IntercomState) -> MockResponse:
    items = [_render_article(a) for a in newest_first(list(state.articles.values()))]
    return ok({"type": "list", "data": items, "total_count": len(items), "pages": _one_page(items)})


def create_article(request: MockRequest, state: IntercomState) -> MockResponse:
    body = request.json
    now = state.now()
    aid = state.next_number("article")
    article: dict[str, Any] = {
        "type": "article", "id": aid, "workspace_id": state.app["id_code"], "title": None, "description": None,
        "body": None, "author_id": None, "state": "draft", "created_at": now, "updated_at": now,
        "has_unpublished_changes": False, "url": None, "parent_id": None, "parent_type": None, "parent_ids": [],
        "default_locale": "en", "translated_content": None, "tags": {"type": "tag.list", "tags": []},
        "ai_chatbot_availability": True, "ai_copilot_availability": True, "_views": 0,
    }  # fmt: skip
    _apply_article_fields(state, article, body)
    state.articles[aid] = article
    return ok(_render_article(article))


def _highlight(text: str, words: list[str]) -> list[dict[str, str]]:
    if not words:
        return [{"type": "plain", "text": text}]
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)
    return [{"type": "highlight" if pattern.fullmatch(piece) else "plain", "text": piece}
            for piece in pattern.split(text) if piece]  # fmt: skip


def search_articles(request: MockRequest, state: IntercomState) -> MockResponse:
    params = request.params
    words = (params.get("phrase") or "").casefold().split()
    wanted_state = params.get("state") or "all"
    found = []
    for article in newest_first(list(state.articles.values())):
        if wanted_state != "all" and article["state"] != wanted_state:
            continue
        if params.get("help_center_id") is not None and state.help_center_of(article) != str(params["help_center_id"]):
            continue
        text = " ".join([article["title"] or "", article["description"] or "", html_to_text(article["body"] or "")])
        if all(w in text.casefold() for w in words):
            found.append(article)
    data: dict[str, Any] = {"articles": [_render_article(a) for a in found]}
    if params.get("highlight"):
        data["highlights"] = [{
            "type": "article_highlighted", "article_id": a["id"],
            "highlighted_title": _highlight(a["title"] or "", words),
            "highlighted_summary": [_highlight(html_to_text(a["body"] or "")[:200], words)],
        } for a in found]  # fmt: skip
    return ok({"type": "list", "total_count": len(found), "data": data, "pages": _one_page(found)})


def retrieve_article(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok(_render_article(_article(state, request), statistics=True))


def update_article(request: MockRequest, state: IntercomState) -> MockResponse:
    article = _article(state, request)
    _apply_article_fields(state, article, request.json)
    return ok(_render_article(article, statistics=True))


def delete_article(request: MockRequest, state: IntercomState) -> MockResponse:
    article = _article(state, request)
    del state.articles[article["id"]]
    return ok({"id": article["id"], "object": "article", "deleted": True})


# -- news ----------------------------------------------------------------------------------------


def _news_item(state: IntercomState, request: MockRequest) -> dict[str, Any]:
    found = state.news_items.get(path_id(request, "news_item_id"))
    if found is None:
        raise not_found("News Item Not Found")
    return found


def _apply_news_fields(state: IntercomState, item: dict[str, Any], body: dict[str, Any]) -> None:
    _teammate(state, body["sender_id"], "sender_id")
    feeds = body.get("newsfeed_assignments")
    for assignment in feeds or []:
        if str(assignment["newsfeed_id"]) not in state.newsfeeds:
            raise MockError(400, f"newsfeed_id {assignment['newsfeed_id']} is not a newsfeed", "parameter_invalid")
    for key in ("title", "body", "sender_id", "state", "deliver_silently", "labels", "reactions"):
        if key in body:
            item[key] = body[key]
    if feeds is not None:
        now = state.now()
        item["newsfeed_assignments"] = [{"newsfeed_id": a["newsfeed_id"], "published_at": a.get("published_at", now)}
                                        for a in feeds]  # fmt: skip
    item["updated_at"] = state.now()


def list_news_items(request: MockRequest, state: IntercomState) -> MockResponse:
    items = [public(n) for n in newest_first(list(state.news_items.values()))]
    return ok({"type": "list", "data": items, "total_count": len(items), "pages": _one_page(items)})


def create_news_item(request: MockRequest, state: IntercomState) -> MockResponse:
    now = state.now()
    nid = state.next_number("news_item")
    item: dict[str, Any] = {
        "type": "news-item", "id": nid, "workspace_id": state.app["id_code"], "title": None, "body": None,
        "sender_id": None, "state": "draft", "newsfeed_assignments": [], "labels": [], "cover_image_url": None,
        "reactions": [], "deliver_silently": False, "created_at": now, "updated_at": now,
    }  # fmt: skip
    _apply_news_fields(state, item, request.json)
    state.news_items[nid] = item
    return ok(public(item))


def retrieve_news_item(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok(public(_news_item(state, request)))


def update_news_item(request: MockRequest, state: IntercomState) -> MockResponse:
    item = _news_item(state, request)
    _apply_news_fields(state, item, request.json)
    return ok(public(item))


def delete_news_item(request: MockRequest, state: IntercomState) -> MockResponse:
    item = _news_item(state, request)
    del state.news_items[item["id"]]
    return ok({"id": item["id"], "object": "news-item", "deleted": True})


def _newsfeed(state: IntercomState, request: MockRequest) -> dict[str, Any]:
    found = state.newsfeeds.get(path_id(request, "newsfeed_id"))
    if found is None:
        raise not_found()
    return found


def list_newsfeeds(request: MockRequest, state: IntercomState) -> MockResponse:
    feeds = [copy.deepcopy(f) for f in state.newsfeeds.values()]
    return ok({"type": "list", "data": feeds, "total_count": len(feeds), "pages": _one_page(feeds)})


def retrieve_newsfeed(request: MockRequest, state: IntercomState) -> MockResponse:
    return ok(copy.deepcopy(_newsfeed(state, request)))


def list_newsfeed_items(request: MockRequest, state: IntercomState) -> MockResponse:
    feed = _newsfeed(state, request)
    live = []
    for item in state.news_items.values():
        published = [
            a["published_at"] or 0 for a in item["newsfeed_assignments"] if str(a["newsfeed_id"]) == feed["id"]
        ]
        if item["state"] == "live" and published:
            live.append((max(published), item))
    items = [public(item) for _, item in sorted(live, key=lambda pair: (pair[0], int(pair[1]["id"])), reverse=True)]
    return ok({"type": "list", "data": items, "total_count": len(items), "pages": _one_page(items)})


HANDLERS = {
    "listHelpCenters": list_help_centers,
    "retrieveHelpCenter": retrieve_help_center,
    "listAllCollections": list_collections,
    "createCollection": create_collection,
    "retrieveCollection": retrieve_collection,
    "updateCollection": update_collection,
    "deleteCollection": delete_collection,
    "listArticles": list_articles,
    "createArticle": create_article,
    "searchArticles": search_articles,
    "retrieveArticle": retrieve_article,
    "updateArticle": update_article,
    "deleteArticle": delete_article,
    "listNewsItems": list_news_items,
    "createNewsItem": create_news_item,
    "retrieveNewsItem": retrieve_news_item,
    "updateNewsItem": update_news_item,
    "deleteNewsItem": delete_news_item,
    "listNewsfeeds": list_newsfeeds,
    "retrieveNewsfeed": retrieve_newsfeed,
    "listLiveNewsfeedItems": list_newsfeed_items,
}
