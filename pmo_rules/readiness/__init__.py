"""Gate readiness: for each live project, what stands between it and a pass at its next gate.

`assess.assess` builds a `results.Readiness` from a loaded portfolio and checked
policies: the next gate of each project in its own lifecycle, the artifacts that gate
still lacks, open conditions of earlier gates, and the rules that would fail once the
project is through the gate (`simulate.py` evaluates them with the engine, as if the
gate had been passed). `render.py` writes it for people and `html.py` as a section of
the HTML report.
"""
