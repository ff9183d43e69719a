# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Runtime shared by every generated package (copied in as ``_runtime``).

Generated modules hold only per-operation data (paths, argument bindings, tool
schemas, descriptions) and thin typed wrappers; all behaviour lives here, once:
request encoding (``http``), files (``files``), errors and rate-limit
normalisation (``errors``, ``ratelimit``), argument validation (``validation``),
the behaviour curation extensions name (``hooks``, with ``search`` and
``timeline``) and the MCP server with its transports and filters (``server``). The runtime
imports only httpx and pydantic at client level, and mcp (plus uvicorn for
HTTP) at server level, so a vendored package needs nothing from the generator.
"""
