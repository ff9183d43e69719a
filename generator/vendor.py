"""``helpdesk-mcp vendor``: a self-contained copy of a generated package for another repository.

The copy is planned in memory, then written in one go (:func:`plan_vendor`, then
:func:`write_vendor`), so a refused or failed run writes nothing:

``package``     the files ``generate`` writes for the API (taken from the same in-memory
                plan, so the copy is current even when ``generated/`` is not), under the
                chosen name. Generated code imports its own modules only relatively
                (``from ._runtime.http import ...``) and names itself through
                ``__package__``, so renaming is moving the folder: every file is copied
                byte for byte. :func:`scan_imports` checks that rule instead of rewriting
                text; an absolute self-import is a generator bug and stops vendoring.
                ``MANIFEST.json`` stays behind: it is the regeneration cache of
                ``generated/`` (hashes keyed to its paths), meaningless in another
                repository and never read at run time; the README records the source
                document's hash instead.
``requirements.txt``  the exact runtime closure: the distributions that provide the
                package's third-party imports, followed through their ``Requires-Dist``
                metadata (markers evaluated for this interpreter and platform, extras
                honoured), each pinned to the installed version, sorted by name. The
                generator's own dependencies never appear unless the runtime needs them.
                Imports of an optional runtime feature (``generator.parts.OPTIONAL``:
                psycopg for a PostgreSQL endpoint store) are left out unless the feature
                is asked for (``--with postgres``), which adds its requirements instead.
``README.md``   how to install and run the copy, its environment variables (from the IR
                the package was rendered from, so they cannot drift from the code), and
                the exact command that regenerates it.
``pyproject.toml`` (``--pyproject``) a minimal setuptools project, so ``pip install DEST``
                works and ``python -m NAME`` runs from anywhere.
"""

from __future__ import annotations

import ast
import json
import keyword
import platform
import re
import shlex
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .errors import GenerationError
from .ir import Api
from .parts import OPTIONAL

__all__ = [
    "VendorError",
    "VendorPlan",
    "plan_vendor",
    "write_vendor",
    "scan_imports",
    "requirement_closure",
]

MANIFEST = "MANIFEST.json"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class VendorError(Exception):
    """Vendoring was refused; the message names the argument or file and the rule."""


@dataclass(frozen=True)
class Pin:
    """One pinned distribution: canonical name, installed version, why it is needed."""

    name: str
    version: str
    required_by: str


@dataclass
class VendorPlan:
    """Everything one ``vendor`` run writes, keyed by path relative to DEST."""

    dest: Path
    package: str
    files: dict[str, str]
    pins: list[Pin]
    stale: bool


# -- imports ------------------------------------------------------------------------------


def scan_imports(files: Mapping[str, str], forbidden: Iterable[str]) -> list[str]:
    """The top-level third-party modules the package's ``.py`` files import, sorted.

    Every ``import`` statement counts, including the lazy ones inside functions and
    under ``TYPE_CHECKING``. An absolute import of a name in ``forbidden`` (the
    package's own name, ``generated``) would break once the folder moves, so it
    raises naming the file and line.
    """
    forbidden = set(forbidden)
    found: set[str] = set()
    for rel, text in sorted(files.items()):
        if not rel.endswith(".py"):
            continue
        try:
            tree = ast.parse(text, filename=rel)
        except SyntaxError as exc:
            raise VendorError(f"{rel}: does not parse: {exc}") from None
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in forbidden:
                    raise VendorError(
                        f"{rel}:{node.lineno}: absolute import of {name!r}; generated code must import its own "
                        "modules relatively, so it keeps working under another name (fix the generator's templates)"
                    )
                if top not in sys.stdlib_module_names:
                    found.add(top)
    return sorted(found)


def _distributions_of(modules: Iterable[str]) -> list[str]:
    provided = metadata.packages_distributions()
    dists: set[str] = set()
    for module in modules:
        owners = provided.get(module)
        if not owners:
            raise VendorError(f"the generated code imports {module!r}, which no installed distribution provides")
        dists.update(owners)
    return sorted(dists, key=_canonical)


