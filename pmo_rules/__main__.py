"""`python -m pmo_rules` runs the command line."""

from pmo_rules.cli import run

run()
