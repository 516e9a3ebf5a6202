"""Presets of the register loader for published portfolio tables (`preset:` in the mapping)."""

from __future__ import annotations

from typing import Any

PRESETS: dict[str, dict[str, Any]] = {}