# -- requirements -------------------------------------------------------------------------


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_closure(roots: Iterable[str]) -> list[Pin]:
    """Pin ``roots`` and everything they require, from the installed distributions' metadata.

    Markers are evaluated for the running interpreter and platform; an extra named in a
    requirement (``pyjwt[crypto]``) brings in the requirements that extra adds. Each
    installed version must satisfy every specifier that reached it. Sorted by canonical
    name, so the result depends only on the environment, not on traversal order.
    """
    from packaging.requirements import InvalidRequirement, Requirement

    pins: dict[str, Pin] = {}
    done: set[tuple[str, str]] = set()
    queue: list[tuple[str, str]] = [(name, "(imported by the package)") for name in roots]
    while queue:
        text, parent = queue.pop(0)
        try:
            req = Requirement(text)
        except InvalidRequirement as exc:
            raise VendorError(f"{parent}: cannot read requirement {text!r}: {exc}") from None
        key = _canonical(req.name)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            raise VendorError(f"{req.name} (required by {parent}) is not installed") from None
        version = dist.version
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            raise VendorError(f"{req.name} {version} is installed but {parent} requires {req.name}{req.specifier}")
        if key not in pins:
            pins[key] = Pin(key, version, parent)
        for extra in ("", *sorted(req.extras)):
            if (key, extra) in done:
                continue
            done.add((key, extra))
            for line in dist.requires or []:
                child = Requirement(line)
                if child.marker is None or child.marker.evaluate({"extra": extra}):
                    queue.append((line, key))
    return [pins[k] for k in sorted(pins)]


def _requirements_txt(pins: list[Pin], command: str) -> str:
    impl = f"{platform.python_implementation()} {sys.version_info.major}.{sys.version_info.minor}"
    lines = [
        "# Runtime requirements of the vendored package: exact versions, the complete closure.",
        f"# Resolved for {impl} on {sys.platform}, from helpdesk-mcp's environment; regenerate with",
        f"#   {command}",
    ]
    lines += [f"{p.name}=={p.version}" for p in pins]
    return "\n".join(lines) + "\n"


# -- the README ------------------------------------------------------------------------


def _environment(api: Api) -> list[tuple[str, str]]:
    """(variable, meaning) rows for the README, in the order a user sets them."""
    how = {"bearer": "sent as a bearer token", "basic": "sent with HTTP basic authentication"}
    auth = "; ".join(how.get(a.kind, f"sent in the `{a.param}` {a.kind}") for a in api.auth_schemes)
    rows = [(api.credential_env, "the credential" + (f" ({auth})" if auth else "") + "; required")]
    if api.server_choice_env:
        names = ", ".join(f"`{s.name}` ({s.url})" for s in api.servers)
        rows.append((api.server_choice_env, f"which server: {names}; default `{api.default_server}`"))
    seen = {api.credential_env, api.server_choice_env}
    for server in api.servers:
        for name, default, env in server.variables:
            if env not in seen:
                seen.add(env)
                rows.append((env, f"the `{name}` in {server.url}; required (the placeholder default is `{default}`)"))
    rows.append((api.base_url_env, "send every request here instead (a mock, a proxy); same as `--base-url`"))
    return rows


# -- plan and write -----------------------------------------------------------------------


def _check_package_name(package: str, runtime_modules: set[str]) -> None:
    if not _NAME.match(package) or keyword.iskeyword(package):
        raise VendorError(
            f"--package {package!r}: must be an ASCII Python identifier (letters, digits, _; not a keyword)"
        )
    if package in sys.stdlib_module_names or package in runtime_modules:
        raise VendorError(f"--package {package!r}: would shadow the module of the same name; choose another name")


def _check_dest(dest: Path, project_dirs: Iterable[Path]) -> None:
    target = dest.resolve()
    for d in project_dirs:
        d = d.resolve()
        if target == d or d in target.parents or target in d.parents:
            raise VendorError(f"DEST {dest}: overlaps this project's {d.name}/; vendor into another directory")
    if target.exists() and not target.is_dir():
        raise VendorError(f"DEST {dest}: exists and is not a directory")


