"""Secrets out of everything a server shows: tool results and log lines.

Two kinds of secret pass through a server, and each is recognised differently.

*Known secrets* are held in clear: the API credential, the admin token, and
every endpoint URL token or API token this process has issued or seen a client
present. A :class:`Redactor` replaces each of them, and the forms in which an
upstream echo carries them (JSON-escaped, percent-encoded, and base64 as in a
``Basic`` header), wherever they occur: in text, in every string and key of
``structuredContent`` and ``_meta``, in error messages.

*Tokens never seen in clear.* The endpoint store keeps only SHA-256 hashes, so
a token issued by the ``endpoints`` command and not yet used here is unknown to
this process. Issued tokens all have one shape (``secrets.token_urlsafe(32)``:
43 characters of ``A-Z a-z 0-9 - _``), so a token can be recognised without
knowing it:

* in tool results, by hashing each token-shaped word (a run of exactly 43
  such characters) and asking the store whether it holds that hash
  (``recognise``, an optional callable given by the HTTP app; it may block, so
  :meth:`Redactor.learn` calls it from a worker thread, and treats every such
  word as a token when the store cannot answer). A blanket rule would not do
  here: results legitimately hold long identifiers and base64, and a redaction
  changes the data the assistant works on. Tokens, known or recognised, are
  matched as whole words (delimited by characters a token cannot contain, as
  in a URL, a header or a JSON string), which keeps the scan one pass however
  many tokens are known;
* in log lines, by shape alone (:func:`redact_line`): every run of 43 or more
  such characters, also when percent-encoded, becomes ``[token]``. A log line
  is for people, so hiding a long hash or base64 run as well costs nothing,
  while a store lookup per line would put a database query in the logging
  path, and a shape rule needs no knowledge of the URL a token came in
  (``/MCP/<token>``, ``/mcp//<token>``, ``?token=<token>``, a header echo...).

This module is part of the runtime's *core*; it knows nothing of transports.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote

__all__ = ["REDACTED", "TOKEN_MARK", "Redactor", "redact_line"]

logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".server")

REDACTED = "[redacted]"
TOKEN_MARK = "[token]"
MIN_SECRET = 4  # shorter "secrets" would redact ordinary words
_MAX_KNOWN = 10_000  # tokens seen in clear are remembered up to this many (the oldest go first)

_WORD = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_-]{43,}")
_ENCODED_RUN = re.compile(r"(?:[A-Za-z0-9_-]|%[0-9A-Fa-f]{2}){43,}")


def _forms(secret: str) -> set[str]:
    """The forms an echo of ``secret`` may take."""
    forms = {secret, json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1], quote(secret, safe="")}
    encoded = base64.b64encode(secret.encode()).decode()
    forms |= {encoded, encoded.rstrip("=")}  # padded (a Basic header) first: the longer form wins
    return {f for f in forms if len(f) >= MIN_SECRET}


class Redactor:
    """Replaces known secrets (and recognised tokens) in text and in JSON-like values.

    ``secrets`` are known from the start (the credential, the admin token);
    :meth:`add` learns more while serving (tokens presented by clients).
    ``recognise(words)`` returns the token-shaped words that are issued tokens
    (see the module docstring). Token-shaped secrets are kept in a set and found
    by one scan for token-shaped words, so their number does not slow a scan;
    the few others are matched by one regular expression. Thread-safe: the HTTP
    app adds from its event loop, logging may read from any thread.
    """

    def __init__(
        self, secrets: Iterable[str | None] = (), *, recognise: Callable[[list[str]], Iterable[str]] | None = None
    ) -> None:
        self.recognise = recognise
        self._lock = threading.Lock()
        self._others: set[str] = set()
        self._tokens: dict[str, None] = {}  # insertion-ordered: the oldest token goes first
        self._pattern: re.Pattern[str] | None = None
        for secret in secrets:  # the credential and the admin token: every form of them, always
            self.add(secret, token=False)

    def add(self, secret: str | None, *, token: bool = True) -> None:
        """Redact ``secret`` from now on. A token-shaped secret (``token``) is matched as a
        whole word; up to :data:`_MAX_KNOWN` of them are held (a token the store holds is
        recognised again after it was dropped). Others are matched in every form."""
        if not secret or len(secret) < MIN_SECRET:
            return
        with self._lock:
            if token and _WORD.fullmatch(secret):
                self._tokens[secret] = None
                if len(self._tokens) > _MAX_KNOWN:
                    del self._tokens[next(iter(self._tokens))]
            elif secret not in self._others:
                self._others.add(secret)
                forms = {form for other in self._others for form in _forms(other)}
                alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
                self._pattern = re.compile(alternatives)

    def text(self, text: str, also: Collection[str] = ()) -> str:
        """``text`` with every known secret (and each word in ``also``) replaced by ``[redacted]``."""
        if not text:
            return text
        if self._pattern is not None:
            text = self._pattern.sub(REDACTED, text)
        if self._tokens or also:
            tokens = self._tokens

            def token(match: re.Match[str]) -> str:
                word = match.group()
                return REDACTED if word in tokens or word in also else word

            text = _WORD.sub(token, text)
        return text

    def value(self, value: Any, also: Collection[str] = ()) -> Any:
        """A JSON-like ``value`` (a copy) with known secrets replaced in every string and key."""
        if isinstance(value, str):
            return self.text(value, also)
        if isinstance(value, Mapping):
            return {(self.text(k, also) if isinstance(k, str) else k): self.value(v, also) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v, also) for v in value]
        return value

    def words(self, *parts: Any) -> list[str]:
        """The token-shaped words in ``parts`` (strings or JSON-like values) not known yet."""
        found: dict[str, None] = {}
        for part in parts:
            for text in _strings(part):
                for match in _WORD.finditer(text):
                    if match.group() not in self._tokens:
                        found[match.group()] = None
        return list(found)

    async def learn(self, *parts: Any) -> frozenset[str]:
        """Ask ``recognise`` about the unknown token-shaped words in ``parts`` (from a worker
        thread: it may query a database) and add those it recognises.

        Returns the words to redact *in this result only*: none, unless ``recognise``
        failed (a store that is down), in which case every unknown token-shaped word
        is treated as a token (fail closed; nothing is remembered)."""
        recognise = self.recognise
        if recognise is None:
            return frozenset()
        words = self.words(*parts)
        if not words:
            return frozenset()
        import anyio

        try:
            recognised = await anyio.to_thread.run_sync(lambda: list(recognise(words)))
        # whatever the store raised (it may be down): redact rather than show
        except Exception as exc:  # noqa: BLE001
            logger.warning("could not check %d token-shaped word(s) against the store (%s); redacting them",
                           len(words), type(exc).__name__)  # fmt: skip
            return frozenset(words)
        for token in recognised:
            self.add(token)
        return frozenset()


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            if isinstance(k, str):
                yield k
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def redact_line(line: str) -> str:
    """``line`` with every token-shaped run (43+ URL-safe characters, plain or percent-encoded)
    replaced by ``[token]`` (see the module docstring)."""
    line = _TOKEN_RUN.sub(TOKEN_MARK, line)
    if "%" in line:
        line = _ENCODED_RUN.sub(_encoded_token, line)
    return line


def _encoded_token(match: re.Match[str]) -> str:
    run = match.group()
    return TOKEN_MARK if _TOKEN_RUN.search(unquote(run)) else run
