"""pmo-rules: a rules-based governance engine for project management offices."""

__version__ = "0.1.0"
