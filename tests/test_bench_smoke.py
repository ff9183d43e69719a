"""The benchmark's own side, run once on Desk365 so that ``make bench`` cannot rot.

No peers, no network beyond 127.0.0.1, no timing asserted: one cold and one warm
generation, one cold start, a few in-process calls, the same over loopback HTTP,
and the profile, then the report; then the seed workflows, the large document,
and the scale-out run on two processes, each once and small. What is asserted is that
every step produced a figure and the right thing was measured (the tool count,
the request the tool sent).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.bench.catalogue import DOCS, METHODS, count_operations, load_any
from tests.bench.load import LoadSettings
from tests.bench.ours import CallRun, tools_breakdown
from tests.bench.peers import find_peers
from tests.bench.probe import ProbeError, probe_stdio, tools_bytes
from tests.bench.report import render
from tests.bench.run import Settings, measure
from tests.bench.scale import render as render_scale
from tests.bench.scale import run_scale
from tests.bench.stats import Failed, Series, ratio
from tests.bench.table import Table
from tests.pgserver import PostgresServer


def test_own_side_once_on_desk365(tmp_path: Path) -> None:
    settings = Settings(repeat=1, gen_repeat=1, calls=3, warmup=1, peers=False, docs=("desk365",))
    results = measure(settings, tmp_path)

    [doc] = results.docs
    assert doc.operations == 44
    assert isinstance(doc.cold.seconds, Series) and len(doc.cold.seconds.values) == 1
    assert doc.warm is not None and isinstance(doc.warm.seconds, Series)
    assert (tmp_path / "ours-bench_desk365" / "bench_desk365" / "server.py").is_file()
    assert isinstance(doc.start.seconds, Series) and doc.start.tools is not None
    assert len(doc.start.tools) == 44
    assert doc.start.rss is not None and doc.start.rss.median > 0
    assert doc.peer_start is None and doc.opc is None
    assert doc.floor_start is not None and isinstance(doc.floor_start.seconds, Series)
    assert doc.floor_start.tools is not None and len(doc.floor_start.tools) == 1

    [call] = results.calls
    assert isinstance(call.ours, CallRun)
    assert call.ours.request == "GET https://acme.desk365.io/apis/v3/tickets/details?ticket_number=8992"
    assert len(call.ours.tools_call.values) == 3
    assert call.ours.sdk_floor is not None and len(call.ours.sdk_floor.values) == 3
    assert call.ours.sdk_bare is not None and len(call.ours.sdk_bare.values) == 3
    assert call.ours.sdk_send is not None and len(call.ours.sdk_send.values) == 3
    over = call.over_http
    assert over is not None and not isinstance(over, Failed), over
    assert over.request == "GET /apis/v3/tickets/details?ticket_number=8992 HTTP/1.1"
    assert all(len(x.values) == 3 for x in (over.direct_client, over.host_call, over.tools_call, over.sdk_send))
    assert any("host.py" in line and " call" in line for line in results.profile)

    text = render(results, "peers: skipped (BENCH_PEERS=0)")
    assert "Desk365 curated (44 | ? tools)" in text
    assert "tools/call ÷ direct typed client" in text
    assert "Desk365 curated: floor (bare SDK server, 1 tool)" in text
    assert "(SDK floor + direct client) ÷ direct client" in text
    assert "(bare SDK floor + direct client) ÷ direct client" in text
    assert "SDK floor with the request ÷ direct client" in text
    assert "Desk365 curated over HTTP: tools/call ÷ direct typed client" in text
    assert "How ours grows with the number of operations" in text
    assert "FAILED" not in text


def test_settings_from_environment() -> None:
    quick = Settings.from_env({"BENCH_QUICK": "1", "BENCH_CALLS": "7"})
    assert (quick.repeat, quick.gen_repeat, quick.calls, quick.vendor) == (1, 1, 7, False)
    assert [d.key for d in quick.selected()] == ["desk365", "intercom"]
    full = Settings.from_env({})
    assert [d.key for d in full.selected()] == [d.key for d in DOCS]
    assert [d.key for d in Settings.from_env({"BENCH_DOCS": "intercom-full"}).selected()] == ["intercom-full"]
    with pytest.raises(SystemExit, match="BENCH_REPEAT must be a positive integer, got '0'"):
        Settings.from_env({"BENCH_REPEAT": "0"})
    with pytest.raises(SystemExit, match="BENCH_PEERS must be 0 or 1"):
        Settings.from_env({"BENCH_PEERS": "yes"})
    with pytest.raises(SystemExit, match="BENCH_DOCS: unknown document zendesk"):
        Settings.from_env({"BENCH_DOCS": "zendesk"})


def test_missing_peers_are_a_reason_not_a_crash(tmp_path: Path) -> None:
    assert find_peers(tmp_path / "nowhere") == f"no benchmark virtualenv at {tmp_path / 'nowhere'} (run `make bench`)"


def test_probe_reports_a_server_that_dies(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import sys; sys.stderr.write('boom\\n'); sys.exit(3)"]
    with pytest.raises(ProbeError, match=r"the server closed its stdout; stderr: boom"):
        probe_stdio(argv, env={}, cwd=tmp_path)


def test_figures_ratios_and_table_notes() -> None:
    fast, slow = Series.of([0.001, 0.002, 0.003]), Series.of([0.004, 0.005, 0.006])
    assert fast.text() == "1.00 / 2.00 / 3.00 ms"
    assert ratio(fast, slow) == pytest.approx(0.4)
    assert ratio(fast, Failed("no")) is None
    assert Failed("ruff failed", 4.5).text() == "FAILED after 4.50 s: ruff failed"
    table = Table(("measure", "value"), max_cell=12)
    table.section("A section")
    table.add("a label longer than twelve", "x" * 20)
    text = table.render()
    assert "a label longer than twelve  xxxxxxx… [1]" in text
    assert text.endswith("[1] " + "x" * 20)


def test_tools_breakdown_counts_fields_and_schema_descriptions() -> None:
    tools = [{"name": "t", "inputSchema": {"type": "object", "properties": {"a": {"description": "abc"}}}}]
    parts = tools_breakdown(tools)
    assert parts["name"] == len('"name":"t",')
    assert parts["  descriptions in inputSchema"] == 3
    assert tools_bytes(tools) == len(
        '[{"name":"t","inputSchema":{"type":"object","properties":{"a":{"description":"abc"}}}}]'
    )
    assert count_operations(load_any(DOCS[0].path)) == 44


def test_scale_out_run_on_two_processes_once(postgres: PostgresServer, tmp_path: Path) -> None:
    settings = LoadSettings(clients=4, calls=20)
    [run] = run_scale(settings, tmp_path, counts=(2,), pg=postgres)
    assert run.errors == [] and len(run.latencies) == 20 and run.processes == 2
    assert len(run.end) == 2 and all(m is None or m.peak > 0 for m in run.end)
    text = render_scale(settings, [run])
    assert "2 processes" in text and "errors 0" in text and "peak RSS" in text


def test_large_document_is_the_vendor_document_replicated(tmp_path: Path) -> None:
    """The synthetic large document of ``make bench``: exact size, every reference resolves,
    every operation a tool with a name of its own."""
    from generator.load import load_document
    from generator.pipeline import build
    from tests.bench.largedoc import write_large_document

    path = write_large_document(tmp_path / "large.json", 300)
    raw = load_any(path)
    assert count_operations(raw) == 300
    ids = [op.get("operationId") for item in raw["paths"].values() for m, op in item.items() if m in METHODS]
    assert len([i for i in ids if i]) == len({i for i in ids if i})
    assert "V1contact" in raw["components"]["schemas"] and any(p.startswith("/v1/") for p in raw["paths"])
    api = build(load_document(path), "large")
    assert len(api.operations) == 300


def test_seed_workflow_figures() -> None:
    """The per-call figures of issue 13: every seed workflow call as an assistant writes it is
    answered (the one error is the 404 the knowledge-base workflow reads on purpose), and
    the default list pages are at most half their raw API bodies."""
    import anyio

    from tests.bench.workflows import WORKFLOWS, measure, render

    calls, pages = anyio.run(measure)
    assert [(c.workflow, c.step) for c in calls if c.refused] == [("Desk365: KB article after an outage", "category?")]
    assert len(calls) == sum(len(steps) for _, steps in WORKFLOWS.values())  # no retries needed
    assert all(0 < shown <= raw / 2 and items > 0 for _, raw, shown, items in pages)
    assert "total" in render(calls, pages)
