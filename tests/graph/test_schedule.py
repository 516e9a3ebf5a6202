"""Critical path and slack against a brute-force longest path, lags and leads included."""

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

DAY = dt.date(2026, 1, 1)

cases = st.integers(1, 10).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 30), min_size=n, max_size=n),  # durations in days
    # (a, b, lag): a < b, so no cycle; a pair may be linked twice with different lags
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                       st.sampled_from([0, 0, 0, 3, 10, -2, -15])), max_size=3 * n),
))


def portfolio(durations: list[int], links: list[tuple[int, int, int]]) -> LoadedPortfolio:
    projects = [Project(id=f"P-{i:02d}", name=f"p{i}", schedule={
        "forecast_start": DAY, "forecast_finish": DAY + dt.timedelta(days=d)})
        for i, d in enumerate(durations)]
    deps = []
    for k, (a, b, lag) in enumerate(links):
        a, b = min(a, b), max(a, b)
        if a == b:
            continue
        d = Dependency(predecessor=projects[a].id, successor=projects[b].id, lag_days=lag)
        d.__dict__.update(predecessor=projects[a], successor=projects[b], id=f"{a}->{b}#{k}")
        deps.append(d)
    return LoadedPortfolio(
        as_of=DAY, currency=None, pmo=Pmo(), portfolio=Portfolio(), people=[], objectives=[],
        programs=[], projects=projects, dependencies=deps, lifecycles=builtin_lifecycles(),
        sources=[], warnings=[])


@settings(max_examples=300, deadline=None)
@given(cases)
def test_critical_path_length_and_slack(case: tuple[list[int], Any]) -> None:
    durations, links = case
    lp = portfolio(durations, links)
    g = nx.DiGraph()
    g.add_nodes_from(range(len(durations)))
    lag: dict[tuple[int, int], int] = {}
    for d in lp.dependencies:
        key = (lp.projects.index(d.predecessor), lp.projects.index(d.successor))
        lag[key] = max(lag.get(key, d.lag_days), d.lag_days)  # the pair's longest lag
        g.add_edge(*key)
    early = {}
    for v in nx.topological_sort(g):
        early[v] = max([0, *(early[u] + lag[u, v] for u in g.predecessors(v))]) + durations[v]
    late = {}
    for v in reversed(list(nx.topological_sort(g))):
        late[v] = max([0, *(late[w] + lag[v, w] for w in g.successors(v))]) + durations[v]
    total = max(early.values())
    pg = PortfolioGraph(lp)
    chain = pg.critical_path()
    idx = [lp.projects.index(p) for p in chain]
    length = sum(durations[v] for v in idx) + sum(lag[a, b] for a, b in itertools.pairwise(idx))
    assert length == total
    for v, p in enumerate(lp.projects):
        assert pg.slack(p) == dt.timedelta(days=total - (early[v] + late[v] - durations[v]))
