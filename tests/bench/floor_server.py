"""The floor of a cold start: the smallest stdio server the MCP SDK can make.

One tool, no document, no client, no HTTP library of its own: what any server on
``mcp`` pays before it does anything (Python, the SDK's imports, the event loop,
the stdio transport). ``make bench`` starts it next to ours and FastMCP's, in the
same rounds, so the report shows how far each server is above it.
"""

import anyio
from mcp.server import Server
from mcp.server.stdio import stdio_server
from mcp.types import ListToolsResult, Tool

TOOL = Tool(name="ping", input_schema={"type": "object"})


async def list_tools(ctx: object, params: object) -> ListToolsResult:
    return ListToolsResult(tools=[TOOL])


async def main() -> None:
    server = Server("floor", on_list_tools=list_tools)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


anyio.run(main)
