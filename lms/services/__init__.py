"""Business rules of the lms app: the only code that writes staff, plans, assignments and
completion records."""

from lms.services.plans import (
    assignment_status,
    audience_of,
    close_plan,
    item_matches,
    publish_plan,
    sync_staff,
)
from lms.services.records.chain import record_completion, supersede_record, verify_chain
from lms.services.roles import MANAGERS, OFFICERS, TRAINERS, ensure_roles

__all__ = [
    "MANAGERS",
    "OFFICERS",
    "TRAINERS",
    "assignment_status",
    "audience_of",
    "close_plan",
    "ensure_roles",
    "item_matches",
    "publish_plan",
    "record_completion",
    "supersede_record",
    "sync_staff",
    "verify_chain",
]
