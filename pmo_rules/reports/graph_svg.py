"""The dependency graph as inline SVG: a layered drawing computed here, no script needed.

Milestones are drawn with the project that owns them (graph_data lists each
project's milestones right after it), so the drawing is the project graph:
layers by longest upstream chain over strongly connected components, order in a
layer by the mean position of predecessors. Failing projects, cycles and the
critical path are marked; past MAX_NODES projects a note replaces the drawing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from html import escape
from typing import Any

import networkx as nx

MAX_NODES = 400
COL_W, ROW_H, BOX_W, BOX_H, PAD = 220, 56, 180, 40, 20
LABEL = 26  # characters of a project's name that fit its box at the label's size


def project_graph(graph: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], nx.DiGraph]:
    """Project nodes by id, and the project graph with each edge's cycle/critical marks."""
    owner: dict[str, str] = {}
    projects: dict[str, dict[str, Any]] = {}
    current = ""
    for n in graph.get("nodes", []):
        if n.get("kind") == "project":
            current = n["id"]
            projects[current] = n
        owner[n["id"]] = current if n.get("kind") != "project" else n["id"]
    g = nx.DiGraph()
    g.add_nodes_from(projects)
    for e in graph.get("edges", []):
        a, b = owner.get(e["predecessor"]), owner.get(e["successor"])
        if not a or not b or a == b:
            continue
        old = g.edges[a, b] if g.has_edge(a, b) else {}
        g.add_edge(a, b, in_cycle=bool(e.get("in_cycle")) or old.get("in_cycle", False),
                   critical=bool(e.get("critical")) or old.get("critical", False),
                   soft=e.get("kind") == "soft" and old.get("soft", True))
    return projects, g


def layout(g: nx.DiGraph) -> dict[str, tuple[int, int]]:
    """(layer, row) per node: layer by longest upstream chain, cycles sharing a layer."""
    cond = nx.condensation(g)
    members = cond.graph["mapping"]
    comp_layer: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        comp_layer[c] = max((comp_layer[p] + 1 for p in cond.predecessors(c)), default=0)
    layers: dict[int, list[str]] = {}
    for node in sorted(g.nodes):
        layers.setdefault(comp_layer[members[node]], []).append(node)
    pos: dict[str, tuple[int, int]] = {}
    for layer in sorted(layers):
        def mean_row(node: str) -> float:
            rows = [pos[p][1] for p in g.predecessors(node) if p in pos]
            return sum(rows) / len(rows) if rows else float("inf")

        for row, node in enumerate(sorted(layers[layer], key=lambda n: (mean_row(n), n))):
            pos[node] = (layer, row)
    return pos


def render_svg(graph: Mapping[str, Any] | None, failing: Collection[str] = ()) -> str:
    """The drawing as an <svg> element (or a short note when there is nothing to draw)."""
    if not graph or not graph.get("nodes"):
        return '<p class="note">No dependency graph in this report.</p>'
    projects, g = project_graph(graph)
    if len(projects) > MAX_NODES:
        return (f'<p class="note">{len(projects)} projects are too many to draw here; '
                "run <code>pmo-rules graph --format dot</code> for the full graph.</p>")
    pos = layout(g)
    width = PAD * 2 + COL_W * (max((c for c, _ in pos.values()), default=0) + 1) - (COL_W - BOX_W)
    height = PAD * 2 + ROW_H * (max((r for _, r in pos.values()), default=0) + 1) - (ROW_H - BOX_H)

    def xy(node: str) -> tuple[int, int]:
        col, row = pos[node]
        return PAD + col * COL_W, PAD + row * ROW_H

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             'aria-label="Dependency graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             '<path d="M0,0 L10,5 L0,10 z" fill="#667"/></marker></defs>']
    for a, b, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
        (x1, y1), (x2, y2) = xy(a), xy(b)
        sx, sy, tx, ty = x1 + BOX_W, y1 + BOX_H // 2, x2, y2 + BOX_H // 2
        if tx <= sx:  # same layer (a cycle) or backwards: bow out to the right
            path = (f"M{sx},{sy} C{sx + 60},{sy} {tx + BOX_W + 60},{ty} "
                    f"{tx + BOX_W},{ty}")
        else:
            mid = (sx + tx) // 2
            path = f"M{sx},{sy} C{mid},{sy} {mid},{ty} {tx},{ty}"
        cls = ["edge"] + [c for c, on in (("cycle", data["in_cycle"]),
                                          ("critical", data["critical"]),
                                          ("soft", data["soft"])) if on]
        parts.append(f'<path class="{" ".join(cls)}" d="{path}" marker-end="url(#arrow)">'
                     f"<title>{escape(a)} → {escape(b)}</title></path>")
    failing_set = set(failing)
    for node in sorted(pos):
        n = projects[node]
        x, y = xy(node)
        cls = ["node"] + [c for c, on in (("failing", node in failing_set),
                                          ("cycle", n.get("in_cycle")),
                                          ("critical", n.get("on_critical_path"))) if on]
        label = node + (f" {n['name']}" if n.get("name") else "")
        name = str(n.get("name") or "")
        short = name if len(name) <= LABEL else name[:LABEL - 1].rstrip() + "…"
        ident = node if len(node) <= LABEL else node[:LABEL - 1] + "…"
        tip = label + "".join(f"\n{t}" for t, on in (
            ("failing rules", node in failing_set), ("on a cycle", n.get("in_cycle")),
            ("on the critical path", n.get("on_critical_path"))) if on)
        parts.append(f'<g class="{" ".join(cls)}" data-id="{escape(node)}">'
                     f"<title>{escape(tip)}</title>"
                     f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="5"/>'
                     f'<text x="{x + 8}" y="{y + 16}"><tspan class="gid">{escape(ident)}'
                     f'</tspan><tspan x="{x + 8}" dy="15">{escape(short)}</tspan></text></g>')
    parts.append("</svg>")
    return "".join(parts)
