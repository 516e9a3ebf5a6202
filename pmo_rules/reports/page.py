"""What every HTML page we write shares: its Content-Security-Policy and vendored assets.

The HTML report (html.py) and the readiness page (readiness/html.py) both use them.
"""

from __future__ import annotations

from importlib import resources

__all__ = ["CSP", "asset"]

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")


def asset(name: str) -> str:
    """A vendored asset's text (reports/assets/NAME)."""
    return resources.files("pmo_rules.reports").joinpath("assets", name).read_text("utf-8")
