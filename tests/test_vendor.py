"""``helpdesk-mcp vendor``: the copy, its requirements and README, the refusals, and the
copies running in a fresh virtualenv that holds nothing but their requirements.

The end-to-end part shares one module-scoped setup: each API is vendored into a temporary
directory outside the repository, one fresh venv (``python -m venv``, no system site
packages, no pip of its own: the project's pip installs into it with ``--python``) gets the
vendored ``requirements.txt`` with ``--no-deps`` (so a missing pin would show), then the
``--pyproject`` copy is ``pip install``ed. Servers run from the temporary directories with
the repository off ``sys.path``, over stdio against the project's mock of each API
(``helpdesk_mock``) served by uvicorn on 127.0.0.1 (random port) in a thread of the test.
Install and run times are printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from mcp import Client, StdioServerParameters

from generator.cli import main
from generator.vendor import VendorError, plan_vendor, scan_imports
from helpdesk_mock import MockApp
from helpdesk_mock import serve_in_thread as serving
from tests.mocks import create_app

ROOT = Path(__file__).resolve().parents[1]
OPENAPI = ROOT / "openapi"
GENERATED = ROOT / "generated"
# what the generator needs and a vendored package must not: its own pins, minus the runtime's
GENERATOR_ONLY = {"black", "jinja2", "datamodel-code-generator", "pyyaml", "openapi-pydantic", "genson", "inflect",
                  "isort", "markupsafe", "pytest", "mypy", "ruff", "schemathesis", "pytokens"}  # fmt: skip
TIMES: dict[str, float] = {}


def vendor(*args: str) -> Any:
    """Run ``helpdesk-mcp vendor`` in-process against this repository's documents."""
    argv = ["vendor", *args, "--openapi-dir", str(OPENAPI), "--out", str(GENERATED)]
    return CliRunner().invoke(main, argv, catch_exceptions=False)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        name, _, version = line.partition("==")
        pins[canonical(name.strip())] = version.strip()
    return pins


def pins_of(requirements: str) -> dict[str, str]:
    lines = [ln for ln in requirements.splitlines() if ln and not ln.startswith("#")]
    return dict(ln.split("==") for ln in lines)


# -- the copy (in memory and on disk; no venv) ---------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of generated/ that ``generate`` has brought up to date (warm: the copied
    manifests keep it fast), so the comparison holds whatever state the working tree is in."""
    out = tmp_path_factory.mktemp("generated") / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__"))
    result = CliRunner().invoke(main, ["generate", "--openapi-dir", str(OPENAPI), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory, generated: Path) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("plans")
    return {
        api: plan_vendor(api, base / api, openapi_dir=OPENAPI, generated_dir=generated, dest_label="vendor/x")
        for api in ("desk365", "intercom")
    }


@pytest.mark.parametrize("api", ["desk365", "intercom"])
def test_package_is_the_generated_tree_byte_for_byte_without_manifest(
    plans: dict[str, Any], generated: Path, api: str
) -> None:
    plan = plans[api]
    on_disk = {
        p.relative_to(generated).as_posix(): p.read_text()
        for p in sorted((generated / api).rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.name != "MANIFEST.json"
    }
    copied = {rel: text for rel, text in plan.files.items() if rel.startswith(f"{api}/")}
    assert copied == on_disk
    assert not plan.stale
    assert sorted(set(plan.files) - set(copied)) == ["README.md", "requirements.txt"]


def test_requirements_are_the_exact_runtime_closure(plans: dict[str, Any]) -> None:
    text = plans["desk365"].files["requirements.txt"]
    pins = pins_of(text)
    assert list(pins) == sorted(pins)
    lock = lock_pins()
    assert {name: lock[name] for name in pins} == pins  # the versions the project is tested with
    assert {"pydantic", "mcp", "mcp-types", "httpx2", "uvicorn", "jsonschema", "anyio"} <= set(pins)
    assert not {"httpx", "httpcore"} & set(pins)  # one HTTP stack: the SDK's httpx2 (runtime httpstack)
    assert not GENERATOR_ONLY & set(pins)
    why = {p.name: p.required_by for p in plans["desk365"].pins}
    assert why["cryptography"] == "pyjwt"  # mcp needs pyjwt[crypto]: the extra is followed
    assert why["click"] == "uvicorn"  # a generator dependency too, but uvicorn needs it at run time
    assert "pywin32" not in pins  # a win32-only marker is not followed on this platform
    assert "vendor desk365 vendor/x --package desk365 --force" in text
    # both packages import the same runtime, so they need the same closure
    assert pins_of(plans["intercom"].files["requirements.txt"]) == pins


def test_psycopg_is_required_only_with_postgres(plans: dict[str, Any], generated: Path, tmp_path: Path) -> None:
    """The runtime's lazy psycopg import (a postgresql:// store) stays out of the default closure."""
    default = pins_of(plans["desk365"].files["requirements.txt"])
    assert not {"psycopg", "psycopg-binary", "psycopg-pool"} & set(default)
    assert "--with postgres" in plans["desk365"].files["README.md"]
    plan = plan_vendor("desk365", tmp_path, openapi_dir=OPENAPI, generated_dir=generated, dest_label="vendor/x",
                       features=["postgres"], pyproject=True)  # fmt: skip
    pins = pins_of(plan.files["requirements.txt"])
    lock = lock_pins()
    assert {name: pins[name] for name in ("psycopg", "psycopg-binary", "psycopg-pool")} == {
        name: lock[name] for name in ("psycopg", "psycopg-binary", "psycopg-pool")
    }
    assert set(pins) - set(default) == {"psycopg", "psycopg-binary", "psycopg-pool"}
    assert "--with postgres" in plan.files["requirements.txt"]
    assert f'"psycopg[binary,pool]=={lock["psycopg"]}"' in plan.files["pyproject.toml"]
    with pytest.raises(VendorError, match="--with mysql: unknown feature; known: postgres"):
        plan_vendor("desk365", tmp_path, openapi_dir=OPENAPI, generated_dir=generated, features=["mysql"])


