"""Importing questions: plan every row, then write all of them in one transaction or none.
The file format and its reading are in ``quizzes.importing``."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..importing.format import (
    ImportFileError,
    ImportReport,
    PlannedChange,
    ordered_choices,
)
from ..importing.reading import (
    _map_header,
    parse_row,
    read_rows,
)
from ..models import Choice, Question, QuestionCategory
from ..models.bank import PATH_SEPARATOR
from .bank import category_by_path

# --- Importing -----------------------------------------------------------------------------


def _differences(question, row):
    changes = []
    if question.type != row.type:
        changes.append("type")
    if [(c.text, c.is_correct) for c in ordered_choices(question)] != row.choices:
        changes.append("choices")
    if question.explanation != row.explanation:
        changes.append("explanation")
    if question.difficulty != row.difficulty:
        changes.append("difficulty")
    if sorted(tag.name for tag in question.tags.all()) != sorted(row.tags):
        changes.append("tags")
    return changes


def _plan(rows, report):
    paths = {row.category for row in rows}
    existing = {}
    questions = (
        Question.objects.filter(category__full_name__in=paths)
        .select_related("category")
        .prefetch_related("choices", "tags")
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

    seen = {}
    for row in rows:
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


@transaction.atomic
def _write(changes, user):
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
        question.tags.set(row.tags)
        question.save()
        log(question, "wagtail.create" if change.question is None else "wagtail.edit", user=user)


def import_questions(file_bytes, filename, dry_run=False, user=None):
    """Import the questions of an .xlsx or .csv file, all or nothing (see the module docstring for
    the format and the update rule). With ``dry_run`` nothing is written but the report says what
    would change. Returns an ImportReport."""
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        rows = read_rows(file_bytes, filename)
    except ImportFileError as error:
        report.errors.append((None, str(error)))
        return report
    if not rows:
        report.errors.append((None, _("The file is empty.")))
        return report

    header_number, header = rows[0]
    columns = _map_header(header_number, header, report)
    if not report.ok:
        return report
    valid = []
    for number, cells in rows[1:]:
        values = {key: cells[index] if index < len(cells) else "" for key, index in columns.items()}
        row, errors = parse_row(number, values)
        report.errors.extend((number, message) for message in errors)
        if row is not None:
            valid.append(row)
    report.rows = len(rows) - 1
    if not report.rows:
        report.errors.append((None, _("The file has no questions below the header.")))
    if not report.ok:
        return report

    _plan(valid, report)
    if not report.ok:
        report.changes = []
        report.new_categories = []
        return report
    report.created = sum(1 for c in report.changes if c.action == PlannedChange.CREATE)
    report.updated = len(report.changes) - report.created
    report.unchanged = sum(1 for c in report.changes if c.question is not None and not c.changes)
    if not dry_run:
        _write(report.changes, user)
    return report
