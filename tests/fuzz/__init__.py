"""Schemathesis-driven fuzzing of the generated packages against the mock upstream.

The chain under test, for every operation of every curated document::

    schemathesis case (from openapi/<api>.yaml)
      -> flat tool arguments   (translate.py: the document's own parameter and body
                                layout, read independently of the generated code)
      -> generated MCP server  (mcp.Client, in process)  | typed client, sync and async
      -> generated client runtime
      -> the mock              (helpdesk_mock, in-process httpx transport; it records
                                every request it receives)

and back. ``roundtrip.py`` asserts that the request the mock recorded is exactly the
one the case describes (method, path, decoded query values, the headers that matter,
JSON body, multipart parts, JSON query objects) and that the result each driver
returns matches the answer the mock sent (captured by a tee around the transport).

Negative cases (schemathesis's schema-violating data) must come back as a tool error
with nothing sent. A violation that exists only at the HTTP level (a missing
``Authorization`` header, a wrong ``Intercom-Version``, random bytes as the body)
cannot be written as tool arguments; such cases are skipped with their reason and
counted, never silently dropped.

``targets.py`` pairs each schemathesis operation with its ``ToolSpec`` and typed
client method; ``document.py`` is the referee that says whether values break the
document; ``fixtures.py`` swaps identifiers for ones the mock knows in half of the
positive cases, so the success path is checked as well as the 404s;
``runner.py`` drives hypothesis for one target in either strict mode
(pytest: the first failure raises and is shrunk) or counting mode (``make fuzz``,
``python -m tests.fuzz_report``: every example runs and failures are tallied).
"""
