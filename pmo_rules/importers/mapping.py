"""A validated mapping (`--mapping mapping.yaml`): what differs between organisations.

mapping_file.py reads and validates the file into an ImportMapping; every importer
reads its sources through one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MAX_FILE_MB = 50.0
# Money written in units (`£m`): the factor to our model's plain currency amounts.
UNIT_WORDS = {"": 1.0, "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
              "bn": 1e9, "b": 1e9, "billion": 1e9}


@dataclass
class ImportMapping:
    """A validated mapping: defaults when no file is given."""

    file: str | None = None
    as_of: dt.date | None = None
    currency: str | None = None
    money_unit: float = 1.0
    date_formats: tuple[str, ...] = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    fields: dict[str, str] = field(default_factory=dict)  # normalised source name -> target
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # table -> lower raw -> value
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    jira: dict[str, Any] = field(default_factory=dict)
    register: dict[str, Any] = field(default_factory=dict)
    preset: str | None = None

    def target(self, source_name: str) -> str | None:
        """The target a source field or column is mapped to, if any. A mapped name ending
        in `*` matches every name starting with it (headers that drift between years)."""
        key = norm(source_name)
        found = self.fields.get(key)
        if found is not None:
            return found
        for pattern, target in self.fields.items():
            if pattern.endswith("*") and key.startswith(pattern[:-1]):
                return target
        return None

    def with_defaults(self, fields: dict[str, str], values: dict[str, dict[str, Any]]
                      ) -> ImportMapping:
        """A copy with a preset's fields and value tables under the user's own."""
        merged_values = {k: dict(v) for k, v in values.items()}
        for table, entries in self.values.items():
            merged_values.setdefault(table, {}).update(entries)
        return ImportMapping(**{**self.__dict__,
                                "fields": {**{norm(k): v for k, v in fields.items()},
                                           **self.fields},
                                "values": merged_values})


def norm(name: str) -> str:
    """A source name compared without case, repeated spaces or line breaks."""
    return " ".join(name.replace("_x000D_", " ").split()).lower()


def money_factor(text: str) -> float | None:
    """`£m` -> 1e6, `$k` -> 1e3, `bn` -> 1e9, `1000` -> 1000; None when not a unit."""
    body = text.strip().strip("£$€¥ ").lower()
    if re.fullmatch(r"\d+(\.\d+)?", body):
        return float(body)
    return UNIT_WORDS.get(body)
