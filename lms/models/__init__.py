from lms.models.complaints import Complaint, ComplaintRule, ComplaintTraining
from lms.models.credits import AssignmentCredit
from lms.models.exemptions import Exemption, ImmutableExemption
from lms.models.identity import ActivationCode, WeComIdentity
from lms.models.org import OrgUnit, Position, StaffProfile
from lms.models.plans import Assignment, PlanItem, PositionHours, TrainingPlan
from lms.models.records import Certificate, ChainHead, CompletionRecord
from lms.models.reminders import Reminder
from lms.models.roster import RosterImport
from lms.models.runs import PlanPublication, TaskWorker
from lms.models.sessions import CheckIn, OfflineSession
from lms.models.tallies import (
    AssignmentTally,
    AssignmentTallyChange,
    CompletionWeekChange,
    CompletionWeekTally,
)

__all__ = [
    "ActivationCode",
    "Assignment",
    "AssignmentCredit",
    "AssignmentTally",
    "AssignmentTallyChange",
    "Certificate",
    "Complaint",
    "ComplaintRule",
    "ComplaintTraining",
    "ChainHead",
    "CheckIn",
    "CompletionRecord",
    "CompletionWeekChange",
    "CompletionWeekTally",
    "Exemption",
    "ImmutableExemption",
    "OfflineSession",
    "OrgUnit",
    "PlanItem",
    "PlanPublication",
    "TaskWorker",
    "Position",
    "PositionHours",
    "Reminder",
    "RosterImport",
    "StaffProfile",
    "TrainingPlan",
    "WeComIdentity",
]