def test_requirements_are_deterministic(tmp_path: Path, plans: dict[str, Any], generated: Path) -> None:
    again = plan_vendor("desk365", tmp_path, openapi_dir=OPENAPI, generated_dir=generated, dest_label="vendor/x")
    for name in ("requirements.txt", "README.md"):
        assert again.files[name] == plans["desk365"].files[name]


def test_readme_takes_environment_variables_from_the_api_spec(plans: dict[str, Any]) -> None:
    desk = plans["desk365"].files["README.md"]
    for text in ("\nDESK365_API_KEY=... DESK365_SUBDOMAIN=... python -m desk365\n", "`DESK365_API_KEY`",
                 "`DESK365_SUBDOMAIN`", "`DESK365_BASE_URL`", "python -m desk365 --transport http",
                 "helpdesk-mcp vendor desk365 vendor/x --package desk365 --force", "from desk365 import Desk365Client",
                 "44 MCP tools"):  # fmt: skip
        assert text in desk
    intercom = plans["intercom"].files["README.md"]
    assert "| `INTERCOM_REGION` | which server: `us` (https://api.intercom.io), `eu`" in intercom
    assert "`INTERCOM_ACCESS_TOKEN` | the credential (sent as a bearer token); required" in intercom
    assert "\nINTERCOM_ACCESS_TOKEN=... python -m intercom --transport http --port 8000\n" in intercom
    assert "DESK365" not in intercom


def test_cli_writes_renamed_copy_with_pyproject(tmp_path: Path) -> None:
    dest = tmp_path / "acme"
    result = vendor("desk365", str(dest), "--package", "acme_helpdesk", "--pyproject")
    assert result.exit_code == 0, result.output
    written = sum(1 for p in dest.rglob("*") if p.is_file())
    assert f"acme_helpdesk: {written} files, " in result.stdout and "python -m acme_helpdesk --help" in result.stdout
    assert (dest / "acme_helpdesk" / "__main__.py").read_text() == "".join(
        ["# Generated by helpdesk-mcp from desk365.yaml. Do not edit; run `make generate`.\n",
         '"""Entry point: ``python -m`` this package runs the MCP server."""\n\nimport sys\n\n',
         "from .server import main\n\nsys.exit(main())\n"])  # fmt: skip
    assert not (dest / "acme_helpdesk" / "MANIFEST.json").exists()
    pyproject = (dest / "pyproject.toml").read_text()
    assert 'name = "acme-helpdesk"' in pyproject and '"mcp==' in pyproject and "black" not in pyproject
    assert 'include = ["acme_helpdesk", "acme_helpdesk.*"]' in pyproject


