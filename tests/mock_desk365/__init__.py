"""The mock upstream (``helpdesk_mock``) serving Desk365: its tests.

Black-box over HTTP: in-process through ``app.transport()`` (async) and
``app.sync_transport()`` (sync), through the generated typed client, and as a real
process driven by the generated MCP server over stdio. Covers the CRUD flows on the
state, identifier resolution, paging, every Desk365 quirk, request validation (the
vendor-shaped 400s, 401, 404, 405), the rate-limit bucket on an injected clock, the
recording, the fault settings, and that every fixture answer conforms to the
document (checked with a validator built independently of the mock's own).
"""
