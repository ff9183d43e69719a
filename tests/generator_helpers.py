"""Helpers of the generator's unit tests (``tests/test_naming.py``, ``test_collision_policy.py``,
``test_ir_facts.py``, ``test_load_errors.py``): build the IR of a small YAML document written to
a temporary folder, or catch the error its load raises."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.errors import GenerationError
from generator.ir import Api
from generator.load import load_document
from generator.pipeline import build as build_ir


def build(tmp_path: Path, text: str, name: str = "doc.yaml") -> Api:
    """Load YAML ``text`` as a document file and build its IR (no models)."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    doc = load_document(path)
    api = build_ir(doc, "pkg")
    return api


def load_error(tmp_path: Path, text: str) -> GenerationError:
    with pytest.raises(GenerationError) as info:
        build(tmp_path, text)
    return info.value
