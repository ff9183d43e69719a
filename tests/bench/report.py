"""The printed report: one side-by-side table, the growth table, the goals, the hints.

Only presentation lives here: :func:`render` turns a :class:`~.run.Results`
into text. Ratios are ours ÷ peer between medians, so below 1.00x we are
faster or smaller. The goals are the issue's, each judged on the medians
and printed as met or missed; they are figures, never a failing exit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .catalogue import ROOT
from .ours import discovery_bytes, listing_bytes, python_lines, tool_count, tools_breakdown
from .probe import tools_bytes
from .series import StartRun
from .stats import Failed, Figure, Series, fmt_bytes, fmt_figure, ratio
from .table import Table

if TYPE_CHECKING:
    from .run import CallResult, DocResult, Results

__all__ = ["render"]

HEADER = ("measure", "ours  (min / median / max)", "peer  (min / median / max)", "ours:peer", "goal")


def _ratio(r: float | None) -> str:
    return "-" if r is None else f"{r:.2f}x"


def _min_ratio(a: Series, b: Series) -> str:
    """The ratio of the fastest samples: the least disturbed by other load on the machine."""
    return f"{min(a.values) / min(b.values):.2f}x"


def _goal(r: float | None, limit: float, text: str) -> str:
    if r is None:
        return f"{text}: no figure"
    return f"{text}: {'met' if r <= limit else 'MISSED'}"


def _size(run: StartRun | None) -> int | None:
    return tools_bytes(run.tools) if run and run.tools is not None else None


def _lines(counted: tuple[int, int] | None) -> str:
    return "-" if counted is None else f"{counted[0]:,} lines in {counted[1]} .py files"


def _ntools(run: StartRun | None) -> str:
    return "?" if run is None or run.tools is None else str(len(run.tools))


class _Report:
    def __init__(self, results: Results) -> None:
        self.r = results
        self.table = Table(HEADER)
        self.goals: list[str] = []
        self.has_peers = not isinstance(results.peers, str)

    def peer(self, figure: Figure) -> str:
        return fmt_figure(figure) if self.has_peers else "-"

    def row(self, label: str, mine: Figure, theirs: Figure, goal: str = "", *, as_bytes: bool = False) -> float | None:
        r = ratio(mine, theirs)
        peer_text = fmt_figure(theirs, as_bytes=as_bytes) if self.has_peers else "-"
        self.table.add(label, fmt_figure(mine, as_bytes=as_bytes), peer_text, _ratio(r), goal)
        return r

    # -- sections ----------------------------------------------------------------------------
    def starts(self) -> None:
        t = self.table
        t.section(
            "Cold start to a complete tools/list over stdio (ours: python -m PACKAGE; peer: FastMCP.from_openapi)"
        )
        for d in self.r.docs:
            peer_seconds = d.peer_start.seconds if d.peer_start else None
            label = f"{d.doc.label} ({_ntools(d.start)} | {_ntools(d.peer_start)} tools)"
            r = ratio(d.start.seconds, peer_seconds)
            goal = _goal(r, 0.5, "<= 0.50x") if self.has_peers else ""
            self.row(label, d.start.seconds, peer_seconds, goal)
            floor = d.floor_start.seconds if d.floor_start else None
            above = ratio(d.start.seconds, floor)
            t.add(f"  {d.doc.label}: floor (bare SDK server, 1 tool)", fmt_figure(floor), self.peer(peer_seconds),
                  _ratio(ratio(floor, peer_seconds)), f"ours = {_ratio(above)} the floor")  # fmt: skip
            if self.has_peers:
                self.goals.append(
                    f"cold start, {d.doc.label}: {_ratio(r)} of FastMCP's -> {goal} "
                    f"(the bare SDK server: {_ratio(ratio(floor, peer_seconds))}; ours = {_ratio(above)} of it)"
                )
            if d.peer_note:
                t.add(f"  {d.doc.label}: peer input", "", t.note(d.peer_note), "", "")
        t.section("tools/list size: compact JSON of the tools array (same operations)")
        for d in self.r.docs:
            mine, theirs = _size(d.start), _size(d.peer_start)
            r = ratio(mine, theirs)
            goal = _goal(r, 0.5, "<= 0.50x") if self.has_peers else ""
            self.row(d.doc.label, mine if mine is not None else d.start.seconds, theirs, goal, as_bytes=True)
            if self.has_peers:
                self.goals.append(f"tools/list bytes, {d.doc.label}: {_ratio(r)} of FastMCP's -> {goal}")
        t.section("Peak RSS of the server process after tools/list (VmHWM)")
        for d in self.r.docs:
            self.row(d.doc.label, d.start.rss, d.peer_start.rss if d.peer_start else None)

    def calls(self) -> None:
        t = self.table
        n = self.r.settings.calls
        t.section(
            f"In-process tools/call, {n} timed calls after {self.r.settings.warmup} warm-up, in-memory upstream "
            "(ours: mcp.Client + httpx2.MockTransport; peer: fastmcp.Client + httpx2.MockTransport)"
        )
        for c in self.r.calls:
            self.call_rows(c)
        if any(c.over_http is not None for c in self.r.calls):
            t.section(
                f"The same calls over real HTTP, {n} timed calls: a canned upstream in its own process on 127.0.0.1 "
                "(the least latency a real upstream has), the typed client's own connection pool"
            )
            for c in self.r.calls:
                self.http_rows(c)

    def call_rows(self, c: CallResult) -> None:
        t = self.table
        name = c.label
        if isinstance(c.ours, Failed):
            t.add(
                f"{name}: tools/call", c.ours.text(), self.peer(c.peer if isinstance(c.peer, Failed) else None), "", ""
            )
            return
        peer: dict[str, Any] = c.peer if isinstance(c.peer, dict) else {}
        failed_peer = c.peer if isinstance(c.peer, Failed) else None
        self.row(f"{name}: tools/call", c.ours.tools_call, peer.get("tools_call", failed_peer))
        self.row(f"{name}: ToolHost.call alone", c.ours.host_call, None)
        self.row(f"{name}: direct typed-client call", c.ours.direct_client, None)
        self.row(f"{name}: direct httpx2 call", c.ours.direct_httpx, peer.get("direct_httpx"))
        if c.ours.sdk_floor is not None:
            self.row(f"{name}: SDK floor (tools/call of a ready result)", c.ours.sdk_floor, None)
            least = ratio(c.ours.sdk_floor.median + c.ours.direct_client.median, c.ours.direct_client.median)
            t.add(f"{name}: (SDK floor + direct client) ÷ direct client", _ratio(least), "-", "",
                  "the least a host returning this result can show")  # fmt: skip
        if c.ours.sdk_send is not None:
            self.row(f"{name}: SDK floor with the request (raw httpx2, ready result)", c.ours.sdk_send, None)
            least = ratio(c.ours.sdk_send.median, c.ours.direct_client.median)
            t.add(f"{name}: SDK floor with the request ÷ direct client", _ratio(least), "-", "",
                  "a host that sends the request and builds nothing")  # fmt: skip
        if c.ours.sdk_bare is not None:
            self.row(f"{name}: bare SDK floor (one tool, returns {{}})", c.ours.sdk_bare, None)
            least = ratio(c.ours.sdk_bare.median + c.ours.direct_client.median, c.ours.direct_client.median)
            t.add(f"{name}: (bare SDK floor + direct client) ÷ direct client", _ratio(least), "-", "",
                  "the least any host on the SDK can show")  # fmt: skip
        over_client = ratio(c.ours.tools_call, c.ours.direct_client)
        goal = _goal(over_client, 2.0, "<= 2x")
        mins = _min_ratio(c.ours.tools_call, c.ours.direct_client)
        t.add(
            f"{name}: tools/call ÷ direct typed client", f"{_ratio(over_client)} (of the minima {mins})", "-", "", goal
        )
        self.goals.append(
            f"per-call overhead, {name}: tools/call = {_ratio(over_client)} a direct typed-client call "
            f"(of the minima {mins}) -> {goal}"
        )
        over_http = ratio(c.ours.tools_call, c.ours.direct_httpx)
        peer_over = ratio(peer.get("tools_call"), peer.get("direct_httpx")) if peer else None
        peer_text = "-"
        if peer:
            peer_text = f"{_ratio(peer_over)} (of the minima {_min_ratio(peer['tools_call'], peer['direct_httpx'])})"
        ours_text = f"{_ratio(over_http)} (of the minima {_min_ratio(c.ours.tools_call, c.ours.direct_httpx)})"
        t.add(f"{name}: tools/call ÷ direct httpx2 call", ours_text, self.peer(peer_text), "", "")
        sent = f"{name}: upstream request, ours {c.ours.request}"
        if peer:
            same = "same" if peer.get("request") == c.ours.request else "DIFFERENT"
            sent += f"; FastMCP {peer.get('request')} ({same})"
        t.add(f"{name}: request sent", "", "", "", t.note(sent))

    def http_rows(self, c: CallResult) -> None:
        """Ours again with a real upstream: a canned server on 127.0.0.1 (``overhttp``)."""
        t, name, over = self.table, c.label, c.over_http
        if over is None:
            return
        if isinstance(over, Failed):
            t.add(f"{name} over HTTP", over.text(), "-", "", "")
            return
        self.row(f"{name} over HTTP: tools/call", over.tools_call, None)
        self.row(f"{name} over HTTP: ToolHost.call alone", over.host_call, None)
        self.row(f"{name} over HTTP: direct typed-client call", over.direct_client, None)
        self.row(f"{name} over HTTP: SDK floor with the request (raw httpx2, returns {{}})", over.sdk_send, None)
        r = ratio(over.tools_call, over.direct_client)
        goal = _goal(r, 2.0, "<= 2x")
        mins = _min_ratio(over.tools_call, over.direct_client)
        t.add(f"{name} over HTTP: tools/call ÷ direct typed client", f"{_ratio(r)} (of the minima {mins})", "-", "",
              goal)  # fmt: skip
        self.goals.append(
            f"per-call overhead over HTTP on 127.0.0.1, {name}: tools/call = {_ratio(r)} a direct typed-client call "
            f"(of the minima {mins}) -> {goal}"
        )
        t.add(
            f"{name} over HTTP: request received", "", "", "", t.note(f"{name}: the canned upstream got {over.request}")
        )

    def generation(self) -> None:
        t = self.table
        t.section(
            "Generation, cold: ours `helpdesk-mcp generate DOC --out DIR --package NAME --no-cache`; "
            "peer: `openapi-python-client generate --meta none` (ruff post-hooks on)"
        )
        for d in self.r.docs:
            opc_seconds = d.opc.run.seconds if d.opc else None
            r = ratio(d.cold.seconds, opc_seconds)
            goal = ""
            if d.doc.key == "intercom-full" and self.has_peers:
                goal = _goal(r, 1.5, "<= 1.5x")
                if isinstance(opc_seconds, Failed):
                    goal = "<= 1.5x: peer failed, no ratio"
                self.goals.append(f"full Intercom generation: {_ratio(r)} of openapi-python-client's time -> {goal}")
            if d.doc.checked_in and self.has_peers:  # the issue: a curated document at most the peer's time
                goal = _goal(r, 1.0, "<= 1.00x")
                self.goals.append(f"cold generation, {d.doc.label}: {_ratio(r)} of openapi-python-client's -> {goal}")
            self.row(f"{d.doc.label} ({d.operations} operations)", d.cold.seconds, opc_seconds, goal)
            if d.doc.key == "intercom-full" and isinstance(d.cold.seconds, Series):
                limit = f"<= 8 s: {'met' if d.cold.seconds.median <= 8.0 else 'MISSED'}"
                t.add("  Intercom 2.16 full: cold generation", fmt_figure(d.cold.seconds), "-", "", limit)
                self.goals.append(f"full Intercom generation: {d.cold.seconds.median:.2f} s -> {limit}")
            opc_rss = d.opc.run.rss if d.opc else None
            self.row(f"  {d.doc.label}: peak RSS of the generator", d.cold.rss, opc_rss)
            t.add(f"  {d.doc.label}: output", self.our_output(d), self.opc_output(d), "", self.tool_goal(d))
            if d.lines:
                r = ratio(d.lines[0], d.peer_lines[0]) if d.peer_lines else None
                t.add(f"  {d.doc.label}: output size", _lines(d.lines), self.peer(_lines(d.peer_lines)), _ratio(r), "")
            if d.opc and d.opc.note:
                t.add(f"  {d.doc.label}: peer input", "", t.note(d.opc.note), "", "")
        t.section("Generation, warm (the MANIFEST.json cache; goal: curated documents < 1 s)")
        for d in self.r.docs:
            warm = d.warm.seconds if d.warm else None
            goal = ""
            if d.doc.checked_in and isinstance(warm, Series):
                goal = f"< 1 s: {'met' if warm.median < 1.0 else 'MISSED'}"
                self.goals.append(f"warm regeneration, {d.doc.label}: {warm.median:.2f} s -> {goal}")
            t.add(d.doc.label, fmt_figure(warm), "-", "", goal)
        if self.r.curated:
            cold, warm = self.r.curated
            t.add("all curated (`helpdesk-mcp generate`), cold", fmt_figure(cold.seconds), "-", "", "")
            warm_fig = warm.seconds if warm else None
            goal = ""
            if isinstance(warm_fig, Series):
                goal = f"< 1 s: {'met' if warm_fig.median < 1.0 else 'MISSED'}"
                self.goals.append(f"warm regeneration, all curated documents: {warm_fig.median:.2f} s -> {goal}")
            t.add("all curated (`helpdesk-mcp generate`), warm", fmt_figure(warm_fig), "-", "", goal)
        checked_in = python_lines(ROOT / "generated")
        t.add("generated/ as checked in", _lines(checked_in), "-", "", "")

    def our_output(self, d: DocResult) -> str:
        if isinstance(d.cold.seconds, Failed):
            return "-"
        if d.start.tools is None:
            return (
                f"{tool_count(d.cold.stdout)} tools generated; the server does not start: {fmt_figure(d.start.seconds)}"
            )
        return f"{len(d.start.tools)} tools, server starts"

    def opc_output(self, d: DocResult) -> str:
        if not self.has_peers or d.opc is None:
            return "-"
        if isinstance(d.opc.run.seconds, Failed):
            return "-"
        return f"{d.opc.endpoints} endpoints, {d.opc.skipped} skipped, imports {d.opc.imports}"

    def tool_goal(self, d: DocResult) -> str:
        if d.start.tools is None:
            return "one tool per operation: no figure"
        ok = len(d.start.tools) == d.operations
        text = f"one tool per operation: {'met' if ok else 'MISSED'}"
        if d.doc.key == "intercom-full":
            self.goals.append(f"full Intercom: {len(d.start.tools)} tools for {d.operations} operations -> {text}")
        return text

    def large(self) -> None:
        big = self.r.large
        if big is None:
            return
        t = self.table
        t.section(
            "Large documents (synthetic: the Intercom 2.16 vendor document replicated under /v<k> prefixes, "
            "operationIds, tags and components renamed; tests/bench/largedoc.py)"
        )
        opc = big.opc.seconds if big.opc else None
        seconds = big.cold.seconds
        goal = f"<= 30 s: {'met' if isinstance(seconds, Series) and seconds.median <= 30 else 'MISSED'}"
        self.row(f"generation, {big.operations} operations, cold", seconds, opc, goal)
        self.goals.append(f"{big.operations}-operation document: {fmt_figure(seconds)} -> {goal}")
        rss = big.cold.rss
        goal = f"<= 500 MiB: {'met' if rss is not None and rss.median <= 500 * 1024 else 'MISSED'}"
        self.row(f"  {big.operations} operations: peak RSS", rss, big.opc.rss if big.opc else None, goal)
        self.goals.append(f"{big.operations}-operation document, peak RSS: {fmt_figure(rss)} -> {goal}")
        t.add(
            f"  {big.operations} operations: output",
            f"{tool_count(big.cold.stdout)} tools, tools/list {fmt_bytes(listing_bytes(big.cold.stdout) or 0)}",
            "-", "", "",
        )  # fmt: skip
        tools = big.tools.seconds
        goal = f"< 3 s: {'met' if isinstance(tools, Series) and tools.median < 3 else 'MISSED'}"
        t.add(f"`helpdesk-mcp tools`, {big.tools_operations} operations", fmt_figure(tools), "-", "", goal)
        self.goals.append(f"`helpdesk-mcp tools` on {big.tools_operations} operations: {fmt_figure(tools)} -> {goal}")

    def discovery(self) -> None:
        """tools/list in full and in discovery mode, as the generator reports them."""
        t = self.table
        t.section(
            "tools/list with one tool per operation, and with --discovery (three tools), as the generator reports"
        )
        runs = [(f"{d.doc.label} ({d.operations} operations)", d.cold, d.doc.key) for d in self.r.docs]
        if self.r.large:
            runs.append((f"synthetic ({self.r.large.operations} operations)", self.r.large.cold, "large"))
        for label, run, key in runs:
            full, small = listing_bytes(run.stdout), discovery_bytes(run.stdout)
            if full is None or small is None:
                continue
            goal = ""
            if key == "intercom-full":
                goal = f"< 5 KB: {'met' if small < 5000 else 'MISSED'}"
                self.goals.append(f"discovery mode, Intercom 2.16 full: tools/list {small:,} bytes -> {goal}")
            t.add(label, f"{fmt_bytes(full)} -> {fmt_bytes(small)} with --discovery", "-", "", goal)

    # -- the other tables ------------------------------------------------------------------------
    def growth(self) -> str:
        t = Table(("document", "operations", "tools", "generate cold (median)", "per operation",
                   "tools/list", "per tool", "cold start (median)"))  # fmt: skip
        rows = sorted((d for d in self.r.docs if isinstance(d.cold.seconds, Series)), key=lambda d: d.operations)
        for d in rows:
            assert isinstance(d.cold.seconds, Series)
            seconds = d.cold.seconds.median
            size, n, mark = _size(d.start), len(d.start.tools or []), ""
            if d.start.tools is None:  # the server did not start: the generator's own counts
                size, n, mark = listing_bytes(d.cold.stdout), tool_count(d.cold.stdout) or 0, " *"
            start = f"{d.start.seconds.median * 1e3:.0f} ms" if isinstance(d.start.seconds, Series) else "-"
            t.add(
                d.doc.label,
                str(d.operations),
                f"{n or '-'}{mark}",
                f"{seconds:.2f} s",
                f"{seconds / d.operations * 1e3:.0f} ms",
                (fmt_bytes(size) + mark) if size is not None else "-",
                f"{size / n / 1024:.2f} KiB" if size is not None and n else "-",
                start,
            )
        text = t.render()
        if any(d.start.tools is None for d in rows):
            text += "\n* as reported by the generator: that server did not start (see the table above)"
        return text

    def hints(self) -> list[str]:
        out: list[str] = []
        for c in self.r.calls:
            if isinstance(c.ours, Failed):
                continue
            for how, pick in (("medians", lambda x: x.median), ("minima", lambda x: min(x.values))):
                direct, host, full = (pick(x) for x in (c.ours.direct_client, c.ours.host_call, c.ours.tools_call))
                sdk = c.ours.sdk_floor
                floor = f" (the SDK alone, a ready result: {pick(sdk) * 1e6:.0f} µs" if sdk is not None else ""
                bare = c.ours.sdk_bare
                if floor and bare is not None:
                    floor += f"; one tool returning {{}}: {pick(bare) * 1e6:.0f} µs"
                floor += ")" if floor else ""
                out.append(
                    f"{c.label}, {how}: direct typed client {direct * 1e6:.0f} µs; ToolHost.call adds "
                    f"{(host - direct) * 1e6:.0f} µs (argument validation, output-schema check, result building); "
                    f"the MCP session adds {(full - host) * 1e6:.0f} µs{floor} (both ends of the session, the "
                    f"SDK's pydantic models, the client's output-schema check) = {full * 1e6:.0f} µs"
                )
        if self.r.profile:
            label = self.r.calls[0].label if self.r.calls else ""
            out += ["", f"Profile of ToolHost.call ({label}; cProfile inflates every figure, read them as shares):"]
            out += ["  " + line for line in self.r.profile]
        for d in self.r.docs:
            if not d.doc.checked_in or d.start.tools is None:
                continue
            mine = tools_breakdown(d.start.tools)
            theirs = tools_breakdown(d.peer_start.tools) if d.peer_start and d.peer_start.tools else {}
            total_m, total_t = tools_bytes(d.start.tools), _size(d.peer_start) or 0
            out += ["", f"tools/list bytes by field, {d.doc.label} (ours | FastMCP):"]
            order = ["name", "title", "description", "inputSchema", "  descriptions in inputSchema", "outputSchema",
                     "  descriptions in outputSchema", "annotations"]  # fmt: skip
            for key in list(dict.fromkeys([*order, *mine, *theirs])):
                if key not in mine and key not in theirs:
                    continue
                m, p = mine.get(key, 0), theirs.get(key, 0)
                share_m = f"{m / total_m:5.1%}" if total_m else "-"
                share_p = f"{p / total_t:5.1%}" if total_t else "-"
                out.append(f"  {key:<32} {m:>10,} B {share_m:>6} | {p:>10,} B {share_p:>6}")
        return out


def _peer_reference(results: Results) -> list[str]:
    """The peers' figures here next to the ones the issue measured, as a check on this run's noise."""
    by_key = {d.doc.key: d for d in results.docs}
    out: list[str] = []

    def start(key: str, issue: str) -> None:
        d = by_key.get(key)
        if d and d.peer_start and isinstance(d.peer_start.seconds, Series):
            size = _size(d.peer_start)
            out.append(
                f"FastMCP, {d.doc.label}: start {d.peer_start.seconds.median:.2f} s, tools/list "
                f"{fmt_bytes(size) if size is not None else '-'} (issue: {issue})"
            )

    def opc(key: str, issue: str) -> None:
        d = by_key.get(key)
        if d and d.opc:
            out.append(f"openapi-python-client, {d.doc.label}: {fmt_figure(d.opc.run.seconds)} (issue: {issue})")

    start("desk365-vendor", "about 1.1 s, about 130 KB")
    start("intercom-full", "about 2.7 s, about 3.2 MB")
    for c in results.calls:
        if isinstance(c.peer, dict):
            r = ratio(c.peer["tools_call"], c.peer["direct_httpx"])
            mins = _min_ratio(c.peer["tools_call"], c.peer["direct_httpx"])
            out.append(
                f"FastMCP, {c.label}: tools/call = {_ratio(r)} a direct httpx2 call, {mins} of the minima "
                "(issue: about 9x)"
            )
    opc("desk365-vendor", "about 0.7 s")
    opc("intercom-full", "fails with invalid code after about 5 s")
    return out


def render(results: Results, environment: str) -> str:
    report = _Report(results)
    report.starts()
    report.calls()
    report.generation()
    report.large()
    report.discovery()
    s = results.settings
    lines = [
        "helpdesk-mcp benchmark against the peers (make bench)",
        environment,
        f"settings: BENCH_REPEAT={s.repeat} BENCH_GEN_REPEAT={s.gen_repeat} BENCH_CALLS={s.calls} "
        f"BENCH_PEERS={int(s.peers)} BENCH_VENDOR={int(s.vendor)} BENCH_LARGE={int(s.large)}"
        + (f" BENCH_DOCS={','.join(s.docs)}" if s.docs else ""),
        f"load average (1 min) {results.load[0]:.2f} before, {results.load[1]:.2f} after; "
        "figures are min / median / max, ratios ours ÷ peer of the medians; goals judged on the medians",
        "",
        report.table.render(),
        "",
        "How ours grows with the number of operations",
        report.growth(),
        "",
        "Goals (the issue's; figures, not tests)",
        *(f"  - {g}" for g in report.goals),
        "",
        "The peers here against the issue's figures for them",
        *(f"  - {line}" for line in _peer_reference(results)),
        "",
        "Hints: the largest contributors",
        *report.hints(),
        "",
        f"(bench took {results.seconds:.0f} s)",
    ]
    return "\n".join(lines)
