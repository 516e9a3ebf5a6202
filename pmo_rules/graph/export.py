"""Graph exports: JSON, Graphviz dot and Mermaid, with cycles and the critical path marked."""

from __future__ import annotations

import json
from typing import Any

from pmo_rules.graph.portfolio_graph import PortfolioGraph


def graph_data(graph: PortfolioGraph) -> dict[str, Any]:
    """The JSON shape: `nodes` (projects and milestones) and `edges` (dependencies)."""
    nodes: list[dict[str, Any]] = []
    for p in sorted(graph.projects, key=lambda e: e.id):
        entries = [(p, "project")] + [(m, "milestone") for m in p.milestones]
        for e, kind in entries:
            nodes.append({
                "id": e.id, "kind": kind, "name": e.name,
                "status": p.status if kind == "project" else None,
                "health": p.health.overall if kind == "project" else None,
                "in_cycle": graph.in_cycle(e), "on_critical_path": graph.on_critical_path(e)
                if kind == "project" else False,
            })
    edges = [{
        "id": d.id, "predecessor": _id(d.predecessor), "successor": _id(d.successor),
        "type": d.type, "lag_days": d.lag_days, "kind": d.kind, "status": d.status,
        "in_cycle": cyc, "critical": crit,
    } for d, cyc, crit in graph.edges()]
    return {"nodes": nodes, "edges": edges}


def to_json(graph: PortfolioGraph) -> str:
    """The graph as indented JSON."""
    return json.dumps(graph_data(graph), indent=2, ensure_ascii=False) + "\n"


def to_dot(graph: PortfolioGraph) -> str:
    """Graphviz dot: cycles red, the critical path bold, milestones as diamonds."""
    data = graph_data(graph)
    lines = ["digraph portfolio {", "  rankdir=LR;"]
    for n in data["nodes"]:
        attrs = [f"label={_q(n['id'] + (': ' + n['name'] if n['name'] else ''))}"]
        if n["kind"] == "milestone":
            attrs.append("shape=diamond")
        if n["in_cycle"]:
            attrs.append("color=red")
        if n["on_critical_path"]:
            attrs.append("penwidth=3")
        lines.append(f"  {_q(n['id'])} [{', '.join(attrs)}];")
    for e in data["edges"]:
        attrs = [f"label={_q(e['type'])}"]
        if e["kind"] == "soft":
            attrs.append("style=dashed")
        if e["in_cycle"]:
            attrs.append("color=red")
        if e["critical"]:
            attrs.append("penwidth=3")
        lines.append(f"  {_q(e['predecessor'])} -> {_q(e['successor'])} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(graph: PortfolioGraph) -> str:
    """Mermaid flowchart: classes `cycle` and `critical` mark nodes, link styles mark edges."""
    data = graph_data(graph)
    names = {n["id"]: f"n{i}" for i, n in enumerate(data["nodes"])}
    lines = ["flowchart LR"]
    for n in data["nodes"]:
        label = (n["id"] + (": " + n["name"] if n["name"] else "")).replace('"', "'")
        shape = f'{{"{label}"}}' if n["kind"] == "milestone" else f'["{label}"]'
        classes = [c for c, on in (("cycle", n["in_cycle"]),
                                   ("critical", n["on_critical_path"])) if on]
        lines.append(f"  {names[n['id']]}{shape}" + (f":::{classes[0]}" if classes else ""))
    for i, e in enumerate(data["edges"]):
        arrow = "-.->" if e["kind"] == "soft" else "-->"
        lines.append(f"  {names[e['predecessor']]} {arrow}|{e['type']}| {names[e['successor']]}")
        if e["in_cycle"]:
            lines.append(f"  linkStyle {i} stroke:red")
        elif e["critical"]:
            lines.append(f"  linkStyle {i} stroke-width:4px")
    lines.append("  classDef cycle stroke:red,stroke-width:2px")
    lines.append("  classDef critical stroke-width:4px")
    return "\n".join(lines) + "\n"


FORMATS = {"json": to_json, "dot": to_dot, "mermaid": to_mermaid}


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _id(e: Any) -> str:
    ident: str = e.id
    return ident
