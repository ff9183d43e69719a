# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Runtime shared by every generated package (copied in as ``_runtime``).

Generated modules hold only per-operation data (paths, argument bindings, tool
schemas, descriptions) and thin typed wrappers; all behaviour lives here, once,
in four parts whose imports go one way (a module imports only from its own part
or a lower one; ``tests/test_runtime_parts.py`` checks it, and
``generator/parts.py`` is the table both that test and the generator read):

``client``   ``spec`` (static descriptions), ``errors``, ``ratelimit``, ``files``,
             ``hooks`` (named checks, transforms and error hints), ``httpstack`` (the
             HTTP library and how its failures are worded) and ``http`` (encode, send,
             interpret): what a library user of the typed client needs; httpx2 (the
             MCP SDK's own HTTP stack) and pydantic only.
``quirks``   plug-ins for one vendor's rules (``search``, ``timeline``, ``scroll``),
             each depending on ``spec`` alone and registered through the ``quirks``
             index; a package carries only the plug-ins its document names.
``host``     ``validation`` and ``host``: tool calls on the MCP SDK's low-level server.
``hosting``  ``server`` (the command line), ``httpapp``, ``endpoints``,
             ``endpoints_cli``, ``settings``: transports and token-scoped endpoints
             (uvicorn and starlette, imported only for HTTP).

A vendored package therefore needs nothing from the generator.
"""
