"""Extend the language registry and the lifecycle registry with what plugins provide."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pmo_rules.engine.runtime import ENTITY_TYPES, MISSING, RuleError
from pmo_rules.language import ast
from pmo_rules.language.declarations import (
    CheckDecl,
    FunctionDecl,
    ParamDecl,
    Registry,
    builtin_registry,
)
from pmo_rules.language.types import ANY, Kind, Type
from pmo_rules.model.lifecycles import LifecycleRegistry, builtin_lifecycles
from pmo_rules.plugins import guard
from pmo_rules.plugins.manager import PluginFailure, Plugins, load_plugins
from pmo_rules.plugins.types import PluginFunction


@cache
def installed() -> Plugins:
    """The installed plugins, loaded once per process on first use (never at import)."""
    return load_plugins()


def extend_registry(registry: Registry, plugins: Plugins) -> Registry:
    """Add the plugins' function and check declarations and lifecycle phases to `registry`."""
    collected = plugins.collected
    for fn in collected.functions.values():
        if fn.decl.name not in registry.functions:
            registry.add_function(fn.decl)
    for chk in collected.checks.values():
        if chk.decl.name not in registry.checks:
            registry.add_check(chk.decl)
    for model in collected.lifecycles.values():
        registry.add_phases(model.phases)
    return registry


def plugin_registry(plugins: Plugins) -> Registry:
    """The built-in registry extended with these plugins."""
    return extend_registry(builtin_registry(), plugins)


def lifecycle_registry(plugins: Plugins) -> LifecycleRegistry:
    """The built-in lifecycles plus the plugins' (a re-export of a built-in is accepted)."""
    registry = builtin_lifecycles()
    for model in plugins.collected.lifecycles.values():
        existing = registry.get(model.id)
        if existing is None:
            registry.add(model)
        elif existing != model:
            owner = plugins.collected.owner.get(("lifecycles", model.id), "?")
            plugins.failures.append(PluginFailure(
                owner, plugins.versions.get(owner),
                f"lifecycle `{model.id}` differs from the built-in one of that id",
                "pmo_rules_lifecycles"))
    return registry


def function_implementations(plugins: Plugins) -> dict[str, Any]:
    """What RunContext.plugin_functions holds: each plugin function's implementation, called
    through the plugin guard (contained, timed, printing to stderr) and held to its
    declared result type; a failure is a RuleError naming the plugin."""
    seconds = guard.timeout()
    return {name: _guarded(fn, seconds) for name, fn in plugins.collected.functions.items()}


def _guarded(fn: PluginFunction, seconds: float) -> Callable[..., Any]:
    plugin = fn.decl.plugin or "?"
    what = f"function `{fn.decl.name}`"
    declared = fn.decl.returns if isinstance(fn.decl.returns, Type) else None
    implementation = fn.implementation
    # A call that ran out of time is not repeated for every other subject of the run.
    gave_up: list[str] = []

    def call(*args: Any, **kwargs: Any) -> Any:
        if gave_up:
            raise RuleError(gave_up[0])
        try:
            result = guard.call(plugin, what, implementation, *args, seconds=seconds, **kwargs)
        except guard.PluginError as exc:
            if exc.timed_out:
                gave_up.append(f"{exc}; not called again in this run")
            raise RuleError(str(exc)) from None
        if declared is not None and not _conforms(result, declared):
            raise RuleError(f"plugin `{plugin}`: {what} returned {type(result).__name__} "
                            f"{guard.shown(result)}, but declares {declared}")
        return result

    return call


def _conforms(value: Any, declared: Type) -> bool:
    """Whether a plugin function's result is a value of its declared type (None: missing)."""
    kind = declared.kind
    if value is None or value is MISSING or kind is Kind.ANY:
        return True
    if kind in (Kind.NUMBER, Kind.MONEY):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind in (Kind.STRING, Kind.PHASE, Kind.STAGE, Kind.SEVERITY):
        return isinstance(value, str)
    if kind is Kind.BOOL:
        return isinstance(value, bool)
    if kind is Kind.DATE:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind is Kind.DURATION:
        return isinstance(value, dt.timedelta)
    if kind is Kind.LIST:
        return isinstance(value, list | tuple) and (
            declared.elem is None or all(_conforms(v, declared.elem) for v in value))
    if kind is Kind.MAP:
        return isinstance(value, Mapping)
    return isinstance(value, ENTITY_TYPES)  # an entity: a record (or a model)


