from .org import OrgUnit, Position, StaffProfile
from .plans import Assignment, PlanItem, PositionHours, TrainingPlan
from .records import Certificate, ChainHead, CompletionRecord
from .reminders import Reminder
from .sessions import CheckIn, OfflineSession

__all__ = [
    "Assignment",
    "Certificate",
    "ChainHead",
    "CheckIn",
    "CompletionRecord",
    "OfflineSession",
    "OrgUnit",
    "PlanItem",
    "Position",
    "PositionHours",
    "Reminder",
    "StaffProfile",
    "TrainingPlan",
]
