"""The Intercom mock (``helpdesk_mock/intercom*.py``) over HTTP, in process: its tests.

Every test talks to ``create_app("intercom")`` through httpx and ``app.transport()``, with
an injected clock (the ``clock``, ``app`` and ``http`` fixtures of ``conftest.py``). The
core runs with ``strict_responses`` (its default), so any answer that drifts from
openapi/intercom.yaml comes back as a 500 and fails the test that provoked it; fixture
reads are also checked with an independent JSON Schema validator built from the document
(``helpers.schema_validator``).
"""