def stand_ins(
    policies: Iterable[ast.Policy], registry: Registry, plugins: Plugins
) -> dict[str, PluginFailure]:
    """Declare calls and checks of plugins that failed, so only their rules fail, at run time.

    Returns the stand-in function and check names, each with the failure it stands for.
    """
    failed = {f.plugin: f for f in reversed(plugins.failures)}
    out: dict[str, PluginFailure] = {}
    for node in _walk(list(policies)):
        if isinstance(node, ast.CheckCall) and node.name not in registry.checks:
            failure = _failure_for(node.name, failed)
            if failure is not None:
                params = tuple(ParamDecl(k, ANY, required=False) for k, _ in node.kwargs)
                registry.add_check(CheckDecl(node.name, params, "portfolio",
                                             plugin=failure.plugin))
                out[node.name] = failure
        elif isinstance(node, ast.Call) and node.func not in registry.functions:
            failure = _failure_for(node.func, failed)
            if failure is not None:
                params = tuple(ParamDecl(f"arg{i}", ANY) for i in range(len(node.args)))
                params += tuple(ParamDecl(k, ANY) for k, _ in node.kwargs)
                registry.add_function(FunctionDecl(node.func, params, ANY,
                                                   plugin=failure.plugin))
                out[node.func] = failure
    return out


def failing_implementation(name: str, failure: PluginFailure) -> Any:
    """An implementation standing in for a function of a failed plugin: it raises RuleError."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuleError(f"plugin `{failure.plugin}` failed, so `{name}` is unavailable: "
                        f"{failure.error}")

    return fail


def _failure_for(name: str, failed: dict[str, PluginFailure]) -> PluginFailure | None:
    namespace = name.split(".", 1)[0] if "." in name else None
    return failed.get(namespace) if namespace is not None else None


def _walk(node: Any) -> Iterator[Any]:
    if isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)
        return
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return
    yield node
    for f in dataclasses.fields(node):
        if f.name not in ("span", "ty", "inlined"):
            yield from _walk(getattr(node, f.name))


def unavailable(name: str, plugins: Plugins) -> str:
    """Why a check or function named `name` has no implementation in this run."""
    failure = _failure_for(name, {f.plugin: f for f in reversed(plugins.failures)})
    if failure is not None:
        where = f" in {failure.hook}" if failure.hook else ""
        return f"plugin `{failure.plugin}` failed{where}, so `{name}` is unavailable: " \
               f"{failure.error}"
    return f"no loaded plugin implements `{name}`"


def run_functions(plugins: Plugins, policies: Any) -> dict[str, Any]:
    """Implementations for RunContext: the plugins' functions, and stand-ins for failed ones."""
    out = function_implementations(plugins)
    failed = {f.plugin: f for f in reversed(plugins.failures)}
    if failed:
        for node in _walk([r.rule for r in policies.rules]):
            if isinstance(node, ast.Call) and node.kind == "plugin" and node.func not in out:
                failure = _failure_for(node.func, failed)
                if failure is not None:
                    out[node.func] = failing_implementation(node.func, failure)
    return out


def used_plugins(plugins: Plugins, policies: Any, portfolio: Any) -> set[str]:
    """The plugins a run drew on: called functions and checks, lifecycles, policy packs."""
    owner = plugins.collected.owner
    used: set[str] = set()
    for node in _walk([r.rule for r in policies.rules]):
        if isinstance(node, ast.CheckCall) and ("checks", node.name) in owner:
            used.add(owner[("checks", node.name)])
        elif isinstance(node, ast.Call) and ("functions", node.func) in owner:
            used.add(owner[("functions", node.func)])
    builtin = set(builtin_lifecycles().ids())
    default = portfolio.portfolio.default_lifecycle
    for lifecycle_id in {p.lifecycle or default for p in portfolio.projects} - builtin:
        if ("lifecycles", lifecycle_id) in owner:
            used.add(owner[("lifecycles", lifecycle_id)])
    files = [Path(f.path).resolve() for f in policies.files]
    # A pack's files are named `pack:NAME/FILE`; a pack's directory given as --policy is not.
    named = {f.path[len("pack:"):].split("/", 1)[0] for f in policies.files
             if f.path.startswith("pack:")}
    for name, pack in plugins.collected.policy_packs.items():
        root = Path(pack.path).resolve()
        if name in named or any(f == root or root in f.parents for f in files):
            used.add(owner[("policy_packs", name)])
    return used
