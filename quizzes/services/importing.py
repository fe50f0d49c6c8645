"""Importing questions: plan every row, then write all of them in one transaction or none. The
file format and the checking of a row are in ``quizzes.importing``; the flow is the one of every
import, ``quizzes.importing.pipeline``."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from ..conf import app_settings
from ..importing.format import (
    HEADER_KEYS,
    REQUIRED_HEADERS,
    PlannedChange,
    QuestionReport,
    ordered_choices,
)
from ..importing.pipeline import SpreadsheetImporter
from ..importing.reading import cell_text, parse_row
from ..models import Choice, ClassificationCode, Question, QuestionCategory
from ..models.bank import PATH_SEPARATOR
from .bank import category_by_path
from .classification import CodeLookup, tree_key

# --- Importing -----------------------------------------------------------------------------


def _differences(question, row):
    changes = []
    if question.type != row.type:
        changes.append("type")
    if [(c.text, c.is_correct) for c in ordered_choices(question)] != row.choices:
        changes.append("choices")
    current_key = {dim: code.code for dim, code in question.classify_key().items() if code}
    if current_key != row.key:
        changes.append("key")
    if question.explanation != row.explanation:
        changes.append("explanation")
    if question.difficulty != row.difficulty:
        changes.append("difficulty")
    if sorted(tag.name for tag in question.tags.all()) != sorted(row.tags):
        changes.append("tags")
    if _code_keys(question.classification_codes.all()) != _code_keys(row.codes):
        changes.append("classification_codes")
    return changes


def _code_keys(codes):
    return sorted((code.code for code in codes), key=tree_key)


def _find_codes(rows, report):
    """Replace each row's written codes (keys or names) by the codes; a row naming an unknown,
    ambiguous or deactivated code is an error. Returns the rows without errors."""
    if not any(row.codes for row in rows):
        return rows
    lookup = CodeLookup.load()
    found = []
    for row in rows:
        codes, errors = [], []
        for text in row.codes:
            code, error = lookup.find(text)
            if error:
                errors.append(error)
            elif code not in codes:
                codes.append(code)
        report.errors.extend((row.row, error) for error in errors)
        if not errors:
            row.codes = codes
            found.append(row)
    return found


def _plan(rows, report):
    rows = _find_codes(rows, report)
    paths = {row.category for row in rows}
    existing = {}
    questions = (
        Question.objects.filter(category__full_name__in=paths)
        .select_related("category", *Question.KEY_FIELDS.values())
        .prefetch_related("choices", "tags", "classification_codes")
    )
    for question in questions:
        existing.setdefault((question.category.full_name, question.stem.strip()), []).append(
            question
        )
    levels = set()
    for path in paths:
        names = path.split(PATH_SEPARATOR)
        levels.update(PATH_SEPARATOR.join(names[:depth]) for depth in range(1, len(names) + 1))
    known = QuestionCategory.objects.filter(full_name__in=levels).values_list(
        "full_name", flat=True
    )
    report.new_categories = sorted(levels - set(known))

    written = {code for row in rows for code in row.key.values()}
    codes = ClassificationCode.objects.in_bulk(written, field_name="code") if written else {}
    seen = {}
    for row in rows:
        unknown = [code for code in row.key.values() if code not in codes]
        if unknown:
            report.errors.append(
                (
                    row.row,
                    _("Unknown classification code: %(codes)s.") % {"codes": ", ".join(unknown)},
                )
            )
            continue
        row.key_codes = {dim: codes[code] for dim, code in row.key.items()}
        key = (row.category, row.stem)
        if key in seen:
            report.errors.append(
                (row.row, _("Same category and question as row %(row)d.") % {"row": seen[key]})
            )
            continue
        seen[key] = row.row
        matches = existing.get(key, [])
        if len(matches) > 1:
            report.errors.append(
                (
                    row.row,
                    _(
                        "%(count)d questions of the bank have this category and text: "
                        "tidy them up in the admin first."
                    )
                    % {"count": len(matches)},
                )
            )
            continue
        question = matches[0] if matches else None
        report.changes.append(
            PlannedChange(
                row=row.row,
                action=PlannedChange.UPDATE if question else PlannedChange.CREATE,
                category=row.category,
                stem=row.stem,
                type=row.type,
                changes=_differences(question, row) if question else [],
                data=row,
                question=question,
            )
        )


def _choice_objects(question, choices):
    """Reuse the question's choices position by position (feedback stays with unchanged text)."""
    current = ordered_choices(question) if question.pk else []
    objects = []
    for index, (text, is_correct) in enumerate(choices):
        choice = current[index] if index < len(current) else Choice()
        if choice.text != text:
            choice.feedback = ""
        choice.text = text
        choice.is_correct = is_correct
        choice.sort_order = index
        objects.append(choice)
    return objects


