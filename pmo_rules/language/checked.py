"""What the checker hands the compiler: checked rules, resolved params, the loaded policies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pmo_rules.diagnostics import Diagnostic, Span
from pmo_rules.language.ast import Literal_, Policy, PolicyFile, Rule
from pmo_rules.language.types import Type


@dataclass(frozen=True)
class ResolvedParam:
    """A param as one policy sees it: the most derived value, the declaring policy."""

    policy: str
    name: str
    value: Literal_
    ty: Type
    tighten: Literal["up", "down"] | None
    declared_in: str
    span: Span


@dataclass(frozen=True)
class ResolvedRule:
    """A checked rule with its overrides applied, and the policy it runs under."""

    rule: Rule
    policy: str
    origin: str
    file: str
    version: str | None


@dataclass(frozen=True)
class CheckedPolicySet:
    """Every loaded policy, checked: the rules that run and the params they read."""

    files: tuple[PolicyFile, ...]
    policies: Mapping[str, Policy]
    rules: tuple[ResolvedRule, ...]
    params: Mapping[tuple[str, str], ResolvedParam]
    warnings: tuple[Diagnostic, ...] = ()
