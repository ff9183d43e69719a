# Copied from generator/runtime by helpdesk-mcp for desk365.yaml. Do not edit; run `make generate`.
"""What a person sees when a generated server starts: a sentence, never a traceback.

The command line (``server``) runs inside :func:`guarded`: a problem found while
starting (a server URL that cannot be made, an unknown server choice: the typed
client's :class:`~.errors.ClientError`) is one line on stderr naming the
setting, and exit status 2, like every other refused start; Ctrl-C stops the
server quietly, with status 0 as uvicorn has always ended (stopping is what was
asked). Other exceptions keep their traceback: they are bugs, and the traceback
is what a report needs.

Other start-up words live here too, so they read the same in every package:
the ``--version`` line (the helpdesk-mcp version of the runtime, the source
document and that document's version), the warning for a server that will send
requests without its credential, and the one line an HTTP server prints once it
listens (:func:`serve_http`), at the default log level: where it serves and, in
``--endpoints`` mode, how many endpoints are active. That line comes after the
socket is bound, so a port in use never shows a "serving" line, only uvicorn's
own error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .errors import ClientError
from .spec import ApiSpec, ToolSpec
from .version import __version__

__all__ = ["credential_warning", "guarded", "http_url", "serve_http", "server_url_problem", "version_line"]


def guarded(prog: str, run: Callable[[], int]) -> int:
    """``run()``, with start-up problems as one line on stderr (see the module docstring)."""
    try:
        return run()
    except ClientError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def version_line(package: str, source: str, document_version: str) -> str:
    """``--version``: the runtime's helpdesk-mcp version and what the package was generated from."""
    return f"{package} (helpdesk-mcp {__version__}), generated from {source}, document version {document_version}"


def server_url_problem(api: ApiSpec, base_url: str | None) -> str | None:
    """Why no request could be sent: the document names no absolute server URL and none is given."""
    if api.servers or base_url or os.environ.get(api.base_url_env):
        return None
    return f"the {api.title} document names no absolute server URL: pass --base-url URL (or set {api.base_url_env})"


def credential_warning(api: ApiSpec, base_url: str | None, tools: Sequence[ToolSpec]) -> str | None:
    """The warning for a server whose requests will go without the credential, or None."""
    target = base_url or os.environ.get(api.base_url_env)
    if not target or os.environ.get(api.credential_env) or not any(t.operation.auth for t in tools):
        return None
    return (
        f"warning: {api.credential_env} is not set, so requests to {target} go without a credential "
        "(a mock takes them; the real API refuses them)"
    )


def http_url(host: str, port: int, path: str) -> str:
    """The URL a client uses for ``path`` on the bound address."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


def serve_http(app: Any, announce: Callable[[int], str], **options: Any) -> None:
    """``uvicorn.run(app, **options)``, printing ``announce(port)`` on stderr once the socket listens
    (the port bound, which ``--port 0`` leaves to the system)."""
    import uvicorn

    class _Server(uvicorn.Server):
        async def startup(self, sockets: list[Any] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:  # bound; a failed bind has already exited, in uvicorn's words
                bound = [s.getsockname()[1] for server in self.servers for s in server.sockets]
                print(announce(bound[0] if bound else options.get("port", 0)), file=sys.stderr, flush=True)

    server = _Server(uvicorn.Config(app, **options))
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it handled, once it has shut down
        pass
    if not server.started:  # the application's start-up failed (uvicorn logged why), as uvicorn.run ends
        raise SystemExit(3)
