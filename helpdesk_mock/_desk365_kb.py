"""Desk365 knowledge base for the mock: categories, folders and articles, by name.

Names resolve case-insensitively. Renaming a category or folder carries its
folders and articles along; deleting one deletes what it contains. The list of
articles answers titles only, as Desk365 does.
"""

from __future__ import annotations

from typing import Any

from ._desk365_base import Desk365State, _not_found, _ok, _refused, handles
from ._desk365_data import AGENTS, kb_urls, text_of
from .plugin import MockRequest, MockResponse

__all__: list[str] = []


def _category(state: Desk365State, name: str) -> dict[str, Any]:
    found = state.kb_categories.get(name.strip().lower())
    if found is None:
        raise _not_found(f"no knowledge base category named {name!r}")
    return found


def _folder(state: Desk365State, category: str, folder: str) -> dict[str, Any]:
    _category(state, category)
    found = state.kb_folders.get((category.strip().lower(), folder.strip().lower()))
    if found is None:
        raise _not_found(f"no folder {folder!r} in the category {category!r}")
    return found


def _article(state: Desk365State, title: str) -> dict[str, Any]:
    found = state.kb_articles.get(title.strip().lower())
    if found is None:
        raise _not_found(f"no knowledge base article titled {title!r}")
    return found


def _deleted(what: str) -> MockResponse:
    return _ok({"message": f"{what} successfully deleted."})


def _rekey(mapping: dict[Any, Any], old: Any, new: Any) -> None:
    if old != new:
        mapping[new] = mapping.pop(old)


@handles("getKbCategory")
def get_kb_category(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_category(state, request.params["category_name"]))


@handles("createKbCategory")
def create_kb_category(request: MockRequest, state: Desk365State) -> MockResponse:
    body = request.json or {}
    name = (body.get("category_name") or "").strip()
    if not name:
        raise _refused("category_name is required to create a category")
    if name.lower() in state.kb_categories:
        raise _refused(f"a category named {name!r} already exists")
    category = {
        "category_name": name, "category_description": body.get("category_description"),
        "created_by_email": body.get("created_by_email") or AGENTS[0][0], "created_on": state.now(),
        "support_portal_visibility": body.get("support_portal_visibility", 2),
        "company_list": list(body.get("company_list") or []),
        "agent_portal_visibility": body.get("agent_portal_visibility", 1),
        "agent_group_list": list(body.get("agent_group_list") or []), "category_order": len(state.kb_categories) + 1,
    }  # fmt: skip
    state.kb_categories[name.lower()] = category
    return _ok(category)


@handles("updateKbCategory")
def update_kb_category(request: MockRequest, state: Desk365State) -> MockResponse:
    category = _category(state, request.params["category_name"])
    body = dict(request.json or {})
    old = category["category_name"]
    new = (body.pop("category_name", None) or old).strip() or old
    if new.lower() != old.lower() and new.lower() in state.kb_categories:
        raise _refused(f"a category named {new!r} already exists")
    category.update(body, category_name=new)
    if new != old:
        _rekey(state.kb_categories, old.lower(), new.lower())
        for key in [k for k in state.kb_folders if k[0] == old.lower()]:
            state.kb_folders[key]["parent_category_name"] = new
            _rekey(state.kb_folders, key, (new.lower(), key[1]))
        for article in state.kb_articles.values():
            if article["category_name"] == old:
                article["category_name"] = new
    return _ok(category)


@handles("deleteKbCategory")
def delete_kb_category(request: MockRequest, state: Desk365State) -> MockResponse:
    category = _category(state, request.params["category_name"])
    name = category["category_name"]
    del state.kb_categories[name.lower()]
    for key in [k for k in state.kb_folders if k[0] == name.lower()]:
        del state.kb_folders[key]
    for title in [k for k, a in state.kb_articles.items() if a["category_name"] == name]:
        del state.kb_articles[title]
    return _deleted("KB Category")


@handles("getKbFolder")
def get_kb_folder(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_folder(state, request.params["category_name"], request.params["folder_name"]))


@handles("createKbFolder")
def create_kb_folder(request: MockRequest, state: Desk365State) -> MockResponse:
    body = request.json or {}
    category = _category(state, body.get("category_name") or "")
    name = (body.get("folder_name") or "").strip()
    if not name:
        raise _refused("folder_name is required to create a folder")
    key = (category["category_name"].lower(), name.lower())
    if key in state.kb_folders:
        raise _refused(f"the category {category['category_name']!r} already has a folder named {name!r}")
    folder = {"category_name": name, "parent_category_name": category["category_name"],
              "created_by_email": body.get("created_by_email") or AGENTS[0][0], "created_on": state.now()}  # fmt: skip
    state.kb_folders[key] = folder
    return _ok(folder)


