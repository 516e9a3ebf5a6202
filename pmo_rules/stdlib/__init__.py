"""The standard library: built-in plugins shipped inside the pmo-rules distribution.

Each subpackage is an ordinary plugin registered through the `pmo_rules` entry-point
group in pyproject.toml, exactly as a third-party plugin is; nothing in the core
imports them.
"""
