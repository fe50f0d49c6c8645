"""The spreadsheet format of the question bank: columns, aliases, limits, and the records an
import produces."""

import re
from dataclasses import dataclass, field

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from ..models import Choice, Question
from .pipeline import ImportReport
from .sheets import header_key

DEFAULT_DIFFICULTY = 2
LETTERS = "ABCDEF"
TRUE_TEXT, FALSE_TEXT = "对", "错"
SHEET_TITLE = "题目"

COLUMNS = [
    ("type", "题型"),
    ("category", "分类"),
    ("stem", "题干"),
    *[(f"option_{letter.lower()}", f"选项{letter}") for letter in LETTERS],
    ("answer", "答案"),
    ("explanation", "解析"),
    ("difficulty", "难度"),
    ("tags", "标签"),
    ("codes", "分类编码"),
]
REQUIRED_COLUMNS = ("type", "category", "stem")
REQUIRED_HEADERS = [(key, f"{zh}/{key}") for key, zh in COLUMNS if key in REQUIRED_COLUMNS]
TYPE_NAMES = {
    Question.SINGLE: "单选",
    Question.MULTIPLE: "多选",
    Question.TRUE_FALSE: "判断",
    Question.ESSAY: "简答",
    Question.CLASSIFY: "投诉分类",
}
TYPE_ALIASES = {
    **{name: qtype for qtype, name in TYPE_NAMES.items()},
    **{name + "题": qtype for qtype, name in TYPE_NAMES.items()},
    **{qtype: qtype for qtype in TYPE_NAMES},
    "true/false": Question.TRUE_FALSE,
    "问答": Question.ESSAY,
    "问答题": Question.ESSAY,
    "分类题": Question.CLASSIFY,
}
TRUE_ANSWERS = {TRUE_TEXT, "t", "true", "正确", "√"}
FALSE_ANSWERS = {FALSE_TEXT, "f", "false", "错误", "×"}
TAG_SEPARATORS = re.compile(r"[,，;；\s]+")
# Not "、" nor spaces: the standard's names have them (服务设施、设备、业务系统).
CODE_SEPARATORS = re.compile(r"[,，;；\n]+")
ANSWER_SEPARATORS = re.compile(r"[\s,，、;；]+")
CATEGORY_SEPARATORS = re.compile(r"[/／]")
WHOLE_NUMBER = re.compile(r"\d+(?:\.0*)?")

# Header and type names compare without case, spaces, underscores or full-width forms.
HEADER_KEYS = {header_key(name): key for key, zh in COLUMNS for name in (key, zh)}
TYPE_KEYS = {header_key(name): qtype for name, qtype in TYPE_ALIASES.items()}


@dataclass
class QuestionRow:
    """One valid row: what the question will be."""

    row: int
    type: str
    category: str
    stem: str
    choices: list  # [(text, is_correct)] in option order
    explanation: str = ""
    difficulty: int = DEFAULT_DIFFICULTY
    tags: list = field(default_factory=list)
    codes: list = field(default_factory=list)  # keys or names as written; the plan finds them
    # A classification question: the key's codes by dimension, as written ({"A": "A.1.1", …}),
    # and as found in the bank when the import is planned.
    key: dict = field(default_factory=dict)
    key_codes: dict = field(default_factory=dict)


@dataclass
class PlannedChange:
    """What importing one row does (or would do, in a dry run)."""

    CREATE = "create"
    UPDATE = "update"

    row: int
    action: str
    category: str
    stem: str
    type: str
    changes: list = field(default_factory=list)  # field names an update changes
    data: QuestionRow | None = None
    question: Question | None = None

    @property
    def type_label(self):
        return dict(Question.TYPE_CHOICES)[self.type]

    @property
    def short_stem(self):
        return Truncator(self.stem).chars(80)

    @property
    def action_label(self):
        if self.question is None:
            return pgettext("import row action", "Create")
        if self.changes:
            return f"{_('Update:')} {', '.join(self.change_labels)}"
        return _("Unchanged")

    @property
    def change_labels(self):
        labels = {"choices": Choice._meta.verbose_name_plural, "key": _("Classification key")}
        return [
            str(labels.get(name) or Question._meta.get_field(name).verbose_name)
            for name in self.changes
        ]


@dataclass
class QuestionReport(ImportReport):
    """Outcome of a question import: the counts and the planned changes, in file order."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_categories: list = field(default_factory=list)

    kind = "question"
    change_columns = (
        (gettext_lazy("Row"), "row"),
        (pgettext_lazy("import row action", "Action"), "action_label"),
        (gettext_lazy("Category"), "category"),
        (pgettext_lazy("question type", "Type"), "type_label"),
        (gettext_lazy("Question"), "short_stem"),
    )

    @property
    def counts(self):
        values = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _(
                    "Would create %(created)s and update %(updated)s questions (%(unchanged)s "
                    "of them already identical)."
                )
                % values
            )
        return (
            _(
                "Created %(created)s and updated %(updated)s questions (%(unchanged)s of them "
                "already identical)."
            )
            % values
        )

    @property
    def notes(self):
        notes = [self.dry_run_note()] if self.dry_run else []
        if self.new_categories:
            notes.append(f"{_('New categories:')} {', '.join(self.new_categories)}")
        return notes


def ordered_choices(question):
    """A question's choices in their editing order (uses a prefetch when there is one)."""
    return sorted(question.choices.all(), key=lambda c: (c.sort_order is None, c.sort_order, c.pk))
