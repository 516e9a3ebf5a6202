"""Throwaway plugins, installed for one test as a real entry point would be.

`Installer.add(name, body)` writes a module defining `plugin` (an instance of a class
whose methods are hooks) and makes `importlib.metadata.entry_points(group="pmo_rules")` list it
beside the plugins really installed, so the command line finds it the way it finds
any third party's.
"""

from __future__ import annotations

import itertools
import sys
import textwrap
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from pmo_rules.plugins import extend

HEADER = """\
import os, signal, sys, time
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import (
    CheckContext, CheckResult, Loader, PluginCheck, PluginFunction, PolicyPack, Reporter)
from pmo_rules.language.declarations import CheckDecl, FunctionDecl, ParamDecl, entity
from pmo_rules.language.types import BOOL, NUMBER, STRING
from pmo_rules.model.lifecycles import GateSpec, LifecycleModel

"""

_COUNTER = itertools.count()


class Installer:
    """Adds throwaway plugins for the length of one test."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp = tmp
        self.monkeypatch = monkeypatch
        self.added: list[metadata.EntryPoint] = []
        real = metadata.entry_points

        def entry_points(**params: Any) -> Any:
            found = real(**params)
            if params.get("group") == "pmo_rules":
                return [*found, *self.added]
            return found

        monkeypatch.setattr(metadata, "entry_points", entry_points)
        monkeypatch.syspath_prepend(str(tmp))
        extend.installed.cache_clear()

    def add(self, name: str, body: str) -> str:
        """Install a plugin called `name` whose module holds HEADER, `body` (defining a class
    `Plugin` whose methods are hooks) and `plugin = Plugin()`, the entry point's object."""
        module = f"throwaway_{name.replace('-', '_')}_{next(_COUNTER)}"
        text = HEADER + textwrap.dedent(body) + "\nplugin = Plugin()\n"
        (self.tmp / f"{module}.py").write_text(text, encoding="utf-8")
        self.monkeypatch.delitem(sys.modules, module, raising=False)
        self.added.append(metadata.EntryPoint(name, f"{module}:plugin", "pmo_rules"))
        extend.installed.cache_clear()
        return module

    def policy(self, text: str, name: str = "p.pmo") -> Path:
        """A policy file using the throwaway plugins."""
        path = self.tmp / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path


@pytest.fixture
def throwaway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Installer]:
    """Install throwaway plugins for one test; the real installed set comes back after."""
    installer = Installer(tmp_path, monkeypatch)
    yield installer
    extend.installed.cache_clear()
