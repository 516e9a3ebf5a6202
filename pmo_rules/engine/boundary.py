"""The one interface between the reference closures and the generated fast path.

A rule is evaluated by two paths with one meaning. The closures (compiler.py) are the
reference: every expression compiles to a Python closure, and they alone produce
evidence. The fast path (fastpath.py) generates one Python function per rule, for
speed only. They meet at exactly four points, all typed here, so that neither module
imports the other:

- `FastRule`: the generated loop sorts a rule's subjects into passed, left to check,
  and not applicable. The evaluator (evaluate.py) keeps its passes and gives every
  other subject to the closures, which explain the failure or record the error: the
  two paths can only differ in speed.
- `Closures`: what generated code may borrow from the closures of the same rule, for
  an expression it does not generate itself (a define's body, a planned join or graph
  quantifier, a value computed once per run).
- `Predicates`: how the closures borrow generated code: a planned graph quantifier asks
  for a generated witness test. The plan (plan.py) gives the compiler
  `fastpath.predicate` on the fast path and nothing with `fast=False`.
- `Invariants`: likewise, a value computed once per run (an aggregate or quantifier
  over a whole collection, reading no subject) asks for a generated function computing
  it, so that both paths share one fast computation (`fastpath.invariant`; nothing with
  `fast=False`). Where that function raises, the closure computes the value, so errors
  keep the closures' messages.

tests/engine/test_fastpath.py checks that the two paths agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from pmo_rules.engine.joins import Join
from pmo_rules.engine.runtime import Compiled, RunContext
from pmo_rules.language import ast

FastRule = Callable[[Sequence[Any]], tuple[list[Any], list[Any], int]]
"""A generated rule loop: subjects -> (passed, to re-check with the closures, n/a count)."""


class Reach(Protocol):
    """A planned graph quantifier's reach: the chain from a project to a witness, or None;
    `found` whether there is one (no chain built)."""

    def __call__(self, entity: Any) -> tuple[Any, ...] | None:
        """The chain (entity, ..., witness), or None."""

    def found(self, entity: Any) -> bool:
        """Whether a witness lies up- or downstream of `entity`."""


class Closures(Protocol):
    """The part of the closure compiler that generated code may use."""

    @property
    def defines(self) -> Mapping[str, ast.Define]:
        """The defines the rule's policy sees, by name."""

    @property
    def closures(self) -> Mapping[int, Compiled]:
        """Every compiled closure, by id() of its node."""

    @property
    def reach(self) -> Mapping[int, Reach]:
        """Planned graph quantifiers' reaches, by id() of the quantifier."""

    @property
    def joins(self) -> Mapping[int, Join]:
        """Quantifiers and aggregates planned as index lookups, by id() of the node."""

    def compile(self, node: ast.Expr) -> Compiled:
        """The closure computing `node`."""


Witness = Callable[[Any], bool]
Predicates = Callable[[ast.Quantifier, RunContext, Closures, Witness], Witness | None]
"""(quantifier, run, closures, the closures' own witness test) -> a generated witness
test, or None where the fast path does not generate it."""

Invariants = Callable[[ast.Expr, RunContext, Closures], Callable[[], Any] | None]
"""(expression, run, closures) -> a generated function computing the expression's value
(None for missing), or None where the fast path does not generate it."""

__all__ = ["Closures", "FastRule", "Invariants", "Predicates", "Reach", "Witness"]
