"""Emit layer: format in memory, then write (deleting orphans) or check.

This is the only layer that touches the output tree, and it owns the cache that
keeps regeneration fast. Rendered modules are formatted by the pinned ruff in one
run per package (:mod:`generator.formatting`). Two kinds of file are never
formatted here: the hand-written runtime, copied as it is in the repository
(``make lint`` keeps it formatted there; render marks these files *verbatim*),
and the models module, formatted by the models stage before it is cached.

Formatting is never repeated for unchanged output: each package's
``MANIFEST.json`` records, per file, the hash of the unformatted text (with the
formatter's version) and of the formatted file. When the rendered text and the
file on disk both match the record, the file on disk *is* the formatted result.
The models module works the same way: :class:`DiskModelCache` hands the render
stage the ``models.py`` on disk, with the class map recorded beside it, when the
manifest's key for the models input matches. A missing or edited file, or a
changed template, falls back to real work.

``check`` never writes: it returns the stale, missing and orphan paths.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .formatting import format_sources, formatter_version
from .models import Models

__all__ = ["DiskModelCache", "Manifest", "Plan", "apply", "format_sources", "plan_tree", "sha"]

MANIFEST = "MANIFEST.json"


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@dataclass
class Manifest:
    """Hashes of one generated package (see the module docstring)."""

    source_sha256: str = ""
    models_key: str = ""
    models_classes: dict[str, str] = field(default_factory=dict)
    files: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        try:
            data = json.loads((directory / MANIFEST).read_text())
            # A manifest without the class map predates it: its models are made again.
            key = data.get("models_key", "") if "models_classes" in data else ""
            return cls(
                data.get("source_sha256", ""), key, dict(data.get("models_classes", {})), dict(data.get("files", {}))
            )
        except (OSError, ValueError, AttributeError):
            return cls()

    def render(self) -> str:
        data = {
            "source_sha256": self.source_sha256,
            "models_key": self.models_key,
            "models_classes": dict(sorted(self.models_classes.items())),
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, indent=2, sort_keys=False) + "\n"


class DiskModelCache:
    """The models module of the previous run of one package, if its input is unchanged.

    It is the module on disk when the manifest records the same models key and the
    file still has the recorded hash (an edited file is regenerated)."""

    def __init__(self, directory: Path, previous: Manifest | None) -> None:
        self.directory = directory
        self.previous = previous

    def get(self, key: str) -> Models | None:
        previous = self.previous
        if previous is None or not key or previous.models_key != key:
            return None
        disk = _disk(self.directory / "models.py")
        if disk is None or sha(disk) != previous.files.get("models.py", {}).get("sha"):
            return None
        return Models(disk.decode(), dict(previous.models_classes), key)


@dataclass
class Plan:
    """The formatted tree of one output directory and how it differs from disk."""

    root: Path
    files: dict[str, str]
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    formatted: int = 0

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.orphans)


def _disk(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def plan_tree(
    root: Path,
    rendered: Mapping[str, str],
    previous: Manifest | None,
    manifest: Manifest | None,
    *,
    owned: bool = True,
    verbatim: Collection[str] = (),
) -> Plan:
    """Format ``rendered`` (reusing ``previous``'s record) and compare with ``root``.

    The new hashes are recorded in ``manifest``, written as ``MANIFEST.json``.
    Files in ``verbatim`` (the copied runtime) and ``models.py`` are kept as given.

    With ``owned`` every other file under ``root`` is an orphan; ``__pycache__``
    folders are ignored.
    """
    version = formatter_version() if manifest is not None else ""
    plan = Plan(root, {})
    disk = {rel: _disk(root / rel) for rel in rendered}
    todo: dict[str, str] = {}
    raw_keys: dict[str, str] = {}
    for rel, text in rendered.items():
        on_disk = disk[rel]
        if rel.endswith(".py") and rel != "models.py" and rel not in verbatim and manifest is not None:
            raw_key = raw_keys[rel] = sha(version + "\0" + text)
            record = previous.files.get(rel, {}) if previous is not None else {}
            if record.get("raw") == raw_key and on_disk is not None and sha(on_disk) == record.get("sha"):
                plan.files[rel] = on_disk.decode()
            else:
                todo[rel] = text
        else:
            plan.files[rel] = text
    formatted = format_sources(todo)
    plan.formatted = len(formatted)
    for rel in rendered:  # document order, as rendered
        out = plan.files[rel] if rel in plan.files else formatted[rel]
        plan.files[rel] = out
        if manifest is not None:
            manifest.files[rel] = {"raw": raw_keys[rel], "sha": sha(out)} if rel in raw_keys else {"sha": sha(out)}
        on_disk = disk[rel]
        if on_disk is None:
            plan.missing.append(rel)
        elif on_disk != out.encode():
            plan.stale.append(rel)
    plan.files = {rel: plan.files[rel] for rel in rendered}
    if manifest is not None:
        text = manifest.render()
        plan.files[MANIFEST] = text
        on_disk = _disk(root / MANIFEST)
        if on_disk is None:
            plan.missing.append(MANIFEST)
        elif on_disk != text.encode():
            plan.stale.append(MANIFEST)
    if owned and root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(root).as_posix()
            if rel not in plan.files:
                plan.orphans.append(rel)
    return plan


def apply(plan: Plan) -> list[str]:
    """Write the plan: changed and missing files, then delete orphans. Returns paths touched."""
    touched: list[str] = []
    for rel in plan.stale + plan.missing:
        path = plan.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(plan.files[rel].encode())
        touched.append(rel)
    for rel in plan.orphans:
        (plan.root / rel).unlink()
        touched.append(rel)
    for directory in sorted({p for p in plan.root.rglob("*") if p.is_dir()}, reverse=True):
        if directory.name != "__pycache__" and not any(directory.iterdir()):
            directory.rmdir()
    return touched
