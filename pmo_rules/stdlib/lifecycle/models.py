"""The lifecycle models this plugin ships besides the built-in pmbok one."""

from __future__ import annotations

from pmo_rules.model.lifecycles import PMBOK, ArtifactNeed, GateSpec, LifecycleModel

# The project board's Executive decides every PRINCE2 gate, whatever the tier.
PRINCE2_STYLE = LifecycleModel(
    id="prince2-style",
    title="PRINCE2-style management stages",
    phases=("starting_up", "initiating", "delivery", "closing"),
    stages={"starting_up": "initiating", "initiating": "planning",
            "delivery": "executing", "closing": "closing"},
    gates=(
        GateSpec("authorize_initiation", "initiating", ("project_brief", "business_case"),
                 "executive", title="Authorise initiation"),
        GateSpec("authorize_project", "delivery", ("pid", "business_case"), "executive",
                 title="Authorise the project"),
        # Closing a Project ends with the board's confirmation: the gate closes it.
        GateSpec("authorize_closure", None, ("end_project_report", "lessons_report"),
                 "executive", title="Authorise closure"),
    ),
)

STAGE_GATE = LifecycleModel(
    id="stage-gate",
    title="Stage-gate (Cooper), idea to launch",
    phases=("discovery", "scoping", "build_business_case", "development", "testing",
            "launch", "post_launch_review"),
    stages={"discovery": "initiating", "scoping": "initiating",
            "build_business_case": "planning", "development": "executing",
            "testing": "executing", "launch": "executing", "post_launch_review": "closing"},
    gates=(
        GateSpec("gate_1", "scoping", ("idea_brief",), "director", title="Idea screen"),
        GateSpec("gate_2", "build_business_case", ("preliminary_assessment",), "director",
                 title="Second screen"),
        GateSpec("gate_3", "development", ("business_case", "project_management_plan"),
                 "executive", title="Go to development"),
        GateSpec("gate_4", "testing", ("development_report",), "director",
                 title="Go to testing"),
        GateSpec("gate_5", "launch", ("test_report", "launch_plan"), "executive",
                 title="Go to launch"),
    ),
)

SAFE_PORTFOLIO = LifecycleModel(
    id="safe-portfolio",
    title="SAFe portfolio kanban (epics)",
    phases=("funnel", "reviewing", "analyzing", "portfolio_backlog", "implementing", "done"),
    stages={"funnel": "initiating", "reviewing": "initiating", "analyzing": "planning",
            "portfolio_backlog": "planning", "implementing": "executing", "done": "closing"},
    gates=(
        GateSpec("review", "reviewing", ("epic_hypothesis",), "manager",
                 title="Epic hypothesis reviewed"),
        GateSpec("analyze", "analyzing", ("epic_hypothesis",), "director",
                 title="Epic worth analysing"),
        GateSpec("go", "implementing", ("lean_business_case", "mvp_definition"), "executive",
                 title="Lean portfolio management go"),
    ),
)

# UK IPA (formerly OGC) Gateway reviews 0-5. The senior responsible owner decides at
# each gateway: an executive for tier-1 (major) projects, a director otherwise.
_SRO = {1: "executive"}

IPA_GATEWAY = LifecycleModel(
    id="ipa-gateway",
    title="UK IPA Gateway reviews 0-5",
    phases=("strategy", "justification", "delivery_strategy", "procurement",
            "implementation", "operations"),
    stages={"strategy": "initiating", "justification": "initiating",
            "delivery_strategy": "planning", "procurement": "planning",
            "implementation": "executing", "operations": "closing"},
    gates=(
        GateSpec("gate_0", "justification", ("strategic_outline_case",), "director", _SRO,
                 title="Strategic assessment"),
        GateSpec("gate_1", "delivery_strategy", ("strategic_outline_business_case",),
                 "director", _SRO, title="Business justification"),
        GateSpec("gate_2", "procurement",
                 ("outline_business_case", ArtifactNeed("procurement_strategy", tiers=(1, 2))),
                 "director", _SRO, title="Delivery strategy"),
        GateSpec("gate_3", "implementation", ("full_business_case", "project_management_plan"),
                 "director", _SRO, title="Investment decision"),
        GateSpec("gate_4", "operations",
                 ("service_readiness_plan", ArtifactNeed("benefits_realisation_plan",
                                                         tiers=(1, 2))),
                 "director", _SRO, title="Readiness for service"),
        GateSpec("gate_5", None, ("benefits_review", "lessons_learned"), "director", _SRO,
                 title="Operations review and benefits realisation"),
    ),
)

MODELS: tuple[LifecycleModel, ...] = (
    PMBOK, PRINCE2_STYLE, STAGE_GATE, SAFE_PORTFOLIO, IPA_GATEWAY)