def test_non_empty_dest_is_refused_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    (dest / "desk365").mkdir(parents=True)
    (dest / "desk365" / "leftover.py").write_text("old")
    (dest / "KEEP.txt").write_text("mine")
    refused = vendor("desk365", str(dest))
    assert refused.exit_code == 1
    assert refused.stderr == f"vendor: DEST {dest}: is not empty; pass --force to replace the vendored files in it\n"
    assert sorted(p.name for p in dest.rglob("*")) == ["KEEP.txt", "desk365", "leftover.py"]  # nothing written
    forced = vendor("desk365", str(dest), "--force")
    assert forced.exit_code == 0, forced.output
    assert not (dest / "desk365" / "leftover.py").exists()
    assert (dest / "KEEP.txt").read_text() == "mine"
    assert (dest / "desk365" / "tools" / "tickets.py").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch", "{dest}"], "vendor: API 'nosuch': no curated document openapi/nosuch.yaml (known: desk365, in"),
        (["desk365", "{dest}", "--package", "my-pkg"], "vendor: --package 'my-pkg': must be an ASCII Python ident"),
        (["desk365", "{dest}", "--package", "class"], "vendor: --package 'class': must be an ASCII Python ident"),
        (["desk365", "{dest}", "--package", "json"], "vendor: --package 'json': would shadow the module"),
        (["desk365", "{dest}", "--package", "mcp"], "vendor: --package 'mcp': would shadow the module"),
        (["desk365", "{file}"], "vendor: DEST {file}: exists and is not a directory"),
        (["desk365", str(GENERATED / "x")], f"vendor: DEST {GENERATED / 'x'}: overlaps this project's generated/"),
        (["desk365", str(ROOT)], f"vendor: DEST {ROOT}: overlaps this project's generated/"),
    ],
    ids=["unknown-api", "hyphen", "keyword", "stdlib", "runtime-module", "dest-file", "inside-generated", "project"],
)  # fmt: skip
def test_bad_arguments_are_refused_and_nothing_is_written(tmp_path: Path, args: list[str], message: str) -> None:
    dest, file = tmp_path / "dest", tmp_path / "file"
    file.write_text("x")
    result = vendor(*[a.format(dest=dest, file=file) for a in args])
    assert result.exit_code == 1
    assert result.stderr.startswith(message.format(file=file)), result.stderr
    assert not dest.exists() and file.read_text() == "x"
    assert not (GENERATED / "x").exists()


def test_absolute_self_import_is_refused() -> None:
    files = {
        "a.py": "from .b import c\nimport httpx\n",
        "sub/b.py": "import os\n\ndef f():\n    from desk365.c import d\n",
    }
    with pytest.raises(VendorError, match=r"sub/b.py:4: absolute import of 'desk365.c'; generated code must import"):
        scan_imports(files, {"desk365"})
    assert scan_imports({"a.py": files["a.py"]}, {"desk365"}) == ["httpx"]


# -- the copies in a fresh virtualenv ------------------------------------------------------


@contextlib.contextmanager
def mock_server(api: str) -> Iterator[tuple[MockApp, str]]:
    """The mock of ``api`` under uvicorn on 127.0.0.1 (random port), in a thread."""
    app = create_app(api)
    with serving(app) as url:
        yield app, url


@dataclass
class Venv:
    python: Path
    copies: dict[str, Path]  # package name -> directory to run it from
    env: dict[str, str]

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.python), *args], cwd=cwd, env=self.env, capture_output=True, text=True,
                              timeout=120)  # fmt: skip


def pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The project's pip, acting on another interpreter's environment."""
    cmd = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    base = tmp_path_factory.mktemp("vendored")
    assert ROOT not in base.parents
    copies = {"desk365": base / "desk365-copy", "intercom": base / "intercom-copy", "acme_helpdesk": base / "acme"}
    for args in (["desk365", str(copies["desk365"])], ["intercom", str(copies["intercom"])],
                 ["desk365", str(copies["acme_helpdesk"]), "--package", "acme_helpdesk", "--pyproject"]):  # fmt: skip
        result = vendor(*args)
        assert result.exit_code == 0, result.output
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(base / "venv")], check=True, timeout=120)
    python = base / "venv" / "bin" / "python"
    TIMES["venv"] = time.perf_counter() - started
    started = time.perf_counter()
    pip(python, "install", "--no-deps", "-r", str(copies["desk365"] / "requirements.txt"))
    TIMES["install requirements.txt (--no-deps)"] = time.perf_counter() - started
    pip(python, "check")  # --no-deps above: every requirement of every pin is itself pinned
    started = time.perf_counter()
    pip(python, "install", str(copies["acme_helpdesk"]))
    TIMES["pip install the --pyproject copy"] = time.perf_counter() - started
    installed = {canonical(d["name"]): d["version"] for d in json.loads(pip(python, "list", "--format", "json").stdout)}
    assert installed.pop("acme-helpdesk") == "3.0"
    assert installed == pins_of((copies["desk365"] / "requirements.txt").read_text())  # no pip, no setuptools
    drop = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "DESK365_", "INTERCOM_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PYTHONNOUSERSITE"] = "1"
    return Venv(python, copies, env)


@pytest.fixture(scope="module", autouse=True)
def report_times() -> Iterator[None]:
    yield
    if TIMES:
        print("\nvendor test timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in TIMES.items()))


def test_fresh_venv_holds_only_the_runtime_and_not_the_repository(venv: Venv) -> None:
    probe = "import sys, importlib.util as u; print(sys.flags.no_user_site, [m for m in ('generator', 'generated', " \
            "'black', 'jinja2', 'yaml', 'desk365') if u.find_spec(m)], sys.prefix == sys.base_prefix)"  # fmt: skip
    done = venv.run("-c", probe, cwd=venv.copies["intercom"])
    assert done.stdout.split("\n")[0] == "1 [] False", done.stderr
    config = (venv.python.parents[1] / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in config


@pytest.mark.parametrize("package", ["desk365", "intercom", "acme_helpdesk"])
def test_help_runs_from_the_copy(venv: Venv, package: str) -> None:
    cwd = venv.copies[package] if package != "acme_helpdesk" else venv.python.parents[1]  # installed: any cwd
    started = time.perf_counter()
    done = venv.run("-m", package, "--help", cwd=cwd)
    TIMES[f"python -m {package} --help"] = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: python -m {package} ")
    assert "--transport {stdio,http}" in done.stdout


def stdio(venv: Venv, package: str, cwd: Path, url: str, **env: str) -> StdioServerParameters:
    return StdioServerParameters(command=str(venv.python), args=["-m", package, "--base-url", url],
                                 env={**venv.env, **env}, cwd=str(cwd))  # fmt: skip


@pytest.mark.anyio
@pytest.mark.parametrize("package", ["desk365", "acme_helpdesk"])
async def test_desk365_copy_lists_and_calls_tools_over_stdio(venv: Venv, package: str) -> None:
    cwd = venv.copies[package] if package == "desk365" else venv.python.parents[1]
    with mock_server("desk365") as (mock, url):
        started = time.perf_counter()
        async with Client(stdio(venv, package, cwd, url, DESK365_API_KEY="k-1")) as client:
            tools = (await client.list_tools()).tools
            result = await client.call_tool("get_single_desk_365_ticket_by_id", {"ticket_number": 91})
        TIMES[f"{package}: start, tools/list, tools/call"] = time.perf_counter() - started
    assert len(tools) == 44
    assert result.is_error is False, result.content
    assert result.structured_content is not None and result.structured_content["ticket_number"] == 91
    [seen] = mock.requests
    assert (seen.method, seen.path, seen.query, seen.headers["authorization"], seen.status) == (
        "GET", "/v3/tickets/details", [("ticket_number", "91")], "k-1", 200
    )  # fmt: skip


@pytest.mark.anyio
async def test_intercom_copy_lists_and_calls_tools_over_stdio(venv: Venv) -> None:
    with mock_server("intercom") as (mock, url):
        started = time.perf_counter()
        params = stdio(venv, "intercom", venv.copies["intercom"], url, INTERCOM_ACCESS_TOKEN="tok")
        async with Client(params) as client:
            tools = (await client.list_tools()).tools
            result = await client.call_tool("get_single_intercom_admin_by_id", {"admin_id": 991267401})
        TIMES["intercom: start, tools/list, tools/call"] = time.perf_counter() - started
    assert len(tools) == 92
    assert result.is_error is False, result.content
    assert result.structured_content is not None
    assert (result.structured_content["id"], result.structured_content["name"]) == ("991267401", "Ana Ruiz")
    [seen] = mock.requests
    assert (seen.method, seen.path, seen.headers["authorization"], seen.status) == (
        "GET", "/admins/991267401", "Bearer tok", 200
    )  # fmt: skip
    assert seen.headers["intercom-version"] == "2.16"
