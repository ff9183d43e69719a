"""A stateful mock of the curated APIs, driven by their OpenAPI documents.

A product of its own beside the generator: the no-account demo of the generated
servers and the oracle of the fuzz suite. Users run it to try the generated
servers without an account (``helpdesk-mcp mock desk365 --port 4010``,
``make mock``, ``python -m helpdesk_mock desk365``); tests import it::

    from helpdesk_mock import create_app, MockApp, MockSettings, Recorded

    app = create_app("desk365", document="openapi/desk365.yaml",
                     settings=MockSettings(ratelimit=5), clock=fake_clock)
    async with httpx.AsyncClient(transport=app.transport(), base_url="http://mock") as http: ...
    with httpx.Client(transport=app.sync_transport(), base_url="http://mock") as http: ...
    app.requests        # list[Recorded]: every request received, valid or not, in order
    app.settings        # read on every request: change it on a running app
    app.state           # the plugin's in-memory state
    app.reset()         # reseed the fixtures, clear the recording, refill the bucket
    app.document        # the curated document (a mapping)

Paths are served exactly as the document writes them (``/v3/tickets/details``),
so a generated client pointed at ``http://127.0.0.1:4010`` works unchanged.

Layout: the generic core (``app`` → ``document`` routes, ``validate`` checks the
request, ``conform`` checks the answer, ``ratelimit``, ``faults``, ``transport``)
knows no vendor; each vendor is a plugin module (``desk365``, ``intercom``)
exposing ``PLUGIN`` under the contract of ``plugin``. The document a mock serves
is always passed in (a path or an already loaded mapping); it is read with the
generator's loader (``generator.load``), and the 400 answers are worded by the
runtime's public :func:`generator.runtime.validation.describe_error`, so a tool
and the mock name a broken rule the same way. ``serve`` is the command line
(uvicorn); :func:`serve_in_thread` runs an app over real HTTP on a random
loopback port, for tests and benchmarks.
"""

from __future__ import annotations

from .app import MockApp, Recorded, available_apis, create_app
from .plugin import MockError, MockRequest, MockResponse, MockSettings, Upload
from .serve import serve_in_thread

__all__ = [
    "MockApp", "MockError", "MockRequest", "MockResponse", "MockSettings", "Recorded", "Upload",
    "available_apis", "create_app", "serve_in_thread",
]  # fmt: skip
