"""``helpdesk-mcp``: the generator's command line (click).

helpdesk-mcp generate                 every openapi/*.yaml -> generated/<name>/
helpdesk-mcp generate DOC --out DIR --package NAME
helpdesk-mcp check                    the regeneration gate: exit 1 naming every stale,
                                      missing or orphan file; writes nothing
helpdesk-mcp tools DOC [--json]       the tools a document yields, in document order
helpdesk-mcp vendor API DEST [--package NAME] [--pyproject] [--with postgres] [--force]
                                      a self-contained copy of a generated package
helpdesk-mcp mock API [--port 4010] ...  a stateful mock of a curated API (helpdesk_mock)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import GenerationError
from .parts import OPTIONAL

__all__ = ["main"]


def _fail(exc: GenerationError) -> None:
    click.echo(str(exc), err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="helpdesk-mcp", message="%(prog)s %(version)s")
def main() -> None:
    """Generate typed clients and MCP servers from OpenAPI documents."""


@main.command()
@click.argument("doc", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("generated"),
    show_default=True,
    help="Folder that receives the package.",
)
@click.option("--package", help="Package name (default: x-api.name, else the file name).")
@click.option(
    "--openapi-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("openapi"),
    show_default=True,
    help="Where the curated documents are (without DOC).",
)
@click.option("--no-cache", is_flag=True, help="Format everything again, ignoring MANIFEST.json.")
def generate(doc: Path | None, out: Path, package: str | None, openapi_dir: Path, no_cache: bool) -> None:
    """Generate DOC, or every curated document, and write the result."""
    from .emit import apply
    from .pipeline import plan_reference, run_all, run_document

    started = time.perf_counter()
    try:
        if doc is None:
            results, root = run_all(openapi_dir, out, use_cache=not no_cache)
            plans = [r.plan for r in results] + [root, plan_reference(openapi_dir)]
        else:
            result = run_document(doc, out, package=package, source=doc.name, use_cache=not no_cache)
            results, plans = [result], [result.plan]
    except GenerationError as exc:
        _fail(exc)
        return
    except ValueError as exc:  # generated code that does not parse: a generator bug, said plainly
        click.echo(f"generate: {exc}", err=True)
        sys.exit(1)
    for r in results:
        for warning in r.api.warnings:
            click.echo(f"{r.api.source}: {warning}", err=True)
    changed = sum(len(apply(p)) for p in plans)
    for r in results:
        click.echo(
            f"{r.api.package}: {len(r.api.operations)} tools, tools/list {r.tools_list_bytes:,} bytes "
            f"({r.discovery_bytes:,} with --discovery), {len(r.plan.files)} files ({r.plan.formatted} formatted)"
        )
        if r.recommend_discovery:
            click.echo(
                f"  {r.api.package}: {len(r.api.operations)} tools are more than a model chooses among well: "
                f"serve them with --discovery (3 tools that search, describe and call them; "
                f"tools/list {r.discovery_bytes:,} bytes instead of {r.tools_list_bytes:,})"
            )
    click.echo(f"{changed} file(s) written or removed in {time.perf_counter() - started:.2f} s")


@main.command()
@click.option(
    "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("generated"), show_default=True
)
@click.option(
    "--openapi-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("openapi"), show_default=True
)
@click.option("--no-cache", is_flag=True, help="Format everything again, ignoring MANIFEST.json.")
def check(out: Path, openapi_dir: Path, no_cache: bool) -> None:
    """Exit 1 if anything under generated/ differs from what generate would write."""
    from .pipeline import plan_reference, run_all

    try:
        results, root = run_all(openapi_dir, out, use_cache=not no_cache)
        reference = plan_reference(openapi_dir)
    except (GenerationError, ValueError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    problems = []
    for plan in [r.plan for r in results] + [root, reference]:
        for kind, paths in (("stale", plan.stale), ("missing", plan.missing), ("orphan", plan.orphans)):
            problems += [f"{kind}: {(plan.root / p).as_posix()}" for p in paths]
    if problems:
        click.echo("generated files are out of date (run `make generate`):", err=True)
        for line in problems:
            click.echo(f"  {line}", err=True)
        sys.exit(1)
    click.echo(f"generated/ is up to date ({sum(len(r.plan.files) for r in results)} files)")


@main.command()
@click.argument("doc", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Name, method, path and category as JSON.")
def tools(doc: Path, as_json: bool) -> None:
    """List the tools DOC yields, one name per line, in document order."""
    from .load import load_document
    from .pipeline import build, package_name

    try:
        document = load_document(doc, source=doc.name)
        api = build(document, package_name(document, doc))
    except GenerationError as exc:
        _fail(exc)
        return
    for warning in api.warnings:  # what was skipped or left out, and where
        click.echo(f"{api.source}: {warning}", err=True)
    if as_json:
        rows = [
            {"name": op.tool.name, "method": op.method, "path": op.path, "category": op.tool.category}
            for op in api.operations
        ]
        click.echo(json.dumps(rows, indent=2))
    else:
        for op in api.operations:
            click.echo(op.tool.name)


@main.command()
@click.argument("api")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--package", help="Python package name of the copy (default: the API's package name).")
@click.option("--pyproject", is_flag=True, help="Also write a minimal pyproject.toml (pip install DEST).")
@click.option("--force", is_flag=True, help="Write into a non-empty DEST, replacing DEST/<package>.")
@click.option(
    "--with",
    "features",
    multiple=True,
    type=click.Choice(sorted(OPTIONAL)),
    help="Also require an optional feature's packages (postgres: psycopg for a postgresql:// endpoint store).",
)
@click.option(
    "--openapi-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("openapi"), show_default=True
)
@click.option(
    "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("generated"), show_default=True
)
def vendor(
    api: str,
    dest: Path,
    package: str | None,
    pyproject: bool,
    force: bool,
    features: tuple[str, ...],
    openapi_dir: Path,
    out: Path,
) -> None:
    """Copy API's generated package into DEST with a README and its runtime requirements."""
    from .vendor import VendorError, plan_vendor, write_vendor

    try:
        plan = plan_vendor(
            api, dest, package=package, pyproject=pyproject, openapi_dir=openapi_dir, generated_dir=out,
            dest_label=click.format_filename(dest), features=features,
        )  # fmt: skip
        write_vendor(plan, force=force)
    except VendorError as exc:
        click.echo(f"vendor: {exc}", err=True)
        sys.exit(1)
    if plan.stale:
        click.echo(f"note: {out / api} is out of date; the copy is fresh from {openapi_dir / api}.yaml", err=True)
    click.echo(
        f"{api} -> {dest / plan.package}: {len(plan.files)} files, {len(plan.pins)} pinned requirements; "
        f"try: cd {dest} && python -m {plan.package} --help"
    )


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True}, add_help_option=False)
@click.pass_context
def mock(ctx: click.Context) -> None:
    """Run a stateful mock of a curated API (desk365, intercom); see `mock --help`."""
    from helpdesk_mock.serve import command  # imported here: the mock loads only when it runs

    command.main(args=ctx.args, prog_name="helpdesk-mcp mock")
