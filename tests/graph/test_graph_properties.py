"""Graph functions against networkx's own algorithms, on random graphs with cycles."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.graph.portfolio_graph import PortfolioGraph
from pmo_rules.model.entities import Dependency, Pmo, Portfolio, Project
from pmo_rules.model.lifecycles import builtin_lifecycles
from pmo_rules.model.portfolio import LoadedPortfolio


def build(n: int, edges: list[tuple[int, int]], red: set[int]) -> tuple[LoadedPortfolio, Any]:
    projects = [
        Project(id=f"P-{i:03d}", name=f"p{i}", health={"overall": "red" if i in red else "green"})
        for i in range(n)
    ]
    deps = []
    for a, b in sorted(set(edges)):
        if a != b:
            d = Dependency(predecessor=projects[a].id, successor=projects[b].id)
            d.__dict__.update(predecessor=projects[a], successor=projects[b], id=f"{a}->{b}")
            deps.append(d)
    lp = LoadedPortfolio(
        as_of=dt.date(2026, 1, 1), currency=None, pmo=Pmo(), portfolio=Portfolio(), people=[],
        objectives=[], programs=[], projects=projects, dependencies=deps,
        lifecycles=builtin_lifecycles(), sources=[], warnings=[],
    )
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((a, b) for a, b in edges if a != b)
    return lp, g


graphs = st.integers(1, 14).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
    st.sets(st.integers(0, n - 1)),
))


@settings(max_examples=200, deadline=None)
@given(graphs)
def test_ancestors_descendants_cycles_match_networkx(case: tuple[int, Any, Any]) -> None:
    n, edges, red = case
    lp, ref = build(n, edges, red)
    pg = PortfolioGraph(lp)
    ids = [p.id for p in lp.projects]
    sccs = {frozenset(c) for c in nx.strongly_connected_components(ref) if len(c) > 1}
    assert {frozenset(ids.index(p.id) for p in c) for c in pg.cycles()} == sccs
    for i, p in enumerate(lp.projects):
        assert [ids.index(a.id) for a in pg.ancestors(p)] == sorted(nx.ancestors(ref, i))
        assert [ids.index(a.id) for a in pg.descendants(p)] == sorted(nx.descendants(ref, i))
        assert p not in pg.ancestors(p)
        assert pg.in_cycle(p) == any(i in c for c in sccs)
        assert [ids.index(x.id) for x in pg.predecessors(p)] == sorted(ref.predecessors(i))


@settings(max_examples=200, deadline=None)
@given(graphs)
def test_reach_witness_matches_brute_force(case: tuple[int, Any, Any]) -> None:
    n, edges, red = case
    lp, ref = build(n, edges, red)
    pg = PortfolioGraph(lp)
    for direction, brute in (("ancestors", nx.ancestors), ("descendants", nx.descendants)):
        witness = pg.reach_witness(lambda p: p.health.overall == "red", direction)
        for i, p in enumerate(lp.projects):
            chain = witness(p)
            expected = any(j in red for j in brute(ref, i))
            assert (chain is not None) == expected
            if chain is None:
                continue
            idx = [lp.projects.index(x) for x in chain]
            assert idx[0] == i and idx[-1] != i and idx[-1] in red
            for a, b in itertools.pairwise(idx):
                edge = (b, a) if direction == "ancestors" else (a, b)
                assert ref.has_edge(*edge), (idx, edge)


@settings(max_examples=100, deadline=None)
@given(graphs)
def test_path_and_depth_match_networkx(case: tuple[int, Any, Any]) -> None:
    n, edges, _ = case
    lp, ref = build(n, edges, set())
    pg = PortfolioGraph(lp)
    cond = nx.condensation(ref)
    longest = {c: 0 for c in cond}
    for c in nx.topological_sort(cond):
        for s in cond.successors(c):
            longest[s] = max(longest[s], longest[c] + 1)
    for i, a in enumerate(lp.projects):
        assert pg.depth(a) == longest[cond.graph["mapping"][i]]
        for j, b in enumerate(lp.projects):
            got = pg.path(a, b)
            if nx.has_path(ref, i, j):
                assert got is not None and len(got) == nx.shortest_path_length(ref, i, j) + 1
                assert got[0] is a and got[-1] is b
            else:
                assert got is None
