"""The package's layout: no import cycles anywhere, and api.py a thin facade.

Every import counts, wherever it is written: at module level, inside a function (which
only defers a cycle to run time, it does not remove it) or under `TYPE_CHECKING`. The
stages and their entries are described in docs/architecture.md.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pmo_rules"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _imported(name: str, tree: ast.AST) -> Iterator[str]:
    """The package modules `name`'s source imports, wherever the import statement is."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module's package
                base = name.split(".")
                base = base if _is_package(name) else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                # `from package import module` imports the module itself
                yield f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target


def import_graph() -> nx.DiGraph:
    """Module -> module it imports, for every module of the package."""
    graph = nx.DiGraph()
    for name, path in MODULES.items():
        graph.add_node(name)
        for target in _imported(name, ast.parse(path.read_text("utf-8"), str(path))):
            while target and target not in MODULES:  # `import a.b.c` of a name in a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                graph.add_edge(name, target)
    # The one import by name: the CLI loads each command's module from COMMANDS.
    cli = ast.parse(MODULES["pmo_rules.cli"].read_text("utf-8"))
    for node in cli.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] \
                == ["COMMANDS"]:
            for module in ast.literal_eval(node.value).values():
                graph.add_edge("pmo_rules.cli", f"pmo_rules.cli.{module}")
    return graph


def test_every_kind_of_import_counts() -> None:
    """Function-level, TYPE_CHECKING, relative and `from package import module` imports."""
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import pmo_rules.given\n"
        "def f():\n    from pmo_rules.engine import plan\n"
        "from . import run\n"
        "from .runtime import MISSING\n"
        "from .. import timing\n")
    assert set(_imported("pmo_rules.engine.compiler", tree)) == {
        "typing", "pmo_rules.given", "pmo_rules.engine.plan", "pmo_rules.engine.run",
        "pmo_rules.engine.runtime", "pmo_rules.timing"}
    graph = import_graph()
    assert len(graph) == len(MODULES) > 100
    # the CLI imports its commands by name, from COMMANDS, to start fast
    assert "pmo_rules.cli.check" in graph["pmo_rules.cli"]


def test_no_import_cycles() -> None:
    graph = import_graph()
    cycles = [sorted(group) for group in nx.strongly_connected_components(graph)
              if len(group) > 1]
    if cycles:
        lines = []
        for group in sorted(cycles):
            cycle = nx.find_cycle(graph.subgraph(group))
            lines.append(" -> ".join([*(a for a, _ in cycle), cycle[0][0]]))
        pytest.fail("modules that import one another in a circle:\n  " + "\n  ".join(lines))


# The public API, name by name with its signature: moving code behind the facade must not
# change what a program calling it sees.
API = {
    "check": "(portfolio: 'LoadedPortfolio', policies: 'CheckedPolicySet', *, waivers: "
             "'str | Path | Sequence[Waiver] | None' = None, params: 'Mapping[str, str] | None'"
             " = None, as_of: 'dt.date | None' = None, fail_on: 'str | None' = None, select: "
             "'Iterable[str]' = (), ignore: 'Iterable[str]' = (), show_passes: 'bool' = False, "
             "progress: 'Callable[[int], Callable[[], None]] | None' = None, fast: 'bool' = "
             "True, plugins: 'Plugins | None' = None, waiver_rules: 'WaiverRules | None' = None,"
             " as_of_source: 'str' = 'api', max_steps: 'int | None' = None) -> 'Report'",
    "load_lifecycles": "(paths: 'Iterable[str | Path]', *, plugins: 'Plugins | None' = None) "
                       "-> 'list[LifecycleModel]'",
    "load_policies": "(paths: 'Sequence[str | Path]', registry: 'Any | None' = None, *, "
                     "plugins: 'Plugins | None' = None, packs: 'Iterable[str]' = (), "
                     "parents_from: 'Sequence[str | Path]' = (), parent_packs: "
                     "'Iterable[str]' = (), lifecycles: 'Iterable[LifecycleModel]' = ()) "
                     "-> 'CheckedPolicySet'",
    "load_portfolio": "(path: 'str | Path', *, as_of: 'dt.date | None' = None, plugins: "
                      "'Plugins | None' = None, from_: 'str | None' = None, mapping: "
                      "'str | Path | None' = None, lifecycles: 'Iterable[LifecycleModel]' = ())"
                      " -> 'LoadedPortfolio'",
    "pack_directories": "(packs: 'Iterable[str]', *, plugins: 'Plugins | None' = None) "
                        "-> 'list[Path]'",
    "select_rules": "(rules: 'Sequence[ResolvedRule]', select: 'Iterable[str]' = (), "
                    "ignore: 'Iterable[str]' = ()) -> 'list[ResolvedRule]'",
    "load_waivers": "(path: 'str | Path') -> 'list[Waiver]'",
}
# The engine modules api.py may import: the run's entry and the public types and helpers
# it hands out. Evaluating anything needs evaluate.py, plan.py or runtime.py: not listed.
API_ENGINE_IMPORTS = {"pmo_rules.engine.run", "pmo_rules.engine.selection",
                      "pmo_rules.engine.report", "pmo_rules.engine.waivers"}


def test_api_is_a_facade() -> None:
    """api.py holds no code: it re-exports each stage's public entry, signatures unchanged."""
    from pmo_rules import api

    tree = ast.parse((PACKAGE / "api.py").read_text("utf-8"))
    for node in tree.body:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        names_all = isinstance(node, ast.Assign) and [
            t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]
        assert docstring or names_all or isinstance(node, ast.Import | ast.ImportFrom), (
            f"api.py line {node.lineno} is code: move it to the stage it belongs to")
    engine = set(import_graph()["pmo_rules.api"]) - {"pmo_rules.engine"}
    engine = {m for m in engine if m.startswith("pmo_rules.engine")}
    assert engine <= API_ENGINE_IMPORTS, f"api.py reaches into the engine: {engine}"
    assert api.check.__module__ == "pmo_rules.engine.run"
    assert set(api.__all__) == set(API) - {"select_rules"} | {"Report", "WaiverRules"}
    for name, signature in API.items():
        assert str(inspect.signature(getattr(api, name))) == signature, name


def test_only_outside_callers_use_the_facade() -> None:
    """The API is for programs outside the package; the CLI and `pmo_rules.testing` (for
    plugin authors' tests) are such callers. Inside, a stage calls the stage it needs."""
    graph = import_graph()
    callers = {name for name in graph.predecessors("pmo_rules.api")}
    inside = {name for name in callers
              if not (name.startswith("pmo_rules.cli") or name == "pmo_rules.testing")}
    assert not inside, f"modules that should call the stage, not the facade: {inside}"
