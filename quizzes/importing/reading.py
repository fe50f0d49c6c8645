"""Checking the rows of a question file (nothing is written here); the file is read by
``quizzes.importing.sheets`` and the import is ``quizzes.services.importing``."""

import unicodedata
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from ..models import Question
from ..models.bank import PATH_SEPARATOR
from ..services.bank import validate_choices
from .format import (
    ANSWER_SEPARATORS,
    CATEGORY_SEPARATORS,
    CODE_SEPARATORS,
    DEFAULT_DIFFICULTY,
    FALSE_ANSWERS,
    FALSE_TEXT,
    LETTERS,
    TAG_SEPARATORS,
    TRUE_ANSWERS,
    TRUE_TEXT,
    TYPE_KEYS,
    WHOLE_NUMBER,
    QuestionRow,
)
from .sheets import header_key


def cell_text(value):
    """A cell as the question format reads it: always text. A date cell reads as the text of its
    date and time, ``2026-03-01 00:00:00`` (what the question import has always read there)."""
    if isinstance(value, datetime):
        return str(value)
    if isinstance(value, date):
        return str(datetime.combine(value, time()))
    return value


# --- Checking one row ----------------------------------------------------------------------


def _category_path(raw, errors):
    names = [name.strip() for name in CATEGORY_SEPARATORS.split(raw) if name.strip()]
    if not names:
        errors.append(_("The category is missing."))
        return ""
    for name in names:
        if len(name) > 60:
            errors.append(
                _("Category name “%(name)s” is longer than %(max)d characters.")
                % {"name": name, "max": 60}
            )
    path = PATH_SEPARATOR.join(names)
    if len(path) > 255:
        errors.append(_("The category path is longer than %(max)d characters.") % {"max": 255})
    return path


def _lettered_choices(options, answer, errors):
    start = len(errors)
    last = max((i for i, text in enumerate(options) if text), default=-1)
    gaps = [LETTERS[i] for i in range(last) if not options[i]]
    if gaps:
        errors.append(
            _("Option %(letters)s is empty but a later option is not: fill options from A on.")
            % {"letters": ", ".join(gaps)}
        )
    for letter, text in zip(LETTERS, options, strict=True):
        if len(text) > 500:
            errors.append(
                _("Option %(letter)s is longer than %(max)d characters.")
                % {"letter": letter, "max": 500}
            )
    letters = ANSWER_SEPARATORS.sub("", unicodedata.normalize("NFKC", answer)).upper()
    if not letters:
        errors.append(_("The answer is missing: give the letters of the correct options, e.g. AC."))
    elif any(letter not in LETTERS for letter in letters):
        errors.append(
            _("The answer “%(answer)s” must be option letters A to F.") % {"answer": answer}
        )
    else:
        empty = [letter for letter in dict.fromkeys(letters) if not options[LETTERS.index(letter)]]
        if empty:
            errors.append(
                _("The answer names option %(letters)s, which is empty.")
                % {"letters": ", ".join(empty)}
            )
    if len(errors) > start:
        return None
    return [
        (text, letter in letters) for letter, text in zip(LETTERS, options, strict=True) if text
    ]


def _true_false_choices(answer, errors):
    value = unicodedata.normalize("NFKC", answer).strip().lower()
    if value in TRUE_ANSWERS or value in FALSE_ANSWERS:
        is_true = value in TRUE_ANSWERS
        return [(TRUE_TEXT, is_true), (FALSE_TEXT, not is_true)]
    if value:
        errors.append(
            _("The answer “%(answer)s” of a true/false question must be 对 or 错 (T or F).")
            % {"answer": answer}
        )
    else:
        errors.append(_("The answer is missing: 对 or 错 (T or F)."))
    return None


def _classify_key(options, answer, errors):
    """The key of a classification question: the answer column holds its three codes (one per
    dimension, e.g. ``A.1.1 B.3.3 C.10``); the options columns stay empty."""
    if any(options):
        errors.append(_("A classification question has no options: put its codes in the answer."))
    codes = [code.upper() for code in ANSWER_SEPARATORS.split(answer.strip()) if code]
    key = {code[:1]: code for code in codes}
    if len(codes) != 3 or sorted(key) != ["A", "B", "C"]:
        errors.append(
            _(
                "The answer of a classification question is three codes, one of each dimension "
                "A, B and C (e.g. A.1.1 B.3.3 C.10)."
            )
        )
        return {}
    return key


def _difficulty(raw, errors):
    value = unicodedata.normalize("NFKC", raw)
    if not value:
        return DEFAULT_DIFFICULTY
    if WHOLE_NUMBER.fullmatch(value) and 1 <= int(float(value)) <= 5:
        return int(float(value))
    errors.append(_("Difficulty “%(value)s” must be a whole number from 1 to 5.") % {"value": raw})
    return None


def _tags(raw, errors):
    tags = list(dict.fromkeys(tag for tag in TAG_SEPARATORS.split(raw) if tag))
    for tag in tags:
        if len(tag) > 100:
            errors.append(
                _("Tag “%(tag)s” is longer than %(max)d characters.") % {"tag": tag, "max": 100}
            )
    return tags


def _codes(raw):
    """The classification codes of a row as written (keys or names); the plan looks them up."""
    return list(dict.fromkeys(text.strip() for text in CODE_SEPARATORS.split(raw) if text.strip()))


def parse_row(number, values):
    """Check one row (``values`` maps column keys to text): ``(QuestionRow or None, errors)``."""
    errors = []
    raw_type = values.get("type", "")
    qtype = TYPE_KEYS.get(header_key(raw_type))
    if not raw_type:
        errors.append(_("The question type is missing."))
    elif qtype is None:
        errors.append(
            _(
                "Unknown question type “%(type)s”: use 单选, 多选, 判断 or 简答 "
                "(single, multiple, truefalse, essay)."
            )
            % {"type": raw_type}
        )
    category = _category_path(values.get("category", ""), errors)
    stem = values.get("stem", "")
    if not stem:
        errors.append(_("The question text (题干) is missing."))
    options = [values.get(f"option_{letter.lower()}", "") for letter in LETTERS]
    answer = values.get("answer", "")

    choice_errors = []
    choices = None
    key = {}
    if qtype in (Question.SINGLE, Question.MULTIPLE):
        choices = _lettered_choices(options, answer, choice_errors)
    elif qtype == Question.TRUE_FALSE:
        # The options columns do not apply: a true/false question's choices are always 对 and 错.
        choices = _true_false_choices(answer, choice_errors)
    elif qtype == Question.ESSAY:
        choices = []
        if any(options):
            choice_errors.append(_("A short-answer question has no options."))
        if answer:
            choice_errors.append(
                _("A short-answer question has no answer: put a model answer in the explanation.")
            )
    elif qtype == Question.CLASSIFY:
        choices = []
        key = _classify_key(options, answer, choice_errors)
    if choices is not None:
        choice_errors.extend(validate_choices(qtype, choices))
    errors.extend(choice_errors)

    difficulty = _difficulty(values.get("difficulty", ""), errors)
    tags = _tags(values.get("tags", ""), errors)
    if errors:
        return None, errors
    row = QuestionRow(
        row=number,
        type=qtype,
        category=category,
        stem=stem,
        choices=choices,
        explanation=values.get("explanation", ""),
        difficulty=difficulty,
        tags=tags,
        codes=_codes(values.get("codes", "")),
        key=key,
    )
    return row, []
