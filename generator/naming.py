"""Naming: every identifier the generator emits is decided here, once.

Three name spaces meet in generated code and each has its own rule:

* **Tool names** follow the product's naming rule (``list_all_{app}_{resource}``,
  ``get_single_{app}_{singular}_by_id``, ...; see ``TOOL-INVENTORY.md``) when an
  operation is curated, and fall back to the operationId (or method + path) when it
  is not. They match ``^[A-Za-z0-9._-]{1,64}$``; a name that must be cut keeps a
  short stable hash of the full name so two long names never collide.
* **Tool argument names** are the API's native names (``ticket_number``), so an
  assistant reads the same words as the vendor's documentation. Names a client
  cannot send as JSON-Schema property keys portably are normalised.
* **Python names** (keyword arguments, methods, classes) are valid identifiers;
  keywords, and the few builtins and imports generated modules use themselves
  (``str``, ``models``, ``cast``, ...), get a trailing underscore.

Uncurated names that must be cut or that clash get a short stable hash (of the
whole name, or of the operation's method and path), never a counter, so adding an
operation to a document does not rename the others.

The collision policy that uses these helpers lives in :mod:`generator.namer`.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata

__all__ = [
    "TOOL_NAME_RE",
    "ARG_NAME_RE",
    "MAX_TOOL_NAME",
    "snake",
    "pascal",
    "py_identifier",
    "arg_name",
    "py_arg_name",
    "curated_tool_name",
    "fallback_tool_name",
    "clip",
    "constant",
    "short_hash",
    "with_hash",
    "tag_name",
    "RESERVED_PY",
]

TOOL_NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
ARG_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MAX_TOOL_NAME = 64

_CAMEL_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")
_ORDINAL = re.compile(r"^\s*\d+\s*[.)]\s*")

# Names generated Python modules use for themselves: an argument or a method with
# one of these names would shadow an import or an annotation of the module.
RESERVED_PY = frozenset(
    {"self", "cls", "str", "int", "float", "bool", "dict", "bytes", "builtins", "Any", "Literal",
     "Sequence", "cast", "models", "ops", "FileInput"}
)  # fmt: skip


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def snake(text: str) -> str:
    """``GetTicketList`` / ``get-ticket list`` / ``getTicket_1`` -> ``get_ticket_list``."""
    text = _ascii(text)
    text = _CAMEL_1.sub(r"\1_\2", text)
    text = _CAMEL_2.sub(r"\1_\2", text)
    return _NON_WORD.sub("_", text).strip("_").lower()


def pascal(text: str) -> str:
    """``ticket_replies`` / ``list-tickets`` -> ``TicketReplies`` / ``ListTickets``."""
    parts = snake(text).split("_")
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def py_identifier(text: str, *, fallback: str = "value") -> str:
    """A valid, non-keyword Python identifier derived from ``text``.

    ``class`` -> ``class_``, ``X-Request-Id`` -> ``x_request_id``, ``1st`` -> ``_1st``,
    ``page[size]`` -> ``page_size``, ``é`` -> ``e``; an empty result uses ``fallback``.
    """
    name = snake(text) or fallback
    if name[0].isdigit():
        name = "_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in {"self", "cls"}:
        name += "_"
    return name


def short_hash(text: str, size: int = 8) -> str:
    """The first ``size`` hex digits of the SHA-256 of ``text``: stable across runs."""
    return hashlib.sha256(text.encode()).hexdigest()[:size]


def arg_name(text: str) -> str:
    """The tool argument name for a native name: itself when portable, else snake case.

    A name with nothing left after normalisation (``名前``) becomes ``arg_<hash>``, so
    two such names stay distinct; a name longer than 64 characters is clipped.
    """
    if ARG_NAME_RE.match(text):
        return text
    if not snake(text):
        return f"arg_{short_hash(text)}"
    return clip(py_identifier(text))


def py_arg_name(text: str) -> str:
    """The Python keyword for an argument: an identifier that shadows nothing generated code uses."""
    name = py_identifier(text) if snake(text) else f"arg_{short_hash(text)}"
    return name + "_" if name in RESERVED_PY else name


def clip(name: str, limit: int = MAX_TOOL_NAME) -> str:
    """Cut ``name`` to ``limit`` characters, keeping a stable 8-hex hash of the whole."""
    if len(name) <= limit:
        return name
    return f"{name[: limit - 9].rstrip('_')}_{short_hash(name)}"


def with_hash(name: str, salt: str, limit: int = MAX_TOOL_NAME) -> str:
    """``name`` made distinct by a 6-hex hash of ``salt`` (``get_item_3f9a1c``), within ``limit``."""
    suffix = "_" + short_hash(salt, 6)
    return name[: limit - len(suffix)].rstrip("_") + suffix


def tag_name(tag: object) -> str:
    """A tag as a filter word: ``02. Tickets`` -> ``tickets``, ``Help Center`` -> ``help_center``.

    A leading ordinal (``02.``, ``3)``), which vendors use to sort their reference, is dropped.
    """
    text = str(tag)
    return snake(_ORDINAL.sub("", text)) or snake(text)


def curated_tool_name(app: str, kind: str, resource: str, singular: str, method: str | None) -> str:
    """The product naming rule (TOOL-INVENTORY.md) for a curated operation."""
    if kind == "list":
        return f"list_all_{app}_{resource}"
    if kind == "get":
        return f"get_single_{app}_{singular}_by_id"
    if kind == "create":
        return f"create_a_{app}_{singular}"
    if kind == "update":
        return f"update_a_{app}_{singular}_by_id"
    if kind == "delete":
        return f"delete_a_{app}_{singular}_by_id"
    return f"{app}_{resource}_{method}"


def fallback_tool_name(operation_id: str | None, method: str, path: str) -> str:
    """A tool name for an uncurated operation: its operationId, else method + path."""
    if operation_id and snake(operation_id):
        return snake(operation_id)
    return snake(f"{method} {path}") or method.lower()


def constant(text: str) -> str:
    """``list_all_desk_365_tickets`` -> ``LIST_ALL_DESK_365_TICKETS``."""
    return py_identifier(text).upper().rstrip("_") or "VALUE"
