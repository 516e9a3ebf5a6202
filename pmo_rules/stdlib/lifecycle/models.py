"""The lifecycle models this plugin ships: pmbok, prince2-style, stage-gate, safe-portfolio."""

from __future__ import annotations

from pmo_rules.model.lifecycles import PMBOK, GateSpec, LifecycleModel

PRINCE2_STYLE = LifecycleModel(
    id="prince2-style",
    phases=("starting_up", "initiating", "delivery", "closing"),
    stages={"starting_up": "initiating", "initiating": "planning",
            "delivery": "executing", "closing": "closing"},
    gates=(
        GateSpec("authorize_initiation", "initiating", ("project_brief", "business_case"),
                 "executive"),
        GateSpec("authorize_project", "delivery", ("pid", "business_case"), "executive"),
        GateSpec("authorize_closure", "closing", ("end_project_report", "lessons_report"),
                 "executive"),
    ),
)

STAGE_GATE = LifecycleModel(
    id="stage-gate",
    phases=("discovery", "scoping", "build_business_case", "development", "testing",
            "launch", "post_launch_review"),
    stages={"discovery": "initiating", "scoping": "initiating",
            "build_business_case": "planning", "development": "executing",
            "testing": "executing", "launch": "executing", "post_launch_review": "closing"},
    gates=(
        GateSpec("gate_1", "scoping", ("idea_brief",), "director"),
        GateSpec("gate_2", "build_business_case", ("preliminary_assessment",), "director"),
        GateSpec("gate_3", "development", ("business_case", "project_management_plan"),
                 "executive"),
        GateSpec("gate_4", "testing", ("development_report",), "director"),
        GateSpec("gate_5", "launch", ("test_report", "launch_plan"), "executive"),
    ),
)

SAFE_PORTFOLIO = LifecycleModel(
    id="safe-portfolio",
    phases=("funnel", "reviewing", "analyzing", "portfolio_backlog", "implementing", "done"),
    stages={"funnel": "initiating", "reviewing": "initiating", "analyzing": "planning",
            "portfolio_backlog": "planning", "implementing": "executing", "done": "closing"},
    gates=(
        GateSpec("review", "reviewing", ("epic_hypothesis",), "manager"),
        GateSpec("analyze", "analyzing", ("epic_hypothesis",), "director"),
        GateSpec("go", "implementing", ("lean_business_case", "mvp_definition"), "executive"),
    ),
)

MODELS: tuple[LifecycleModel, ...] = (PMBOK, PRINCE2_STYLE, STAGE_GATE, SAFE_PORTFOLIO)
