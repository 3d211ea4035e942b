"""The plan as a graph, and what we conclude from it. No I/O, no UI, no SQL."""

from alignment.core.analysis import (
    RULES,
    Alignment,
    Coverage,
    Finding,
    Severity,
    alignment_of,
    coverage,
    findings,
    progress,
    traces,
)
from alignment.core.changes import (
    AddNode,
    Batch,
    Change,
    EditPlan,
    LinkNodes,
    RecordCheckIn,
    RemoveNode,
    UnlinkNodes,
    UpdateNode,
)
from alignment.core.model import CheckIn, Direction, Kind, Link, Node, PlanError, Status
from alignment.core.plan import CycleError, Plan

__all__ = [
    "RULES",
    "AddNode",
    "Batch",
    "Alignment",
    "Change",
    "CheckIn",
    "Coverage",
    "CycleError",
    "Direction",
    "EditPlan",
    "Finding",
    "Kind",
    "Link",
    "LinkNodes",
    "Node",
    "Plan",
    "PlanError",
    "RecordCheckIn",
    "RemoveNode",
    "Severity",
    "Status",
    "UnlinkNodes",
    "UpdateNode",
    "alignment_of",
    "coverage",
    "findings",
    "progress",
    "traces",
]
