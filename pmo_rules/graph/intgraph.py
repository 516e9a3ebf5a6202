"""Graph algorithms on int-indexed adjacency lists: the hot loops of a 100k-project run.

networkx would pay per-node Python overhead through dict-of-dict lookups; here
nodes are 0..n-1 and edges plain lists, and every function is linear.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

Adjacency = Sequence[Sequence[int]]


def strongly_connected(
    succ: Adjacency, pred: Adjacency | None = None
) -> tuple[list[int], list[list[int]]]:
    """(component of each node, components sinks-first): every component a single node
    in reverse topological order when the graph has no cycle, else Tarjan's.

    With `pred` (the reverse adjacency, without repeated edges or self-loops), an
    acyclic graph is recognised by peeling sources (Kahn), three times faster than
    Tarjan's bookkeeping; most portfolios have no cycle. Callers rely only on the
    components and on their order being topological, which both ways give.
    """
    if pred is not None:
        order = _peeled(succ, pred)
        if order is not None:
            order.reverse()
            comp_of = [0] * len(order)
            for cid, v in enumerate(order):
                comp_of[v] = cid
            return comp_of, [[v] for v in order]
    return _tarjan(succ)


def _peeled(succ: Adjacency, pred: Adjacency) -> list[int] | None:
    """The nodes in a topological order (sources first), or None when a cycle is left."""
    waiting = [len(p) for p in pred]
    order = [v for v, k in enumerate(waiting) if not k]
    append = order.append
    for v in order:  # grows as nodes become sources
        for w in succ[v]:
            left = waiting[w] - 1
            waiting[w] = left
            if not left:
                append(w)
    return order if len(order) == len(waiting) else None


def _tarjan(succ: Adjacency) -> tuple[list[int], list[list[int]]]:
    """Tarjan's algorithm, iterative: (component of each node, components sinks-first)."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp_of = [-1] * n
    comps: list[list[int]] = []
    stack: list[int] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        # Each frame keeps an iterator over its edges: resuming a node costs no allocation.
        work = [(root, iter(succ[root]))]
        while work:
            v, edges = work[-1]
            for w in edges:
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, iter(succ[w])))
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                lv = low[v]
                if work:
                    parent = work[-1][0]
                    if lv < low[parent]:
                        low[parent] = lv
                if lv == index[v]:
                    cid = len(comps)
                    if stack[-1] == v:  # the usual case: a node on no cycle
                        stack.pop()
                        on_stack[v] = False
                        comp_of[v] = cid
                        comps.append([v])
                        continue
                    comp: list[int] = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        comp_of[w] = cid
                        comp.append(w)
                        if w == v:
                            break
                    comps.append(comp)
    return comp_of, comps


def reachable(start: int, adj: Adjacency) -> set[int]:
    """Every node reachable from `start` by at least one edge, never `start` itself."""
    seen = set(adj[start])
    queue = deque(seen)
    while queue:
        for w in adj[queue.popleft()]:
            if w not in seen:
                seen.add(w)
                queue.append(w)
    seen.discard(start)
    return seen


def shortest_path(a: int, b: int, succ: Adjacency) -> list[int] | None:
    """The shortest chain of nodes a..b (breadth first), or None."""
    if a == b:
        return [a]
    parent = {a: a}
    queue = deque([a])
    while queue:
        v = queue.popleft()
        for w in succ[v]:
            if w not in parent:
                parent[w] = v
                if w == b:
                    chain = [b]
                    while chain[-1] != a:
                        chain.append(parent[chain[-1]])
                    return chain[::-1]
                queue.append(w)
    return None


NONE = -1
LAZY = -2  # a matching node inside a cycle: its chain is found by a search on demand


class Reach:
    """For every node, whether a matching node lies strictly upstream along `inward` edges.

    `inward[v]` are the nodes v is reached from (predecessors for ancestors,
    successors for descendants); `outward` is the opposite. One pass over the
    components in order (upstream first) sets a parent pointer per node; the
    chain to a witness is read back by following pointers.
    """

    def __init__(
        self, matched: list[bool], inward: Adjacency, outward: Adjacency,
        comp_of: list[int], comps_upstream_first: Sequence[list[int]],
    ) -> None:
        self.matched = matched
        self.inward = inward
        self.comp_of = comp_of
        n = len(matched)
        has = [False] * n
        par = [NONE] * n
        for comp in comps_upstream_first:
            if len(comp) == 1:
                v = comp[0]
                edges = inward[v]
                for u in edges:
                    if matched[u]:
                        has[v], par[v] = True, u
                        break
                else:
                    for u in edges:
                        if has[u] and u != v:
                            has[v], par[v] = True, u
                            break
                continue
            cid = comp_of[comp[0]]
            entry = NONE
            entry_from = NONE
            for x in comp:
                for u in inward[x]:
                    if comp_of[u] != cid and (matched[u] or has[u]):
                        entry, entry_from = x, u
                        break
                if entry != NONE:
                    break
            sources = [w for w in comp if matched[w]]
            if sources:
                # Breadth first from the matching members, within the component.
                queue = deque(sources)
                seen = set(sources)
                while queue:
                    v = queue.popleft()
                    for w in outward[v]:
                        if comp_of[w] == cid and w not in seen:
                            seen.add(w)
                            has[w], par[w] = True, v
                            queue.append(w)
                for w in sources:
                    if len(sources) > 1 or entry != NONE:
                        has[w], par[w] = True, LAZY
            elif entry != NONE:
                has[entry], par[entry] = True, entry_from
                queue = deque([entry])
                seen = {entry}
                while queue:
                    v = queue.popleft()
                    for w in outward[v]:
                        if comp_of[w] == cid and w not in seen:
                            seen.add(w)
                            has[w], par[w] = True, v
                            queue.append(w)
        self.has = has
        self.par = par

    def chain(self, v: int) -> list[int] | None:
        """Nodes from `v` to a matching node strictly upstream of it, or None when there is none."""
        if not self.has[v]:
            return None
        out = [v]
        if self.par[v] == LAZY:
            out = self._search(v)
        matched, par = self.matched, self.par
        while len(out) == 1 or not matched[out[-1]]:
            out.append(par[out[-1]])
        return out

    def _search(self, v: int) -> list[int]:
        """From a matching node on a cycle: the nearest other match, or the way out of its cycle."""
        cid = self.comp_of[v]
        parent = {v: v}
        queue = deque([v])
        while queue:
            x = queue.popleft()
            for u in self.inward[x]:
                if u in parent:
                    continue
                parent[u] = x
                inside = self.comp_of[u] == cid
                if self.matched[u] or (not inside and self.has[u]):
                    chain = [u]
                    while chain[-1] != v:
                        chain.append(parent[chain[-1]])
                    return chain[::-1]
                if inside:
                    queue.append(u)
        raise AssertionError("a lazily marked node always has a witness")
