"""The package's shape: no import cycle, MkDocs/Material only in the site layer, every import declared.

The whole graph is read from the source (every `import`, also those inside functions), so a lazy
import that closes a cycle counts too."""

from __future__ import annotations

import ast
import functools
import re
import tomllib
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src"
PACKAGE = SRC / "sebabox"
SITE_LAYER = PACKAGE / "site"
ENGINE_PACKAGES = {"mkdocs", "material", "pymdownx"}  # what moving off MkDocs/Material would replace


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> list[str]:
    """Every module named by an import statement, with `from a import b` as a.b when b is a module."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {imported for imported in _imports(path) if imported in modules and imported != name}
            for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycle():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_mkdocs_and_material_are_imported_only_by_the_site_layer():
    offenders = []
    for name, path in _modules().items():
        if path.is_relative_to(SITE_LAYER):
            continue
        engine = sorted({imported for imported in _imports(path) if imported.split(".")[0] in ENGINE_PACKAGES})
        if engine:
            offenders.append(f"{path.relative_to(ROOT)}: {', '.join(engine)}")
    assert offenders == [], "move MkDocs-specific code into src/sebabox/site/"


def _requirements(extra: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return {_canonical(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]) for requirement in requirements}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _third_party(paths) -> dict[str, str]:
    """Top-level imported module -> the file that imports it, for modules that are not ours or stdlib."""
    import sys

    found = {}
    for path in paths:
        for name in _imports(path):
            top = name.split(".")[0]
            local = top in {"sebabox", "__future__"} or (ROOT / "tests" / f"{top}.py").is_file()  # conftest, browser_kit…
            if top not in sys.stdlib_module_names and not local:
                found.setdefault(top, str(path.relative_to(ROOT)))
    return found


@functools.cache
def _installed() -> dict[str, list[str]]:
    from importlib.metadata import packages_distributions

    return packages_distributions()


def _distribution(module: str) -> str:
    names = _installed().get(module)
    assert names, f"{module} is imported but no installed distribution provides it"
    return _canonical(names[0])


def test_every_imported_package_is_declared_in_pyproject():
    runtime = _requirements()
    for module, where in _third_party([*PACKAGE.rglob("*.py"), ROOT / "build_site.py"]).items():
        assert _distribution(module) in runtime, f"{where} imports {module}: add it to [project] dependencies"
    tests = runtime | _requirements("test")
    for module, where in _third_party((ROOT / "tests").glob("*.py")).items():
        assert _distribution(module) in tests, f"{where} imports {module}: add it to the test extra"


def test_constraints_pin_every_declared_package_within_its_range():
    from packaging.requirements import Requirement

    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[_canonical(name)] = version.strip()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(text)
        name = _canonical(requirement.name)
        assert name in pins, f"constraints.txt does not pin {name}: run `make constraints`"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"constraints.txt pins {name}=={pins[name]}, outside pyproject's {requirement.specifier}: run `make constraints`"
