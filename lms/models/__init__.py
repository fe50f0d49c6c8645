from .org import OrgUnit, Position, StaffProfile
from .plans import Assignment, PlanItem, PositionHours, TrainingPlan
from .records import ChainHead, CompletionRecord

__all__ = [
    "Assignment",
    "ChainHead",
    "CompletionRecord",
    "OrgUnit",
    "PlanItem",
    "Position",
    "PositionHours",
    "StaffProfile",
    "TrainingPlan",
]
