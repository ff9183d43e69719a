"""Runtime shared by every generated package (copied in as ``_runtime``).

Generated modules hold only per-operation data (paths, argument bindings, tool
schemas, descriptions) and thin typed wrappers; all behaviour lives here, once,
in five layers whose imports go one way (a module imports only from its own layer
or a lower one; ``tests/test_runtime_parts.py`` checks it, and
``generator/parts.py`` is the table both that test and the generator read):

``core``     ``version``, ``spec`` (static descriptions), ``errors``, ``ratelimit``,
             ``wire`` (what may reach a URL path or a header), ``redact`` (secrets out of
             results and logs), ``files``.
``quirks``   plug-ins for one vendor's rules (``search``, ``timeline``, ``scroll``),
             each depending on the core alone and registered through the ``quirks``
             index; a package carries only the plug-ins its document names.
``client``   ``hooks`` (named checks, transforms and error hints), ``httpstack`` (the
             HTTP library and how its failures are worded), ``serialize`` (OpenAPI styles:
             query, form, path and header), ``encode`` (requests), ``body`` (responses within a size
             cap), ``interpret`` (answers or errors), ``http`` (the clients: send,
             retry) and ``paging``. With the core, what a library user of the typed
             client needs: httpx2 (the MCP SDK's own HTTP stack) and pydantic only.
``host``     ``coerce`` (arguments as models write them), ``validation``, ``results``
             (answers shaped for a context window), ``host`` (tool calls on the MCP
             SDK's low-level server) and ``discovery``.
``hosting``  ``server`` (the command line), ``httpapp`` (the HTTP apps), ``asgi``
             (their wrappers and answers), ``management`` (the endpoints' HTTP API),
             ``endpoints``, ``endpoints_cli``, ``stores``, ``sqlitestore``, ``pgstore``,
             ``settings``,
             ``startup``, and the HTTP server's limits and policy: ``limits`` (the
             settings), ``sessions``, ``hostguard``, ``connections``, ``logs``:
             transports and token-scoped endpoints (uvicorn and starlette, imported
             only for HTTP).

A vendored package therefore needs nothing from the generator.
"""
