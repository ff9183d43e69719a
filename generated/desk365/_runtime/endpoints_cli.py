# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""``python -m <package> endpoints``: create, list and revoke token-scoped endpoints.

The command writes to the store the HTTP server reads (``--endpoints-db``, else
``$<PACKAGE>_MCP_ENDPOINTS_DB``, else a per-user file, ``settings.default_store``;
a SQLite file or a ``postgresql://`` URL, see ``stores``), so every running
``--endpoints`` server on that store answers a new endpoint, and stops answering
a revoked one, from its next request. ``create`` prints the URL, and the API token
when ``--require-api-token-auth`` is given, exactly once: the store keeps only
their SHA-256 hashes, so they cannot be shown again.

A refused command leaves nothing behind: ``create`` checks its arguments by
creating the endpoint on a scratch in-memory store first (the same rules, no
copy of them), so bad arguments never create a store file or its folder; ``list``
and ``revoke`` never create one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from .endpoints import EndpointError, EndpointRegistry, StoreUnavailable, utc_now
from .settings import default_store, injected_clock, mcp_env, store_location
from .spec import ApiSpec, ToolSpec
from .sqlitestore import SqliteEndpointStore
from .stores import open_store

__all__ = ["run"]


def _parser(api: ApiSpec, prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=f"Create, list and revoke the token-scoped MCP endpoints of the {api.title} server "
        "(served by --transport http --endpoints).",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--endpoints-db",
        help=f"the endpoint store: a SQLite file or a postgresql:// URL; default ${mcp_env(api, 'ENDPOINTS_DB')}, "
        f"else {default_store(api)}",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{create,list,revoke}")
    create = commands.add_parser("create", parents=[common], help="create an endpoint; prints its URL once")
    create.add_argument("--name", required=True, help="a label for people (1-200 characters)")
    create.add_argument("--methods", help="only tools of these categories: read,write,custom")
    create.add_argument("--tags", help="only tools carrying one of these tags (comma-separated)")
    create.add_argument("--tools", help="only these tools (comma-separated names)")
    expiry = create.add_mutually_exclusive_group()
    expiry.add_argument("--expires-in", help="a lifetime from now: 7d, 12h, 1d12h, 90m, 2w (default: never expires)")
    expiry.add_argument("--expires-at", help="an ISO 8601 date-time with a UTC offset, e.g. 2031-12-01T17:00:00Z")
    create.add_argument(
        "--require-api-token-auth",
        action="store_true",
        help="also require Authorization: Bearer <api token> (the API token is printed once)",
    )
    create.add_argument(
        "--public-url",
        help=f"base of the printed URL; default ${mcp_env(api, 'PUBLIC_URL')}, else http://127.0.0.1:8000",
    )
    create.add_argument("--json", action="store_true", help="print one JSON object")
    listing = commands.add_parser("list", parents=[common], help="list live endpoints (no tokens); purges expired ones")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    revoke = commands.add_parser(
        "revoke", parents=[common], help="delete an endpoint: its URL answers 404 from the next request"
    )
    revoke.add_argument("id", help="the endpoint id (ep_...), from list")
    return parser


def run(api: ApiSpec, catalog: Sequence[ToolSpec], prog: str, argv: Sequence[str]) -> int:
    """Run the ``endpoints`` command; returns the exit status."""
    import os

    args = _parser(api, prog).parse_args(list(argv))
    where = f"{prog} {args.command}"
    clock = injected_clock(api) or utc_now
    fields: dict[str, Any] = {}
    if args.command == "create":
        fields = dict(name=args.name, methods=args.methods, tags=args.tags, tools=args.tools,
                      expires_at=args.expires_at, expires_in=args.expires_in,
                      require_api_token_auth=args.require_api_token_auth)  # fmt: skip
        scratch = SqliteEndpointStore(":memory:", api.package)
        try:  # the arguments, checked where nothing is kept (see the module docstring)
            EndpointRegistry(scratch, catalog, clock=clock).create(**fields)
        except EndpointError as exc:
            print(f"{where}: {exc}", file=sys.stderr)
            return 2
        finally:
            scratch.close()
    location = store_location(api, args.endpoints_db)
    try:
        store = open_store(location, api.package, create=args.command == "create")
    except StoreUnavailable as exc:
        print(f"{where}: {exc}", file=sys.stderr)
        return 1
    registry = EndpointRegistry(store, catalog, clock=clock)
    try:
        if args.command == "create":
            issued = registry.create(**fields)
            base = args.public_url or os.environ.get(mcp_env(api, "PUBLIC_URL")) or "http://127.0.0.1:8000"
            endpoint, url = issued.endpoint, issued.url(base)
            if args.json:
                out = {**endpoint.describe(), "url": url}
                if issued.api_token:
                    out["api_token"] = issued.api_token
                print(json.dumps(out, indent=2))
                return 0
            count = len(registry.tool_names(endpoint))
            print(f"created endpoint {endpoint.id} ({endpoint.name}): {count} tools")
            print(f"  expires at: {endpoint.describe()['expires_at'] or 'never'}")
            print(f"  URL:        {url}")
            if issued.api_token:
                print(f"  API token:  {issued.api_token}  (send Authorization: Bearer <api token>)")
            print("Shown once: the store keeps only SHA-256 hashes of the tokens.")
            return 0
        if args.command == "list":
            endpoints = registry.list()
            if args.json:
                print(json.dumps([e.describe() for e in endpoints], indent=2))
                return 0
            if not endpoints:
                print("no endpoints")
            for e in endpoints:
                view = e.describe()
                scope = " ".join(f"{k}={','.join(v)}" for k, v in view["config"].items() if isinstance(v, list) and v)
                auth = " api-token" if e.require_api_token_auth else ""
                print(f"{e.id}  {e.name!r}  expires={view['expires_at'] or 'never'}{auth}  {scope or 'all tools'}")
            return 0
        if registry.revoke(args.id):
            print(f"revoked {args.id}")
            return 0
        print(f"{where}: no endpoint {args.id!r} (see {prog} list)", file=sys.stderr)
        return 1
    except EndpointError as exc:
        print(f"{where}: {exc}", file=sys.stderr)
        return 2
    except StoreUnavailable as exc:
        print(f"{where}: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
