"""``make bench``: our figures against the peers' (FastMCP, openapi-python-client), side by side.

Not a test: nothing here asserts on timings; the goals are printed as met or
missed. ``python -m tests.bench`` from the repository root runs it; ``make
bench`` first builds the peers' own virtualenv (``.cache/bench-venv`` from
``tests/bench-requirements.txt``) so that they never become dependencies of
this project. Options are environment variables (see :class:`.run.Settings`).

Layout, one concern per module:

* ``catalogue`` - the documents (curated and vendor) and the call cases;
* ``probe`` - a stdlib-only MCP stdio client: cold start to ``tools/list``, RSS;
* ``series`` - repeated runs of a command or a server, and failures as values;
* ``ours`` - our generator, servers and in-process calls, and the hints
  (``ToolHost.call`` profile, ``tools/list`` bytes by field);
* ``peers`` - the same measurements of the peers, driven from outside;
* ``fastmcp_peer`` - the script run under the peers' virtualenv;
* ``stats``, ``table``, ``report`` - figures, layout, the printed report;
* ``run`` - settings and the order of measurement;
* ``load`` - the load benchmark (many MCP clients over streamable HTTP), printed
  after the report unless ``BENCH_LOAD=0``.
"""
