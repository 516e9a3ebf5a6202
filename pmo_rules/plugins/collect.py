"""Call each hook on each plugin and keep only well-shaped results; report the rest."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pmo_rules.language.declarations import CheckDecl, FunctionDecl, ParamDecl
from pmo_rules.language.types import Type
from pmo_rules.model.lifecycles import GateSpec, LifecycleModel
from pmo_rules.plugins.types import (
    SUBJECT_KINDS,
    Loader,
    PluginCheck,
    PluginFunction,
    PolicyPack,
    Reporter,
)

T = TypeVar("T")


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that could not be used, or one of its hooks that failed: who, which and why."""

    plugin: str
    version: str | None
    error: str
    hook: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a failure, as reports list it."""
        return {"name": self.plugin, "version": self.version, "hook": self.hook,
                "error": self.error}


class PluginCalls(Protocol):
    """What collecting needs of the loaded plugins (manager.Plugins)."""

    @property
    def versions(self) -> Mapping[str, str | None]:
        """Each plugin's version, by name."""

    @property
    def failures(self) -> list[PluginFailure]:
        """The failures so far: collecting adds the hooks' wrong results."""

    def call_each(self, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call `hook` on each plugin separately."""


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


def collect(plugins: PluginCalls) -> Collected:
    """Call every providing hook once per plugin; wrong shapes become PluginFailures."""
    out = Collected()

    def take(hook: str, kind: str, expected: type[T], key: Callable[[T], str],
             check: Callable[[str, T], str | None] | None = None) -> list[tuple[str, T]]:
        kept: list[tuple[str, T]] = []
        for plugin, result in plugins.call_each(hook):
            if result is None:
                continue  # a plugin that provides nothing for this hook may return None
            problem = _shape(result, expected)
            if problem is not None:
                plugins.failures.append(_failure(plugins, plugin, hook, problem))
                continue
            for item in result:
                why = _malformed(item, check, plugin)
                name = key(item) if why is None else ""
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
    for _, model in take("pmo_rules_lifecycles", "lifecycles", LifecycleModel, lambda m: m.id,
                         _lifecycle_problem):
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


def _failure(plugins: PluginCalls, plugin: str, hook: str, error: str) -> Any:
    return PluginFailure(plugin, plugins.versions.get(plugin), error, hook)


def _shape(result: Any, expected: type) -> str | None:
    if not isinstance(result, list | tuple):
        return f"returned {type(result).__name__}, expected a list of {expected.__name__}"
    bad = [type(r).__name__ for r in result if not isinstance(r, expected)]
    if bad:
        return f"returned a list holding {', '.join(sorted(set(bad)))}, " \
               f"expected only {expected.__name__}"
    return None


def _malformed(item: Any, check: Callable[[str, Any], str | None] | None,
               plugin: str) -> str | None:
    """Why an item is unusable; a check that trips over the item's oddities says so too."""
    if check is None:
        return None
    try:
        return check(plugin, item)
    except Exception as exc:  # an object of the right class holding the wrong things
        return f"{type(item).__name__} is malformed ({type(exc).__name__}: {exc})"


def _name_problem(what: str, name: Any) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return f"{what} needs a name (a non-empty string), not {name!r}"
    return None


def _namespaced(plugin: str, name: str) -> str | None:
    if not name.startswith(plugin + ".") or len(name) == len(plugin) + 1:
        return f"`{name}` must be named `{plugin}.NAME` (the plugin's name, a dot, a name)"
    return None


def _params_problem(what: str, params: Any) -> str | None:
    if not isinstance(params, tuple | list) or not all(
            isinstance(p, ParamDecl) and isinstance(p.name, str) and isinstance(p.type, Type)
            and isinstance(p.required, bool) for p in params):
        return f"{what}: params must be a tuple of ParamDecl(name: str, type: Type, " \
               "required: bool)"
    return None


def _function_problem(plugin: str, fn: PluginFunction) -> str | None:
    if not isinstance(fn.decl, FunctionDecl) or not callable(fn.implementation):
        return "a PluginFunction needs a FunctionDecl and a callable implementation"
    decl = fn.decl
    problem = _name_problem("a function", decl.name) or _params_problem(
        f"function `{decl.name}`", decl.params)
    if problem is None and not (isinstance(decl.returns, Type) or callable(decl.returns)):
        problem = f"function `{decl.name}`: returns must be a Type (or a function of the " \
                  "argument types)"
    return problem or _namespaced(plugin, decl.name)


def _check_problem(plugin: str, chk: PluginCheck) -> str | None:
    if not isinstance(chk.decl, CheckDecl) or not callable(chk.implementation):
        return "a PluginCheck needs a CheckDecl and a callable implementation"
    decl = chk.decl
    problem = _name_problem("a check", decl.name) or _params_problem(
        f"check `{decl.name}`", decl.params)
    if problem is None and decl.subject not in SUBJECT_KINDS:
        problem = f"check `{decl.name}`: subject must be one of {', '.join(SUBJECT_KINDS)}, " \
                  f"not {decl.subject!r}"
    return problem or _namespaced(plugin, decl.name)


def _lifecycle_problem(plugin: str, model: LifecycleModel) -> str | None:
    problem = _name_problem("a lifecycle", model.id)
    if problem is not None:
        return problem
    if not isinstance(model.phases, tuple | list) or not model.phases or not all(
            isinstance(p, str) and p for p in model.phases):
        return f"lifecycle `{model.id}`: phases must be a non-empty tuple of names"
    if len(set(model.phases)) != len(model.phases):
        return f"lifecycle `{model.id}`: a phase is listed twice"
    if not isinstance(model.gates, tuple | list) or not all(
            isinstance(g, GateSpec) for g in model.gates):
        return f"lifecycle `{model.id}`: gates must be a tuple of GateSpec"
    problems = model.problems()
    return f"lifecycle `{model.id}`: {'; '.join(problems)}" if problems else None


def _pack_problem(plugin: str, pack: PolicyPack) -> str | None:
    problem = _name_problem("a policy pack", pack.name)
    if problem is not None:
        return problem
    if not isinstance(pack.path, str | PathLike):
        return f"policy pack `{pack.name}`: path must be a directory or file path, " \
               f"not {pack.path!r}"
    if not Path(pack.path).exists():
        return f"policy pack `{pack.name}`: `{pack.path}` does not exist"
    return None


def _loader_problem(plugin: str, loader: Loader) -> str | None:
    problem = _name_problem("a loader", loader.name)
    if problem is not None:
        return problem
    if not callable(loader.load) or not isinstance(loader.suffixes, tuple | list) \
            or not loader.suffixes or not all(isinstance(s, str) for s in loader.suffixes):
        return f"loader `{loader.name}` needs suffixes and a callable `load`"
    if any(not s.startswith(".") for s in loader.suffixes):
        return f"loader `{loader.name}`: suffixes start with a dot, like `.xml`"
    if any(f is not None and not callable(f) for f in (loader.read, loader.sniff)):
        return f"loader `{loader.name}`: `read` and `sniff` are callables (or None)"
    return None


def _reporter_problem(plugin: str, reporter: Reporter) -> str | None:
    problem = _name_problem("a reporter", reporter.name)
    if problem is not None:
        return problem
    if not callable(reporter.render):
        return f"reporter `{reporter.name}` needs a callable `render`"
    return None