def _may_publish(user):
    """Imports run by the command line (no user) or by a user who may publish questions write
    live questions; anybody else's are drafts waiting for approval, like an edit in the admin."""
    return user is None or user.has_perm("lms_quizzes.publish_question")


def _write(changes, user):
    publish = _may_publish(user)
    categories = {}
    for change in changes:
        row = change.data
        if change.question is not None and not change.changes:
            continue
        if row.category not in categories:
            categories[row.category] = category_by_path(row.category, create=True)
        question = change.question or Question(category=categories[row.category], stem=row.stem)
        question.type = row.type
        question.explanation = row.explanation
        question.difficulty = row.difficulty
        if row.type != Question.MULTIPLE:
            question.partial_credit = False
        question.choices = _choice_objects(question, row.choices)
        for dimension, name in Question.KEY_FIELDS.items():
            setattr(question, name, row.key_codes.get(dimension))
        question.tags.set(row.tags)
        question.classification_codes.set(row.codes)
        if publish or change.question is None:
            # A new question a trainer imports is a draft: no paper draws it before approval.
            question.live = publish
            question.has_unpublished_changes = not publish
            question.save()
        revision = question.save_revision(user=user)
        if publish:
            revision.publish(user=user, log_action=False)
        log(question, "wagtail.create" if change.question is None else "wagtail.edit", user=user)


class QuestionImporter(SpreadsheetImporter):
    """The question import (see ``quizzes.importing`` for the format and the update rule).
    ``user`` is recorded in the admin history of each created or changed question. Each write
    is a revision: published when ``user`` may publish questions (or runs the command), else a
    draft for the officer to approve — an import cannot silently change a live exam either."""

    report_class = QuestionReport
    header_keys = HEADER_KEYS
    required_columns = REQUIRED_HEADERS

    too_many = gettext_lazy(
        "The file has more than %(max)d questions: split it into smaller files."
    )
    no_rows = gettext_lazy("The file has no questions below the header.")

    def __init__(self, *, user=None):
        self.user = user

    def limits(self):
        return app_settings.LMS_QUESTION_IMPORT_MAX_BYTES, app_settings.LMS_QUESTION_IMPORT_MAX_ROWS

    def read(self, file_bytes, filename):
        rows = super().read(file_bytes, filename)
        return [(number, [cell_text(cell) for cell in cells]) for number, cells in rows]

    def parse_row(self, number, values):
        return parse_row(number, values)

    def plan(self, rows, report):
        _plan(rows, report)
        if not report.ok:
            report.changes = []
            report.new_categories = []
            return None
        report.created = sum(1 for c in report.changes if c.action == PlannedChange.CREATE)
        report.updated = len(report.changes) - report.created
        report.unchanged = sum(
            1 for c in report.changes if c.question is not None and not c.changes
        )
        return report.changes

    def write(self, changes, report):
        _write(changes, self.user)


def import_questions(file_bytes, filename, dry_run=False, user=None):
    """Import the questions of an .xlsx or .csv file, all or nothing (see ``quizzes.importing``
    for the format and the update rule). With ``dry_run`` nothing is written but the report says
    what would change. Returns a QuestionReport."""
    return QuestionImporter(user=user).run(file_bytes, filename, dry_run=dry_run)