@handles("updateKbFolder")
def update_kb_folder(request: MockRequest, state: Desk365State) -> MockResponse:
    folder = _folder(state, request.params["category_name"], request.params["folder_name"])
    body = request.json or {}
    old_key = (folder["parent_category_name"].lower(), folder["category_name"].lower())
    parent = _category(state, body["category_name"])["category_name"] if body.get("category_name") else None
    parent = parent or folder["parent_category_name"]
    name = (body.get("folder_name") or "").strip() or folder["category_name"]
    new_key = (parent.lower(), name.lower())
    if new_key != old_key and new_key in state.kb_folders:
        raise _refused(f"the category {parent!r} already has a folder named {name!r}")
    for article in state.kb_articles.values():
        if (article["category_name"], article["folder_name"]) == (
            folder["parent_category_name"],
            folder["category_name"],
        ):
            article["category_name"], article["folder_name"] = parent, name
    folder.update(category_name=name, parent_category_name=parent)
    _rekey(state.kb_folders, old_key, new_key)
    return _ok(folder)


@handles("deleteKbFolder")
def delete_kb_folder(request: MockRequest, state: Desk365State) -> MockResponse:
    folder = _folder(state, request.params["category_name"], request.params["folder_name"])
    place = (folder["parent_category_name"], folder["category_name"])
    del state.kb_folders[(place[0].lower(), place[1].lower())]
    for key in [k for k, a in state.kb_articles.items() if (a["category_name"], a["folder_name"]) == place]:
        del state.kb_articles[key]
    return _deleted("KB Folder")


@handles("listKbArticles")
def list_kb_articles(request: MockRequest, state: Desk365State) -> MockResponse:
    titles = [a["article_title"] for a in state.kb_articles.values()]
    return _ok({"count": len(titles), "article_titles": titles})


@handles("getKbArticle")
def get_kb_article(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_article(state, request.params["article_name"]))


def _place(state: Desk365State, body: dict[str, Any], current: tuple[str | None, str | None]) -> tuple[Any, Any]:
    category = body.get("category_name", current[0])
    folder = body.get("folder_name", current[1])
    if category:
        category = _category(state, category)["category_name"]
        if folder:
            folder = _folder(state, category, folder)["category_name"]
    return category, folder


@handles("createKbArticle")
def create_kb_article(request: MockRequest, state: Desk365State) -> MockResponse:
    body = request.json or {}
    title = (body.get("article_title") or "").strip()
    if not title:
        raise _refused("article_title is required to create an article")
    if title.lower() in state.kb_articles:
        raise _refused(f"an article titled {title!r} already exists")
    category, folder = _place(state, body, (None, None))
    agent_url, support_url = kb_urls(title)
    now = state.now()
    author = body.get("created_by_email") or AGENTS[0][0]
    article = {
        "article_title": title, "article_content": body.get("article_content"),
        "article_content_text": text_of(body.get("article_content")), "category_name": category,
        "folder_name": folder, "has_attachments": False, "attachments": [], "created_by_email": author,
        "updated_by_email": author, "created_on": now, "updated_on": now, "article_views": 0, "article_likes": 0,
        "article_dislikes": 0, "status": body.get("status", 0), "agent_url": agent_url, "support_url": support_url,
    }  # fmt: skip
    state.kb_articles[title.lower()] = article
    return _ok(article)


@handles("updateKbArticle")
def update_kb_article(request: MockRequest, state: Desk365State) -> MockResponse:
    article = _article(state, request.params["article_name"])
    body = dict(request.json or {})
    old = article["article_title"]
    new = (body.pop("article_title", None) or old).strip() or old
    if new.lower() != old.lower() and new.lower() in state.kb_articles:
        raise _refused(f"an article titled {new!r} already exists")
    article["category_name"], article["folder_name"] = _place(
        state, body, (article["category_name"], article["folder_name"])
    )
    if "article_content" in body:
        article["article_content"] = body["article_content"]
        article["article_content_text"] = text_of(body["article_content"])
    if "status" in body:
        article["status"] = body["status"]
    article.update(article_title=new, updated_on=state.now())
    if new != old:
        article["agent_url"], article["support_url"] = kb_urls(new)
        _rekey(state.kb_articles, old.lower(), new.lower())
    return _ok(article)


@handles("deleteKbArticle")
def delete_kb_article(request: MockRequest, state: Desk365State) -> MockResponse:
    article = _article(state, request.params["article_name"])
    del state.kb_articles[article["article_title"].lower()]
    return _deleted("KB Article")
