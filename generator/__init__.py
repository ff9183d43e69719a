"""OpenAPI-to-MCP generator: curated OpenAPI documents in, typed clients and MCP servers out.

The pipeline has four layers, each in its own module and each seeing only the
previous layer's output:

``load``    YAML/JSON text -> validated document (openapi-pydantic) with local ``$ref``s checked
``build``   document -> frozen IR (``ir``): every name decided once (``namer``, ``naming``)
``render``  IR -> Python source text (Jinja2 templates that see only the IR)
``emit``    source text -> formatted files, written (orphans deleted) or checked

``pipeline`` strings them together; ``cli`` is the ``helpdesk-mcp`` command. The
build layer's helpers: ``schema`` (tool schemas, linear in the document, with
``refgraph`` for recursion, ``budget`` for size and ``defs`` for their ``$defs``),
``loosen`` (output schemas), ``shapes`` and ``annotations`` (what a schema or a body
holds, as the builder and Python see it), ``compose`` (contradictory ``allOf``);
``curation`` (the typed ``x-api`` / ``x-tool`` extensions, read by load), ``models``
(the datamodel-code-generator models module), ``hooks`` (the curated checks and
transforms a package carries); ``formatting`` runs ruff for emit and the models module.
"""

from .runtime.version import __version__

__all__ = ["__version__"]
