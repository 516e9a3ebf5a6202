"""The documented limits of a run, in one place (docs/checking.md, "Limits").

Every evaluation ends: policy text nests at most `NESTING` levels (checked where the
tree is built), a rule visits at most `STEPS` elements (checked while it runs), text is
matched by RE2 in linear time, and arithmetic stays within fixed ranges. A limit that
users may raise is a `Limit`, read from its environment variable when a run needs it.
"""

from __future__ import annotations

# The class, and the cap on diagnostics shown, live in diagnostics.py (which needs the cap
# to render, and whose errors the class raises); they are part of this list all the same.
from pmo_rules.diagnostics import MAX_DIAGNOSTICS as MAX_DIAGNOSTICS
from pmo_rules.diagnostics import Limit as Limit

# How deeply an expression may nest: every operator, call, field access, index, list
# and quantifier is one level. Each stage walks the tree recursively, so the maximum is
# what those walks can take within Python's default recursion limit.
NESTING = Limit("nesting", "PMO_RULES_MAX_NESTING", default=100, minimum=8, maximum=200,
                unit="levels")

# How many expression nodes one rule item (or define) may expand to once the defines it
# calls are expanded where they are called: `define d2(x) = d1(x) and d1(x)` doubles.
MAX_EXPANDED = 100_000

# How many steps one rule may take: one per subject, plus one per element each quantifier
# or aggregate looks at (charged as it starts), plus one per element a graph function
# returns. Counted, not timed, so the same inputs always end the same way.
STEPS = Limit("evaluation", "PMO_RULES_MAX_STEPS", default=20_000_000, minimum=1_000,
              maximum=10**15, unit="steps")

# The largest integer arithmetic may produce, and the longest text `+` may build: past
# them the result is out of range (evidence says so), like a date past 9999-12-31.
MAX_INT_BITS = 1024
MAX_TEXT = 1_000_000

# `matches` patterns run on RE2 (google-re2): linear in the text, no backtracking.
REGEX_ENGINE = "RE2"
MAX_PATTERN = 500  # characters
MAX_REPEAT = 1000  # the largest counted repetition RE2 accepts (`a{1000}`)

# Portfolio files (docs/data-model.md, "Limits"). Lists and mappings nest at most
# MAX_DATA_DEPTH levels, counting the file's top level as 1: the models need about
# eight, and every later stage (validation, evaluation, reports) walks values
# recursively. An integer has at most MAX_DIGITS digits, as in policy text. YAML
# aliases may repeat at most MAX_ALIAS_EXPANSION values in all (a "billion laughs"
# document expands exponentially).
MAX_DATA_DEPTH = 64
MAX_DIGITS = 30
MAX_ALIAS_EXPANSION = 100_000
# Unknown ids get a did-you-mean for the first MAX_SUGGESTIONS of a load (each reads
# every id), so a file of 100,000 dangling references is reported in linear time.
MAX_SUGGESTIONS = 100

# How long one call into a plugin (a hook, a check, a function, a reporter, a loader)
# may run before it is interrupted and becomes an error naming the plugin; 0 for no
# limit (pmo_rules/plugins/guard.py says how).
PLUGIN_TIMEOUT = Limit("plugin time", "PMO_RULES_PLUGIN_TIMEOUT", default=300, minimum=0,
                       maximum=86_400, unit="seconds")
