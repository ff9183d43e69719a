# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""The HTTP server's limits and network policy: settings, defaults, command-line options.

One table (:data:`SETTINGS`) names every limit once: its command-line option,
its environment variable (``<PACKAGE>_MCP_<NAME>``, as the other server
settings), its default and its help line. ``server`` adds them to its parser
in a group of their own (:func:`add_options`) and reads them back as one
frozen :class:`Limits` (:func:`from_args`: the option, else the environment,
else the default), which the HTTP side (``httpapp``, ``sessions``,
``hostguard``, ``connections``) and the tool host (the file cap) take as is.

The defaults are sized for one process serving a handful of assistants:

* sessions: 1,000 held at once in all (about 40 KiB each, so some 40 MiB at
  the limit), at most 100 per endpoint in ``--endpoints`` mode so one leaked
  URL cannot take them all, and closed after 10 minutes without a request (a
  client then opens a new one, as the MCP transport asks it to);
* files: 25 MiB per file a tool call attaches (a local file is streamed from
  disk, so the cap bounds upload size, not memory);
* bodies: 4 MiB per MCP request (the SDK's own default; base64 attachments
  travel inside it);
* connections: 5 s idle keep-alive, 10 s to send a request's headers, 30 s to
  send its body, each counted from its start (a trickle does not extend it);
* tool results: 8,000 tokens (about 32 KB of JSON; many clients cap a result near
  25,000 tokens), cut by whole items beyond it (``results``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .files import DEFAULT_MAX_FILE_BYTES
from .results import DEFAULT_BUDGET_TOKENS
from .settings import mcp_env
from .spec import ApiSpec

__all__ = ["Limits", "SETTINGS", "add_options", "env_help", "from_args"]


@dataclass(frozen=True)
class Limits:
    """Every limit of the HTTP server (and the file cap, which stdio applies too)."""

    max_sessions: int = 1000
    max_sessions_per_endpoint: int = 100
    session_idle_timeout: float = 600.0
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_body_bytes: int = 4 * 1024 * 1024
    keep_alive_timeout: float = 5.0
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    allowed_hosts: tuple[str, ...] = ()
    """Extra ``Host`` names to answer (the bound address and loopback always are); ``*``: any."""
    allowed_origins: tuple[str, ...] = ()
    """``Origin`` values to accept (default: those of the allowed hosts); ``*``: any."""
    max_result_tokens: int = DEFAULT_BUDGET_TOKENS
    """The largest tool result, in tokens (about 4 bytes of JSON each); stdio applies it too."""


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError("must be a positive whole number")
    return value


def _positive_seconds(text: str) -> float:
    value = float(text)
    if not 0 < value < float("inf"):
        raise ValueError("must be a positive number of seconds")
    return value


def _names(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in text.split(",") if v.strip())


@dataclass(frozen=True)
class Setting:
    """One limit: the :class:`Limits` field, its option, parser and help."""

    field: str
    option: str
    parse: Callable[[str], Any]
    help: str
    metavar: str = "N"

    def env(self, api: ApiSpec) -> str:
        return mcp_env(api, self.field.upper())


SETTINGS: tuple[Setting, ...] = (
    Setting("max_sessions", "--max-sessions", _positive_int,
            "HTTP: MCP sessions held at once, in all (default 1000); past it a new session gets 503"),
    Setting("max_sessions_per_endpoint", "--max-sessions-per-endpoint", _positive_int,
            "with --endpoints: sessions one endpoint may hold (default 100)"),
    Setting("session_idle_timeout", "--session-idle-timeout", _positive_seconds,
            "HTTP: close a session after this many seconds without a request (default 600)"),
    Setting("max_file_bytes", "--max-file-bytes", _positive_int,
            "largest file a tool call may attach, local or base64 (default 26214400 = 25 MiB)"),
    Setting("max_body_bytes", "--max-body-bytes", _positive_int,
            "HTTP: largest MCP request body (default 4194304 = 4 MiB); larger ones get 413"),
    Setting("keep_alive_timeout", "--keep-alive-timeout", _positive_seconds,
            "HTTP: close an idle connection after this many seconds (default 5)"),
    Setting("header_timeout", "--header-timeout", _positive_seconds,
            "HTTP: a request's headers must arrive within this many seconds of its first byte, and a new "
            "connection's first request within this many seconds (default 10)"),
    Setting("body_timeout", "--body-timeout", _positive_seconds,
            "HTTP: a request's body must arrive within this many seconds of its headers (default 30)"),
    Setting("allowed_hosts", "--allowed-hosts", _names,
            "HTTP: Host names to answer besides the bound address and loopback names (comma-separated; "
            "name or name:port; * for any); others get 421", "NAMES"),
    Setting("max_result_tokens", "--max-result-tokens", _positive_int,
            f"largest tool result in tokens, about 4 bytes each (default {DEFAULT_BUDGET_TOKENS}); a longer list "
            "is cut by whole items and says how to get the rest"),
    Setting("allowed_origins", "--allowed-origins", _names,
            "HTTP: Origin values to accept (comma-separated, e.g. https://app.example.com; * for any; "
            "default: http(s) origins of the allowed hosts); others get 403", "ORIGINS"),
)  # fmt: skip


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add the limits as a group of options (each also read from its environment variable)."""
    group = parser.add_argument_group(
        "limits and network policy", "each also from an environment variable: see below; an option wins"
    )
    for setting in SETTINGS:
        group.add_argument(setting.option, dest=f"limit_{setting.field}", metavar=setting.metavar, help=setting.help)


def env_help(api: ApiSpec) -> list[str]:
    """The environment lines of ``--help`` for the limits."""
    return [f"  {s.env(api)}  see {s.option}" for s in SETTINGS]


def from_args(args: argparse.Namespace, api: ApiSpec) -> Limits:
    """The limits from the options, else the environment, else the defaults.

    Raises ``ValueError`` naming the option or variable of a bad value."""
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        given = getattr(args, f"limit_{setting.field}", None)
        source = setting.option
        if given is None:
            given, source = os.environ.get(setting.env(api)), setting.env(api)
        if given is None or given == "":
            continue
        try:
            values[setting.field] = setting.parse(given)
        except ValueError as exc:
            reason = str(exc) if "must be" in str(exc) else "must be a positive number"
            raise ValueError(f"{source} {given!r}: {reason}") from None
    return Limits(**values)
