"""The emit stage's formatting: ruff for rendered modules, the runtime copied as it is.

Generated packages are laid out in black's style. The pinned ruff formats the
rendered modules (one run per package) and the hand-written runtime is copied
byte for byte, so these tests pin the two facts that make that safe: the runtime
in the repository is already formatted, and ruff's layout of rendered modules is
black's (black is still installed: datamodel-code-generator depends on it).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator import emit
from generator.load import load_document
from generator.pipeline import build
from generator.render import RUNTIME_DIR, render_package

ROOT = Path(__file__).resolve().parents[1]


def test_runtime_is_formatted_in_the_repository() -> None:
    """What render copies verbatim must already pass ``ruff format`` (the repository's settings)."""
    from ruff.__main__ import find_ruff_bin

    done = subprocess.run(
        [str(find_ruff_bin()), "format", "--check", str(RUNTIME_DIR)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_runtime_is_copied_verbatim() -> None:
    doc = load_document(ROOT / "openapi" / "desk365.yaml")
    rendered = render_package(build(doc, "desk365"))
    assert "_runtime/http.py" in rendered.verbatim and "_runtime/quirks.py" not in rendered.verbatim
    text = rendered.files["_runtime/http.py"]
    head, _, rest = text.partition("\n")
    assert head.startswith("# Copied from generator/runtime by helpdesk-mcp for desk365.yaml")
    assert rest == (RUNTIME_DIR / "http.py").read_text()


@pytest.mark.parametrize("doc", ["openapi/intercom.yaml", "tests/fixtures/openapi/same_name.yaml"])
def test_ruff_lays_out_rendered_modules_as_black_does(doc: str) -> None:
    import black
    from black.mode import TargetVersion

    rendered = render_package(build(load_document(ROOT / doc), "pkg"))
    texts = {
        rel: text
        for rel, text in rendered.files.items()
        if rel.endswith(".py") and rel != "models.py" and rel not in rendered.verbatim
    }
    formatted = emit.format_sources(texts)
    mode = black.Mode(target_versions={TargetVersion.PY311})
    assert {rel: black.format_str(text, mode=mode) for rel, text in texts.items()} == formatted


def test_format_sources_names_a_file_that_does_not_parse() -> None:
    with pytest.raises(ValueError, match="broken.py"):
        emit.format_sources({"fine.py": "x = 1\n", "broken.py": "def f(:\n"})
    with pytest.raises(ValueError, match="dup.py"):  # only the compiler refuses this one
        emit.format_sources({"dup.py": "def f(a, a):\n    pass\n"})
