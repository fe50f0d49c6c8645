"""Business rules of the lms app: the only code that writes staff, plans, assignments and
completion records. By capability: ``records/`` (completion records, certificates, transcripts),
``learning/`` (the learner home, attestations, offline sessions), ``dashboard/`` (the managers'
numbers and the tally triggers behind them), ``reminders/``, ``roster/`` (the staff list import);
``scope`` (who may see what), ``roles``, ``plans`` (audiences, assignments), ``publishing`` (a
plan published as background work), ``runs`` (background work's progress), ``reports`` and
``exports``.

The functions below are the app's main operations, importable from here; code inside lms imports
from the module that defines them."""

from lms.services.plans import (
    assignment_status,
    audience_of,
    close_plan,
    item_matches,
    publish_plan,
    sync_staff,
)
from lms.services.records.chain import record_completion, supersede_record
from lms.services.records.verification import verify_chain
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
