"""Every id a finding's subject can have in a portfolio: what waivers and tests may name."""

from __future__ import annotations

from pmo_rules.engine.runtime import entity_id
from pmo_rules.model.portfolio import LoadedPortfolio


def subject_ids(portfolio: LoadedPortfolio) -> set[str]:
    """The portfolio's id and the id (as findings name it) of each entity a rule can judge."""
    out = {portfolio.portfolio.id}
    for table in (portfolio.people, portfolio.objectives, portfolio.programs,
                  portfolio.projects, portfolio.milestones, portfolio.risks, portfolio.issues,
                  portfolio.dependencies):
        out.update(entity_id(e) for e in table)
    return out
