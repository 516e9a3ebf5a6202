"""Build the plugin manager: load each `pmo_rules` entry point in isolation and collect hooks."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy

from pmo_rules.plugins import guard, hookspecs
from pmo_rules.plugins.collect import Collected, collect
from pmo_rules.plugins.collect import PluginFailure as PluginFailure  # where it was
from pmo_rules.plugins.hookspecs import PROJECT_NAME

TRACE_ENV = "PMO_RULES_TRACE_PLUGINS"
HOOKS: tuple[str, ...] = (
    "pmo_rules_functions",
    "pmo_rules_checks",
    "pmo_rules_lifecycles",
    "pmo_rules_policy_packs",
    "pmo_rules_loaders",
    "pmo_rules_reporters",
    "pmo_rules_portfolio_loaded",
)


@dataclass
class Plugins:
    """The loaded plugins of a run, what they provide, and every plugin that failed."""

    manager: pluggy.PluginManager
    versions: dict[str, str | None] = field(default_factory=dict)
    failures: list[PluginFailure] = field(default_factory=list)
    trace: bool = False
    _collected: Collected | None = None

    @property
    def collected(self) -> Collected:
        """What every plugin's hooks returned, validated (computed once)."""
        if self._collected is None:
            self._collected = collect(self)
        return self._collected

    def names(self) -> list[str]:
        """The registered plugin names, sorted."""
        return sorted(self.versions)

    def hook_functions(self, hook: str) -> list[tuple[str, Callable[..., Any]]]:
        """Each plugin's implementation of `hook`, in registration order, with its name."""
        out = []
        for impl in reversed(getattr(self.manager.hook, hook).get_hookimpls()):
            name = self.manager.get_name(impl.plugin) or impl.plugin_name
            out.append((name, _taking(impl.function, impl.argnames)))
        return out

    def call_each(self, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call `hook` on each plugin separately; a plugin that raises is recorded, not fatal."""
        out: list[tuple[str, Any]] = []
        for name, function in self.hook_functions(hook):
            started = time.perf_counter()
            try:
                result = guard.call(name, f"hook {hook}", function, **kwargs)
            except guard.PluginError as exc:
                self._trace(f"{hook} -> {name}: {exc.reason}")
                self.failures.append(PluginFailure(
                    name, self.versions.get(name), exc.reason, hook))
                continue
            ms = (time.perf_counter() - started) * 1000
            self._trace(f"{hook} -> {name}: {_describe(result)} in {ms:.1f} ms")
            out.append((name, result))
        return out

    def failed_plugin(self, name: str) -> PluginFailure | None:
        """The first failure recorded for the plugin called `name`, if any."""
        return next((f for f in self.failures if f.plugin == name), None)

    def report_entries(self, used: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The Report's `plugins` list: name, version, provides, and failures.

        With `used`, only those plugins and the ones that failed are listed, so a
        report does not change with plugins installed but irrelevant to the run.
        """
        provides = self.collected.provides()
        keep = set(used) if used is not None else None
        out: list[dict[str, Any]] = []
        for name in self.names():
            if keep is not None and name not in keep and self.failed_plugin(name) is None:
                continue
            errors = [f.to_dict() for f in self.failures if f.plugin == name]
            out.append({"name": name, "version": self.versions[name],
                        "provides": provides.get(name, {}), "failed": errors})
        for failure in self.failures:
            if failure.plugin not in self.versions and failure.hook is None:
                out.append({"name": failure.plugin, "version": failure.version,
                            "provides": {}, "failed": [failure.to_dict()]})
        return out

    def _trace(self, line: str) -> None:
        if self.trace:
            print(f"pmo-rules plugins: {line}", file=sys.stderr)


def _taking(function: Callable[..., Any], names: Iterable[str]) -> Callable[..., Any]:
    """`function`, called with only the keyword arguments it declares (pluggy's rule: an
    implementation may take fewer arguments than the spec)."""
    wanted = tuple(names)

    def call(**kwargs: Any) -> Any:
        return function(**{k: kwargs[k] for k in wanted if k in kwargs})

    return call


def _describe(result: Any) -> str:
    if isinstance(result, list | tuple):
        return f"{len(result)} item(s)"
    return type(result).__name__


def new_manager() -> pluggy.PluginManager:
    """An empty PluginManager that knows the pmo_rules hookspecs."""
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    return manager


def load_plugins(
    extra: Mapping[str, object] | Iterable[tuple[str, object]] = (),
    *,
    entry_points: bool = True,
    trace: bool | None = None,
    discover: Callable[[], Iterable[metadata.EntryPoint]] | None = None,
) -> Plugins:
    """Build the PluginManager: installed `pmo_rules` entry points, then `extra` (name, plugin)."""
    if trace is None:
        trace = os.environ.get(TRACE_ENV, "") not in ("", "0")
    plugins = Plugins(new_manager(), trace=trace)
    if trace:
        plugins.manager.trace.root.setwriter(
            lambda text: print(f"pmo-rules plugins: {text}", end="", file=sys.stderr))
        plugins.manager.enable_tracing()
    if entry_points:
        found = discover() if discover is not None else metadata.entry_points(group=PROJECT_NAME)
        for ep in sorted(found, key=lambda e: e.name):
            _load_entry_point(plugins, ep)
    items = extra.items() if isinstance(extra, Mapping) else extra
    for name, plugin in items:
        _register(plugins, name, plugin, _module_version(plugin))
    return plugins


def _load_entry_point(plugins: Plugins, ep: metadata.EntryPoint) -> None:
    version = ep.dist.version if ep.dist is not None else None
    if ep.name in plugins.versions:
        plugins.failures.append(PluginFailure(
            ep.name, version, f"another plugin is already registered as `{ep.name}`"))
        return
    try:  # any import-time failure, sys.exit() included, must not stop the run
        plugin = guard.call(ep.name, "import", ep.load)
    except guard.PluginError as exc:
        plugins._trace(f"load {ep.name} ({ep.value}) failed: {exc.reason}")
        plugins.failures.append(PluginFailure(ep.name, version, exc.reason))
        return
    _register(plugins, ep.name, plugin, version)


def _register(plugins: Plugins, name: str, plugin: object, version: str | None) -> None:
    manager = plugins.manager
    try:
        manager.register(plugin, name=name)
        manager.check_pending()
    except Exception as exc:  # a bad hook signature, an unknown hook name, an odd object
        if manager.is_registered(plugin):
            manager.unregister(plugin)
        plugins.failures.append(PluginFailure(name, version, f"{type(exc).__name__}: {exc}"))
        return
    plugins._trace(f"registered {name} {version or ''}".rstrip())
    plugins.versions[name] = version


def _module_version(plugin: object) -> str | None:
    version = getattr(plugin, "__version__", None)
    return version if isinstance(version, str) else None
