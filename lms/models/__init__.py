from .org import OrgUnit, Position, StaffProfile
from .plans import Assignment, PlanItem, PositionHours, TrainingPlan
from .records import Certificate, ChainHead, CompletionRecord
from .reminders import Reminder
from .roster import RosterImport
from .sessions import CheckIn, OfflineSession
from .tallies import (
    AssignmentTally,
    AssignmentTallyChange,
    CompletionWeekChange,
    CompletionWeekTally,
)

__all__ = [
    "Assignment",
    "AssignmentTally",
    "AssignmentTallyChange",
    "Certificate",
    "ChainHead",
    "CheckIn",
    "CompletionRecord",
    "CompletionWeekChange",
    "CompletionWeekTally",
    "OfflineSession",
    "OrgUnit",
    "PlanItem",
    "Position",
    "PositionHours",
    "Reminder",
    "RosterImport",
    "StaffProfile",
    "TrainingPlan",
]
