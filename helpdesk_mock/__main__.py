"""``python -m helpdesk_mock desk365 --port 4010``: the same as ``helpdesk-mcp mock``."""

from .serve import command

command(prog_name="python -m helpdesk_mock")
