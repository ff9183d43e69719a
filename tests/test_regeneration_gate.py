"""The regeneration gate (``helpdesk-mcp check``) and the determinism of ``generate``.

Every test works on a copy of ``openapi/`` and ``generated/`` in a temporary
folder and runs the real command line there, so nothing in the repository is
touched. ``test_checked_in_tree_is_clean`` is the gate itself on the checked-in
tree; the other tests start from a copy that ``generate`` has brought up to date,
so they test the gate's mechanics whatever state the working tree is in.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_SCRIPT = Path(sys.executable).parent / "helpdesk-mcp"
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c", "from generator.cli import main; main()"]
PKG = "generated/desk365"


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def tree(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``root`` (caches ignored)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


_IGNORE = shutil.ignore_patterns("__pycache__")


def copy_repo(dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "openapi", dst / "openapi", ignore=_IGNORE)
    shutil.copytree(ROOT / "generated", dst / "generated", ignore=_IGNORE)
    return dst


def flip_byte(path: Path, needle: bytes | None = None) -> None:
    """Change one byte of ``path`` (inside ``needle``, else in the middle)."""
    data = bytearray(path.read_bytes())
    at = data.index(needle) if needle else len(data) // 2
    data[at] = ord("#") if data[at] != ord("#") else ord("!")
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's documents and generated tree, brought up to date."""
    root = copy_repo(tmp_path_factory.mktemp("baseline"))
    done = run(root, "generate")
    assert done.returncode == 0, done.stderr
    done = run(root, "check")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def work(baseline: Path, tmp_path: Path) -> Path:
    """A fresh, clean copy of the baseline for one test to damage."""
    dst = tmp_path / "repo"
    shutil.copytree(baseline, dst, ignore=_IGNORE)
    return dst


def assert_gate_fails(root: Path, *expected: str) -> str:
    before = tree(root)
    done = run(root, "check")
    assert done.returncode == 1, done.stdout + done.stderr
    for line in expected:
        assert line in done.stderr, done.stderr
    assert tree(root) == before, "check must not write"
    return done.stderr


def test_checked_in_tree_is_clean(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    before = tree(root)
    done = run(root, "check")
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
    assert tree(root) == before


def test_clean_copy_passes(work: Path) -> None:
    before = tree(work)
    done = run(work, "check")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert tree(work) == before


@pytest.mark.parametrize("name", ["client.py", "models.py", "MANIFEST.json"])
def test_edited_generated_file_is_stale(work: Path, name: str) -> None:
    flip_byte(work / PKG / name)
    stderr = assert_gate_fails(work, f"stale: {PKG}/{name}")
    assert stderr.count("stale:") == 1, stderr


def test_edited_document_names_affected_files(work: Path) -> None:
    doc = work / "openapi" / "desk365.yaml"
    text = doc.read_text()
    needle = "Checks that the Desk365 API is up"
    assert needle in text
    doc.write_text(text.replace(needle, "Checks that the Desk365 API is up!", 1))
    stderr = assert_gate_fails(work, f"stale: {PKG}/tools/ping.py", f"stale: {PKG}/MANIFEST.json")
    assert f"{PKG}/tools/tickets.py" not in stderr  # only what the change touches


def test_deleted_file_is_missing(work: Path) -> None:
    (work / PKG / "server.py").unlink()
    assert_gate_fails(work, f"missing: {PKG}/server.py")


def test_extra_file_in_package_is_orphan(work: Path) -> None:
    (work / PKG / "extra.py").write_text("x = 1\n")
    assert_gate_fails(work, f"orphan: {PKG}/extra.py")


def test_unknown_package_is_orphan(work: Path) -> None:
    (work / "generated" / "ghost").mkdir()
    (work / "generated" / "ghost" / "x.py").write_text("x = 1\n")
    assert_gate_fails(work, "orphan: generated/ghost/x.py")


def test_generate_repairs_everything(work: Path, baseline: Path) -> None:
    flip_byte(work / PKG / "client.py")
    flip_byte(work / PKG / "models.py")
    flip_byte(work / PKG / "MANIFEST.json")
    (work / PKG / "operations.py").unlink()
    (work / PKG / "extra.py").write_text("x = 1\n")
    (work / "generated" / "ghost").mkdir()
    (work / "generated" / "ghost" / "x.py").write_text("x = 1\n")
    assert_gate_fails(
        work,
        f"stale: {PKG}/client.py",
        f"stale: {PKG}/models.py",
        f"stale: {PKG}/MANIFEST.json",
        f"missing: {PKG}/operations.py",
        f"orphan: {PKG}/extra.py",
        "orphan: generated/ghost/x.py",
    )
    done = run(work, "generate")
    assert done.returncode == 0, done.stderr
    assert not (work / "generated" / "ghost").exists()
    done = run(work, "check")
    assert done.returncode == 0, done.stderr
    assert tree(work) == tree(baseline)


def digest(root: Path) -> str:
    """One hash of every file under ``root``: the cheap comparison of a whole tree."""
    return hashlib.sha256(repr(sorted(tree(root).items())).encode()).hexdigest()


def test_generate_is_deterministic(baseline: Path, tmp_path: Path) -> None:
    """From nothing (no cache, no previous output) under another hash seed: the same bytes as
    the warm, cached run of the baseline. One cold run of the whole tree, compared by hash."""
    root = tmp_path / "cold"
    root.mkdir()
    shutil.copytree(baseline / "openapi", root / "openapi")
    done = run(root, "generate", "--no-cache", env={"PYTHONHASHSEED": "12345"})
    assert done.returncode == 0, done.stderr
    if digest(root / "generated") != digest(baseline / "generated"):
        cold, warm = tree(root / "generated"), tree(baseline / "generated")
        assert {k: v for k, v in cold.items() if warm.get(k) != v} == {}, "cold and warm runs differ"


def test_uncurated_generation_is_deterministic(tmp_path: Path) -> None:
    """The focused subset: a document with many uncurated names (hashes for clashes) twice,
    under two hash seeds, from nothing."""
    fixture = ROOT / "tests" / "fixtures" / "openapi" / "operation_ids.yaml"
    hashes = set()
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        done = run(ROOT, "generate", str(fixture), "--out", str(out), "--package", "ids", "--no-cache",
                   env={"PYTHONHASHSEED": seed})  # fmt: skip
        assert done.returncode == 0, done.stderr
        hashes.add(digest(out))
    assert len(hashes) == 1
