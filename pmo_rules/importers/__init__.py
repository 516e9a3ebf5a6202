"""Importers of PMO tools' files: one loader plugin per format, each its own entry point."""

from __future__ import annotations

# The entry-point names (in pmo-rules' pyproject.toml) of the built-in importer plugins.
PLUGINS = ("mspdi", "xer", "gan", "register", "presets", "jira", "mpxj")
