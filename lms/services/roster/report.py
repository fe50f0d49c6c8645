"""What a roster import does: the change of each row, and the report with its counts, as the
import returns it and as the admin page shows it (``quizzes/admin/includes/import_report.html``,
from a run's stored outcome: ``lms.services.roster.runs.stored_report``)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from quizzes.importing.pipeline import ImportReport


@dataclass
class StaffChange:
    """What importing one row does (or would do, in a dry run). ``changes`` lists
    ``(field label, old, new)`` as display text, ``fields`` the names of the fields changed."""

    NEW = "new"
    CHANGED = "changed"
    LEAVING = "leaving"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"

    row: int
    employee_no: str
    name: str
    action: str
    changes: list = field(default_factory=list)
    fields: list = field(default_factory=list)
    transfer: bool = False
    reactivated: bool = False

    @property
    def action_label(self):
        if self.action == self.NEW:
            return pgettext("roster change", "New")
        if self.action == self.LEAVING:
            return _("Leaving")
        if self.reactivated:
            return pgettext("roster change", "Back")
        if self.transfer:
            return _("Transfer")
        return _("Changed")

    @property
    def change_lines(self):
        return [
            f"{label}: {old} → {new or '—'}" if old else f"{label}: {new or '—'}"
            for label, old, new in self.changes
        ]


@dataclass
class RosterReport(ImportReport):
    """Outcome of a roster import. ``changes`` lists every row that is not unchanged, in file
    order. A report rebuilt from a stored run lists only the first changes and errors:
    ``changes_total`` and ``errors_total`` then say how many there are in all."""

    created: int = 0
    changed: int = 0
    leaving: int = 0
    unchanged: int = 0
    skipped: int = 0
    transfers: int = 0
    reactivated: int = 0
    new_positions: list = field(default_factory=list)
    synced: dict = field(default_factory=dict)
    changes_total: int | None = None
    errors_total: int | None = None

    kind = "roster"
    change_columns = (
        (gettext_lazy("Row"), "row"),
        (pgettext_lazy("import row action", "Action"), "action_label"),
        (gettext_lazy("Employee number"), "employee_no"),
        (pgettext_lazy("person", "Name"), "name"),
        (pgettext_lazy("roster change", "Changes"), "change_lines"),
    )

    @property
    def counts(self):
        return _(
            "New: %(new)s · changed: %(changed)s (of which transfers: %(transfers)s) · leaving: "
            "%(leaving)s · unchanged: %(unchanged)s · skipped: %(skipped)s"
        ) % {
            "new": self.created,
            "changed": self.changed,
            "transfers": self.transfers,
            "leaving": self.leaving,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }

    @property
    def notes(self):
        notes = []
        if self.synced:
            notes.append(
                _(
                    "Assignments of published plans: %(created)s created, %(withdrawn)s "
                    "withdrawn, %(reopened)s reopened, %(moved)s moved to a new unit."
                )
                % self.synced
            )
        if self.new_positions:
            notes.append(f"{_('New positions:')} {', '.join(self.new_positions)}")
        return notes

    @property
    def changes_note(self):
        if self.changes_total is None or self.changes_total <= len(self.changes):
            return ""
        return _(
            "The first %(shown)s of %(total)s changes are shown; the management command "
            "lms_import_roster --dry-run lists them all."
        ) % {"shown": len(self.changes), "total": self.changes_total}

    @property
    def error_count(self):
        return len(self.errors) if self.errors_total is None else self.errors_total

    @property
    def errors_note(self):
        if self.error_count <= len(self.errors):
            return ""
        return _("Only the first %(shown)s problems are shown.") % {"shown": len(self.errors)}
