"""Components by peeling (acyclic graphs) and by Tarjan agree, in a topological order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.graph.intgraph import _tarjan, strongly_connected


def adjacency(n: int, edges: set[tuple[int, int]]) -> tuple[list[list[int]], list[list[int]]]:
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    for a, b in sorted(edges):
        if a != b:
            succ[a].append(b)
            pred[b].append(a)
    return succ, pred


graphs = st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.just(n),
    st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
    st.booleans(),
))


@settings(max_examples=300, deadline=None)
@given(graphs)
def test_components_agree_with_tarjan(case: tuple[int, Any, bool]) -> None:
    n, edges, acyclic = case
    if acyclic:  # edges only forward: no cycle, the peeling path
        edges = {(min(a, b), max(a, b)) for a, b in edges}
    succ, pred = adjacency(n, edges)
    comp_of, comps = strongly_connected(succ, pred)
    _, t_comps = _tarjan(succ)
    assert sorted(sorted(c) for c in comps) == sorted(sorted(c) for c in t_comps)
    assert all(comp_of[v] == cid for cid, comp in enumerate(comps) for v in comp)
    # Sinks first: an edge between components runs from a later one to an earlier one.
    for a, b in edges:
        if comp_of[a] != comp_of[b]:
            assert comp_of[a] > comp_of[b]
    if acyclic:
        assert all(len(c) == 1 for c in comps)
