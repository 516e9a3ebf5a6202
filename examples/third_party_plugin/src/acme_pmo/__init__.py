"""Acme's pmo-rules plugin (an example third-party distribution)."""

__version__ = "1.2.0"