def plan_vendor(
    api_name: str,
    dest: Path,
    *,
    package: str | None = None,
    pyproject: bool = False,
    openapi_dir: Path = Path("openapi"),
    generated_dir: Path = Path("generated"),
    dest_label: str | None = None,
    features: Iterable[str] = (),
) -> VendorPlan:
    """Plan the copy of ``api_name`` into ``dest`` (nothing is written).

    ``dest_label`` is DEST as the user typed it, for the regeneration command in the
    README (default: ``dest`` as given). ``features`` names optional runtime features
    (:data:`generator.parts.OPTIONAL`) whose requirements the copy needs too.
    """
    features = sorted(set(features))
    unknown = [f for f in features if f not in OPTIONAL]
    if unknown:
        raise VendorError(f"--with {unknown[0]}: unknown feature; known: {', '.join(sorted(OPTIONAL))}")
    from .pipeline import curated_documents, run_document
    from .render import environment

    if package is not None:
        _check_package_name(package, set())
    documents = {p.stem: p for p in curated_documents(openapi_dir)}
    if api_name not in documents:
        known = ", ".join(sorted(documents)) or f"none in {openapi_dir}"
        raise VendorError(f"API {api_name!r}: no curated document openapi/{api_name}.yaml (known: {known})")
    _check_dest(dest, [generated_dir, openapi_dir])
    path = documents[api_name]
    try:
        result = run_document(path, generated_dir, source=path.name)
    except GenerationError as exc:
        raise VendorError(str(exc)) from None
    source_pkg = result.api.package
    package = package or source_pkg
    generated = {rel: text for rel, text in result.plan.files.items() if rel != MANIFEST}

    optional_modules = {m for modules, _ in OPTIONAL.values() for m in modules}
    found = scan_imports(generated, {source_pkg, generated_dir.name, "generated", "generator"})
    roots = _distributions_of([m for m in found if m not in optional_modules])
    extra_roots = [req for f in features for req in OPTIONAL[f][1]]
    pins = requirement_closure([*roots, *extra_roots])
    runtime_modules = {m for m, owners in metadata.packages_distributions().items()
                       if any(_canonical(o) in {p.name for p in pins} for o in owners)}  # fmt: skip
    _check_package_name(package, runtime_modules)

    label = dest_label if dest_label is not None else str(dest)
    argv = ["helpdesk-mcp", "vendor", api_name, label, "--package", package]
    argv += [arg for f in features for arg in ("--with", f)]
    command = shlex.join(argv + (["--pyproject"] if pyproject else []) + ["--force"])
    api = result.api
    # the variables the server insists on without --base-url (runtime.server._missing_config)
    required = [api.credential_env] + [env for s in api.servers[:1] for _, _, env in s.variables]
    by_name = {p.name: p for p in pins}
    direct = [by_name[_canonical(r)] for r in roots] + [_direct_pin(r, by_name) for r in extra_roots]
    context = {
        "api": api,
        "api_name": api_name,
        "package": package,
        "client_class": api.client_class,
        "tool_count": len(api.operations),
        "source": path.name,
        "sha256": api.sha256,
        "environment": _environment(api),
        "required_env": required,
        "env_prefix": " ".join(f"{name}=..." for name in required),
        "command": command,
        "pyproject": pyproject,
        "direct": direct,
        "features": features,
        "project_name": package.replace("_", "-"),
        "version": _pep440(api.version),
    }
    env = environment()
    env.filters["toml"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    files = {f"{package}/{rel}": text for rel, text in sorted(generated.items())}
    files["README.md"] = env.get_template("vendor_README.md.j2").render(**context)
    files["requirements.txt"] = _requirements_txt(pins, command)
    if pyproject:
        files["pyproject.toml"] = env.get_template("vendor_pyproject.toml.j2").render(**context)
    return VendorPlan(dest, package, files, pins, stale=not result.plan.clean)


def _direct_pin(requirement: str, by_name: Mapping[str, Pin]) -> Pin:
    """A feature's requirement pinned, extras kept (``psycopg[binary,pool]==3.3.9``)."""
    from packaging.requirements import Requirement

    req = Requirement(requirement)
    pin = by_name[_canonical(req.name)]
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    return Pin(pin.name + extras, pin.version, pin.required_by)


def _pep440(version: str) -> str:
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(version))
    except InvalidVersion:
        return "0"


def write_vendor(plan: VendorPlan, *, force: bool = False) -> None:
    """Write the plan. A non-empty DEST is refused unless ``force``; with it, DEST/<package>
    is replaced whole and the top-level files are overwritten (anything else stays)."""
    dest = plan.dest
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise VendorError(f"DEST {dest}: is not empty; pass --force to replace the vendored files in it")
    package_dir = dest / plan.package
    try:
        if package_dir.is_symlink() or package_dir.is_file():
            package_dir.unlink()
        elif package_dir.is_dir():
            shutil.rmtree(package_dir)
        for rel, text in sorted(plan.files.items()):
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode())
    except OSError as exc:
        raise VendorError(f"DEST {dest}: cannot write: {exc}") from None
