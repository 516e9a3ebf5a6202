"""PortfolioGraph: the dependency graph of a loaded portfolio and its graph functions.

Two graphs, both with edges from predecessor to successor:
- the project graph: one node per project; a dependency between milestones (or
  a milestone and a project) is lifted to the projects that own them, and a
  lifted edge inside one project is dropped (a project does not wait on itself);
- the detailed graph: projects and milestones as declared, used when a graph
  function is asked about a milestone.
Whole-graph results (components, cycles, critical path, depth) are computed
once, on first use, and cached for the run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pmo_rules.graph.intgraph import Reach, reachable, shortest_path, strongly_connected
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.model.records import Dependency, Milestone, Project

if TYPE_CHECKING:  # networkx costs a tenth of a second to import; only exports need it
    import networkx as nx

Node = Project | Milestone
Direction = Literal["ancestors", "descendants"]


class ReachWitness:
    """A planned reach (PortfolioGraph.reach_witness): called with a project, the chain
    (p, ..., witness) or None; `found` answers only whether there is one, without
    building the chain (the verdict needs no more; evidence reads the chain)."""

    __slots__ = ("_has", "_pindex", "_projects", "_reach")

    def __init__(self, reach: Reach, projects: Sequence[Project],
                 pindex: dict[int, int]) -> None:
        self._reach = reach
        self._has = reach.has
        self._projects = projects
        self._pindex = pindex

    def __call__(self, p: Project) -> tuple[Project, ...] | None:
        chain = self._reach.chain(self._pindex[id(p)])
        return None if chain is None else tuple(map(self._projects.__getitem__, chain))

    def found(self, p: Project) -> bool:
        """Whether a matching project lies strictly up- or downstream of `p`."""
        return self._has[self._pindex[id(p)]]


class _IntGraph:
    """Nodes 0..n-1 with successor and predecessor lists, and their components."""

    def __init__(self, nodes: Sequence[Node], edges: list[tuple[int, int]]) -> None:
        self.nodes = nodes
        n = len(nodes)
        succ: list[list[int]] = [[] for _ in range(n)]
        pred: list[list[int]] = [[] for _ in range(n)]
        for a, b in dict.fromkeys(edges):  # distinct edges, first occurrence first
            if a != b:
                succ[a].append(b)
                pred[b].append(a)
        self.succ = succ
        self.pred = pred

    @cached_property
    def components(self) -> tuple[list[int], list[list[int]]]:
        """Component of each node, and components downstream-first (a topological order)."""
        return strongly_connected(self.succ, self.pred)

    @cached_property
    def cyclic(self) -> list[bool]:
        """Per node, whether it lies on a cycle (its component has more than one node)."""
        comp_of, comps = self.components
        sizes = [len(c) for c in comps]
        return [sizes[c] > 1 for c in comp_of]

    @cached_property
    def depth(self) -> list[int]:
        """Longest upstream chain per node, counted over components (a cycle adds nothing)."""
        comp_of, comps = self.components
        comp_depth = [0] * len(comps)
        for cid in range(len(comps) - 1, -1, -1):  # upstream components first
            best = 0
            for v in comps[cid]:
                for u in self.pred[v]:
                    cu = comp_of[u]
                    if cu != cid and comp_depth[cu] + 1 > best:
                        best = comp_depth[cu] + 1
            comp_depth[cid] = best
        return [comp_depth[comp_of[v]] for v in range(len(self.nodes))]


class PortfolioGraph:
    """The dependency graph of one portfolio; entity arguments are Projects or Milestones."""

    def __init__(self, portfolio: LoadedPortfolio) -> None:
        self.portfolio = portfolio
        self.projects: list[Project] = portfolio.projects
        pindex = self._pindex = {id(p): i for i, p in enumerate(self.projects)}
        deps = portfolio.dependencies
        edges = getattr(portfolio, "project_edges", None)
        if edges is not None and len(edges) == len(deps):
            self._projects = _IntGraph(self.projects, edges)
            return
        try:
            edges = [(pindex[id(d.predecessor)], pindex[id(d.successor)]) for d in deps]
        except KeyError:  # a milestone at one end: lift it to its project
            edges = [(pindex[id(_owner(d.predecessor))], pindex[id(_owner(d.successor))])
                     for d in deps]
        self._projects = _IntGraph(self.projects, edges)

    # -- the networkx views ---------------------------------------------------------------

    @cached_property
    def nx_graph(self) -> nx.DiGraph:
        """The detailed graph in networkx: nodes are ids, edges carry their Dependency."""
        import networkx as nx

        g = nx.DiGraph()
        for p in self.projects:
            g.add_node(p.id, entity=p, kind="project")
            for m in p.milestones:
                g.add_node(m.id, entity=m, kind="milestone")
        for d in self.portfolio.dependencies:
            g.add_edge(_id(d.predecessor), _id(d.successor), dependency=d)
        return g

    @cached_property
    def project_nx_graph(self) -> nx.DiGraph:
        """The project graph in networkx: nodes are project ids."""
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(p.id for p in self.projects)
        g.add_edges_from(
            (self.projects[a].id, self.projects[b].id)
            for a, succ in enumerate(self._projects.succ) for b in succ
        )
        return g

    @cached_property
    def _detailed(self) -> tuple[_IntGraph, dict[int, int]]:
        nodes: list[Node] = []
        for p in self.projects:
            nodes.append(p)
            nodes.extend(p.milestones)
        index = {id(e): i for i, e in enumerate(nodes)}
        edges = [(index[id(d.predecessor)], index[id(d.successor)])
                 for d in self.portfolio.dependencies]
        return _IntGraph(nodes, edges), index

    def _graph_of(self, e: Node) -> tuple[_IntGraph, int]:
        if isinstance(e, Milestone):
            graph, index = self._detailed
            return graph, index[id(e)]
        return self._projects, self._pindex[id(e)]

    # -- per-entity functions -------------------------------------------------------------

    def predecessors(self, e: Node) -> list[Node]:
        """Direct prerequisites of `e`, sorted by id."""
        g, v = self._graph_of(e)
        return _by_id(g.nodes, g.pred[v])

    def successors(self, e: Node) -> list[Node]:
        """Direct dependents of `e`, sorted by id."""
        g, v = self._graph_of(e)
        return _by_id(g.nodes, g.succ[v])

    def ancestors(self, e: Node) -> list[Node]:
        """Every transitive prerequisite of `e`, never `e` itself, sorted by id."""
        g, v = self._graph_of(e)
        return _sorted(g.nodes[u] for u in reachable(v, g.pred))

    def descendants(self, e: Node) -> list[Node]:
        """Every transitive dependent of `e`, never `e` itself, sorted by id."""
        g, v = self._graph_of(e)
        return _sorted(g.nodes[w] for w in reachable(v, g.succ))

    def path(self, a: Node, b: Node) -> list[Node] | None:
        """The shortest dependency chain from `a` to `b` (both included), or None."""
        if isinstance(a, Milestone) or isinstance(b, Milestone):
            graph, index = self._detailed
            chain = shortest_path(index[id(a)], index[id(b)], graph.succ)
        else:
            graph = self._projects
            chain = shortest_path(self._pindex[id(a)], self._pindex[id(b)], graph.succ)
        return None if chain is None else [graph.nodes[v] for v in chain]

    def in_cycle(self, e: Node) -> bool:
        """Whether `e` lies on a dependency cycle."""
        v = self._pindex.get(id(e))
        if v is not None:  # a project (called per project by rules: kept short)
            return self._projects.cyclic[v]
        g, v = self._graph_of(e)
        return g.cyclic[v]

    def depth(self, e: Node) -> int:
        """Length of the longest upstream chain of `e` (a cycle counts once)."""
        g, v = self._graph_of(e)
        return g.depth[v]

    def slack(self, e: Node) -> dt.timedelta | None:
        """Total float of a project (a milestone: of its project); None without dates."""
        p = _owner(e)
        value = self._schedule[1][self._pindex[id(p)]]
        return None if value is None else dt.timedelta(days=value)

    def on_critical_path(self, e: Node) -> bool:
        """Whether a project (a milestone: its project) is on `critical_path()`."""
        return self._pindex[id(_owner(e))] in self._critical_set

    # -- whole-portfolio results, cached --------------------------------------------------

    @cached_property
    def _cycles(self) -> list[list[Project]]:
        _, comps = self._projects.components
        found = [_sorted(self.projects[v] for v in c) for c in comps if len(c) > 1]
        return sorted(found, key=lambda c: c[0].id)

    def cycles(self) -> list[list[Project]]:
        """One list of projects per cycle (strongly connected component), each sorted by id."""
        return [list(c) for c in self._cycles]

    @cached_property
    def _schedule(self) -> tuple[list[int], list[int | None]]:
        """Critical chain and slack per project, in days.

        A chain's length is the sum of its projects' durations plus the lags of its
        edges; edges inside a cycle are ignored (a cycle has no schedule order).
        """
        g = self._projects
        comp_of, comps = g.components
        n = len(self.projects)
        dur = [_duration(p) for p in self.projects]
        weight = [d or 0 for d in dur]
        lag = self._lags()
        order = [v for c in reversed(comps) for v in c]  # upstream first
        early = [0] * n  # longest chain ending at v, v included
        best_pred = [-1] * n
        # The lags that are not 0, by edge end: most edges have none, and need no look-up.
        lag_in: dict[int, dict[int, int]] = {}
        lag_out: dict[int, dict[int, int]] = {}
        for (u, v), days in lag.items():
            if days:
                lag_in.setdefault(v, {})[u] = days
                lag_out.setdefault(u, {})[v] = days
        no_lags: dict[int, int] = {}
        pred, succ = g.pred, g.succ
        for v in order:  # (hot loops at 100k projects: locals only)
            best, arg = 0, -1
            cv = comp_of[v]
            lags_in = lag_in.get(v, no_lags)
            for u in pred[v]:
                if comp_of[u] != cv:
                    cand = early[u] + lags_in.get(u, 0)
                    if cand > best or (cand == best and arg == -1):
                        best, arg = cand, u
            early[v] = best + weight[v]
            best_pred[v] = arg
        late = [0] * n  # longest chain starting at v, v included
        for v in reversed(order):
            best = 0
            cv = comp_of[v]
            lags_out = lag_out.get(v, no_lags)
            for w in succ[v]:
                if comp_of[w] != cv:
                    cand = late[w] + lags_out.get(w, 0)
                    if cand > best:
                        best = cand
            late[v] = best + weight[v]
        if n == 0:
            return [], []
        total = max(early)
        end = min((v for v in range(n) if early[v] == total),
                  key=lambda v: self.projects[v].id)
        chain = [end]
        while best_pred[chain[-1]] != -1:
            chain.append(best_pred[chain[-1]])
        slack: list[int | None] = [
            None if dur[v] is None else total - (early[v] + late[v] - weight[v])
            for v in range(n)
        ]
        return chain[::-1], slack

    def _lags(self) -> dict[tuple[int, int], int]:
        lags: dict[tuple[int, int], int] = {}
        get, pindex = lags.get, self._pindex
        for d in self.portfolio.dependencies:
            a, b = d.predecessor, d.successor
            if isinstance(a, Project) and isinstance(b, Project):
                key = (pindex[id(a)], pindex[id(b)])
                lag, old = d.lag_days, get(key)
                if old is None or lag > old:  # the longest lag of the pair's dependencies
                    lags[key] = lag
        return lags

    @cached_property
    def _critical_set(self) -> frozenset[int]:
        return frozenset(self._schedule[0])

    def critical_path(self) -> list[Project]:
        """The longest schedule chain (durations plus lags), from first to last project."""
        return [self.projects[v] for v in self._schedule[0]]

    # -- the quantifier pass --------------------------------------------------------------

    def reach_witness(
        self, matches: Callable[[Project], bool], direction: Direction
    ) -> ReachWitness:
        """For every project at once: a matching project strictly up- or downstream, as a chain.

        `matches` runs once per project; one pass over the components in
        topological order follows, O(projects + dependencies). The function
        returned gives (p, ..., witness) or None; a project's own match never
        counts for itself, but another member of its cycle does.
        """
        g = self._projects
        matched = [bool(matches(p)) for p in self.projects]
        comp_of, comps = g.components
        if direction == "ancestors":
            reach = Reach(matched, g.pred, g.succ, comp_of, comps[::-1])
        elif direction == "descendants":
            reach = Reach(matched, g.succ, g.pred, comp_of, comps)
        else:
            raise ValueError(f"direction must be ancestors or descendants, not {direction!r}")
        return ReachWitness(reach, self.projects, self._pindex)

    def edges(self) -> list[tuple[Dependency, bool, bool]]:
        """Every dependency with (in a cycle, on the critical path), for exports."""
        out = []
        crit = self._critical_set
        chain = self._schedule[0]
        crit_pairs = set(itertools.pairwise(chain))
        comp_of, _ = self._projects.components
        for d in self.portfolio.dependencies:
            a = self._pindex[id(_owner(d.predecessor))]
            b = self._pindex[id(_owner(d.successor))]
            cyc = a != b and comp_of[a] == comp_of[b]
            out.append((d, cyc, (a, b) in crit_pairs and a in crit))
        return sorted(out, key=lambda t: str(t[0].id))


def _owner(e: Any) -> Project:
    return e if isinstance(e, Project) else e.project


def _id(e: Any) -> str:
    ident: str = e.id
    return ident


def _duration(p: Project) -> int | None:
    start, finish = p.start, p.finish
    if start is None or finish is None:
        return None
    return max((finish - start).days, 0)


_BY_ID = operator.attrgetter("id")


def _sorted(items: Any) -> list[Any]:
    return sorted(items, key=_BY_ID)


def _by_id(nodes: Sequence[Node], picked: Sequence[int]) -> list[Any]:
    """`nodes[i]` for each i picked, sorted by id (most projects have one neighbour or none:
    nothing to sort)."""
    found = [nodes[i] for i in picked]
    return found if len(found) < 2 else _sorted(found)
