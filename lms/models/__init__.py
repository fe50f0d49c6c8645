from .org import OrgUnit, Position, StaffProfile
from .plans import Assignment, PlanItem, PositionHours, TrainingPlan
from .records import Certificate, ChainHead, CompletionRecord

__all__ = [
    "Assignment",
    "Certificate",
    "ChainHead",
    "CompletionRecord",
    "OrgUnit",
    "PlanItem",
    "Position",
    "PositionHours",
    "StaffProfile",
    "TrainingPlan",
]
