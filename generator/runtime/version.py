"""The helpdesk-mcp version this runtime belongs to.

The project's one version: ``pyproject.toml`` and ``generator.__version__`` read it
from here, and a generated package's ``--version`` prints it (``startup``). The
generated files themselves carry no version, so a release does not rewrite them.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
