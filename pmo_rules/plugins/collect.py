"""Call each hook on each plugin and keep only well-shaped results; report the rest."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pmo_rules.language.declarations import CheckDecl, FunctionDecl
from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.plugins.types import Loader, PluginCheck, PluginFunction, PolicyPack, Reporter

if TYPE_CHECKING:
    from pmo_rules.plugins.manager import Plugins

T = TypeVar("T")


@dataclass
class Collected:
    """Everything the plugins provide, keyed by name, each with the plugin it came from."""

    functions: dict[str, PluginFunction] = field(default_factory=dict)
    checks: dict[str, PluginCheck] = field(default_factory=dict)
    lifecycles: dict[str, LifecycleModel] = field(default_factory=dict)
    policy_packs: dict[str, PolicyPack] = field(default_factory=dict)
    loaders: dict[str, Loader] = field(default_factory=dict)
    reporters: dict[str, Reporter] = field(default_factory=dict)
    owner: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, name) -> plugin

    def provides(self) -> dict[str, dict[str, list[str]]]:
        """For each plugin, the names it provides by kind (functions, checks, ...)."""
        out: dict[str, dict[str, list[str]]] = {}
        for (kind, name), plugin in sorted(self.owner.items()):
            out.setdefault(plugin, {}).setdefault(kind, []).append(name)
        return out


def collect(plugins: Plugins) -> Collected:
    """Call every providing hook once per plugin; wrong shapes become PluginFailures."""
    out = Collected()

    def take(hook: str, kind: str, expected: type[T], key: Callable[[T], str],
             check: Callable[[str, T], str | None] | None = None) -> list[tuple[str, T]]:
        kept: list[tuple[str, T]] = []
        for plugin, result in plugins.call_each(hook):
            problem = _shape(result, expected)
            if problem is not None:
                plugins.failures.append(_failure(plugins, plugin, hook, problem))
                continue
            for item in result:
                name = key(item)
                why = check(plugin, item) if check is not None else None
                if why is None and (kind, name) in out.owner:
                    why = f"{kind[:-1]} `{name}` is already provided by plugin " \
                          f"`{out.owner[(kind, name)]}`"
                if why is not None:
                    plugins.failures.append(_failure(plugins, plugin, hook, why))
                    continue
                out.owner[(kind, name)] = plugin
                kept.append((plugin, item))
        return kept

    for plugin, fn in take("pmo_rules_functions", "functions", PluginFunction,
                           lambda f: f.decl.name, _function_problem):
        out.functions[fn.decl.name] = dataclasses.replace(
            fn, decl=dataclasses.replace(fn.decl, plugin=plugin))
    for plugin, chk in take("pmo_rules_checks", "checks", PluginCheck,
                            lambda c: c.decl.name, _check_problem):
        out.checks[chk.decl.name] = dataclasses.replace(
            chk, decl=dataclasses.replace(chk.decl, plugin=plugin))
    for _, model in take("pmo_rules_lifecycles", "lifecycles", LifecycleModel, lambda m: m.id):
        out.lifecycles[model.id] = model
    for _, pack in take("pmo_rules_policy_packs", "policy_packs", PolicyPack, lambda p: p.name,
                        _pack_problem):
        out.policy_packs[pack.name] = pack
    for _, loader in take("pmo_rules_loaders", "loaders", Loader, lambda x: x.name,
                          _loader_problem):
        out.loaders[loader.name] = loader
    for _, reporter in take("pmo_rules_reporters", "reporters", Reporter, lambda r: r.name,
                            _reporter_problem):
        out.reporters[reporter.name] = reporter
    return out


def _failure(plugins: Plugins, plugin: str, hook: str, error: str) -> Any:
    from pmo_rules.plugins.manager import PluginFailure

    return PluginFailure(plugin, plugins.versions.get(plugin), error, hook)


def _shape(result: Any, expected: type) -> str | None:
    if result is None:
        return None  # a plugin that provides nothing for this hook may return None
    if not isinstance(result, list | tuple):
        return f"returned {type(result).__name__}, expected a list of {expected.__name__}"
    bad = [type(r).__name__ for r in result if not isinstance(r, expected)]
    if bad:
        return f"returned a list holding {', '.join(sorted(set(bad)))}, " \
               f"expected only {expected.__name__}"
    return None


def _namespaced(plugin: str, name: str) -> str | None:
    if not name.startswith(plugin + ".") or len(name) == len(plugin) + 1:
        return f"`{name}` must be named `{plugin}.NAME` (the plugin's name, a dot, a name)"
    return None


def _function_problem(plugin: str, fn: PluginFunction) -> str | None:
    if not isinstance(fn.decl, FunctionDecl) or not callable(fn.implementation):
        return "a PluginFunction needs a FunctionDecl and a callable implementation"
    return _namespaced(plugin, fn.decl.name)


def _check_problem(plugin: str, chk: PluginCheck) -> str | None:
    if not isinstance(chk.decl, CheckDecl) or not callable(chk.implementation):
        return "a PluginCheck needs a CheckDecl and a callable implementation"
    return _namespaced(plugin, chk.decl.name)


def _pack_problem(plugin: str, pack: PolicyPack) -> str | None:
    if not Path(pack.path).exists():
        return f"policy pack `{pack.name}`: `{pack.path}` does not exist"
    return None


def _loader_problem(plugin: str, loader: Loader) -> str | None:
    if not callable(loader.load) or not loader.suffixes:
        return f"loader `{loader.name}` needs suffixes and a callable `load`"
    if any(not s.startswith(".") for s in loader.suffixes):
        return f"loader `{loader.name}`: suffixes start with a dot, like `.xml`"
    return None


def _reporter_problem(plugin: str, reporter: Reporter) -> str | None:
    if not callable(reporter.render):
        return f"reporter `{reporter.name}` needs a callable `render`"
    return None
