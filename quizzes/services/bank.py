"""Rules of the question bank shared by the admin forms and the importer."""

from django.utils.translation import gettext as _

from ..models import Question, QuestionCategory
from ..models.bank import PATH_SEPARATOR

MAX_CHOICES = 6


def validate_choices(question_type, choices):
    """Problems with a question's choices, as a list of translated messages (empty = valid).

    ``choices`` is a list of ``(text, is_correct)``.
    """
    errors = []
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if question_type == Question.ESSAY:
        if choices:
            errors.append(_("A short-answer question has no choices."))
        return errors
    if question_type == Question.CLASSIFY:
        if choices:
            errors.append(_("A classification question has no choices: set its key instead."))
        return errors
    if any(not (text or "").strip() for text, _correct in choices):
        errors.append(_("Every choice needs a text."))
    if question_type == Question.TRUE_FALSE:
        if len(choices) != 2 or correct != 1:
            errors.append(_("A true/false question has exactly two choices, one of them correct."))
        return errors
    if not 2 <= len(choices) <= MAX_CHOICES:
        errors.append(_("Give between 2 and %(max)d choices.") % {"max": MAX_CHOICES})
    if question_type == Question.SINGLE and correct != 1:
        errors.append(_("A single-choice question has exactly one correct choice."))
    if question_type == Question.MULTIPLE and correct < 1:
        errors.append(_("A multiple-choice question needs at least one correct choice."))
    return errors


def category_by_path(path, create=False):
    """The category at ``path`` (``消保知识/投诉处理``), optionally creating missing levels."""
    names = [part.strip() for part in (path or "").split(PATH_SEPARATOR) if part.strip()]
    if not names:
        return None
    existing = QuestionCategory.objects.filter(full_name=PATH_SEPARATOR.join(names)).first()
    if existing or not create:
        return existing
    parent = None
    for depth in range(1, len(names) + 1):
        full_name = PATH_SEPARATOR.join(names[:depth])
        category = QuestionCategory.objects.filter(full_name=full_name).first()
        if category is None:
            category = QuestionCategory.objects.create(name=names[depth - 1], parent=parent)
        parent = category
    return parent
