"""Fixtures of the hostile suite."""

from tests.hostile.throwaway import throwaway  # noqa: F401 (the fixture, for every test here)
