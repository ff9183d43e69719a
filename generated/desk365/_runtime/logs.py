# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""Logs without secrets: a formatter for every handler of the server's root logger.

uvicorn's access log prints each request's path and query, and other lines may
quote a header, an upstream answer or a traceback. :class:`RedactingFormatter`
formats a record as the handler's own format would, then replaces, in the whole
line (tracebacks included):

1. every secret its :class:`~.redact.Redactor` holds (the API credential, the
   admin token, and the endpoint and API tokens the server has issued or seen
   presented), in each form an echo may take, with ``[redacted]``;
2. every token-shaped run (43 or more URL-safe characters, plain or
   percent-encoded) with ``[token]`` (:func:`~.redact.redact_line`).

The second rule is what keeps an issued token out of the log whatever shape the
request had (``/MCP/<token>``, ``/mcp//<token>``, ``/mcp?token=<token>``,
``?api_token=<token>``, a header echoed in an error): the store holds only
hashes, so a token the server has not seen before is recognised by what it is,
not by where it appears, and without a database query in the logging path. The
price is that other long runs (a SHA-256 in hex, base64) are hidden too, which a
log can afford.
"""

from __future__ import annotations

import logging

from .redact import Redactor, redact_line

__all__ = ["RedactingFormatter", "install_redaction"]


class RedactingFormatter(logging.Formatter):
    """A formatter that removes secrets and token-shaped runs from every line (see the module docstring)."""

    def __init__(self, fmt: str | None = None, redactor: Redactor | None = None) -> None:
        super().__init__(fmt)
        self.redactor = redactor or Redactor()

    def format(self, record: logging.LogRecord) -> str:
        return redact_line(self.redactor.text(super().format(record)))


def install_redaction(*, redactor: Redactor | None = None) -> None:
    """Give every root-logger handler a :class:`RedactingFormatter` (keeping its format).

    ``redactor`` is shared with the tool host, so tokens the HTTP app learns while
    serving are redacted from the logs as well as from results."""
    for handler in logging.getLogger().handlers:
        current = handler.formatter
        fmt = current._fmt if current is not None else None
        handler.setFormatter(RedactingFormatter(fmt, redactor))
