"""The spreadsheet format of the question bank: columns, aliases, limits, and the records an
import produces."""

import re
import unicodedata
from dataclasses import dataclass, field

from ..models import Choice, Question

DEFAULT_DIFFICULTY = 2
LETTERS = "ABCDEF"
TRUE_TEXT, FALSE_TEXT = "对", "错"
SHEET_TITLE = "题目"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel in a Chinese locale writes GB18030 (GBK)

COLUMNS = [
    ("type", "题型"),
    ("category", "分类"),
    ("stem", "题干"),
    *[(f"option_{letter.lower()}", f"选项{letter}") for letter in LETTERS],
    ("answer", "答案"),
    ("explanation", "解析"),
    ("difficulty", "难度"),
    ("tags", "标签"),
]
REQUIRED_COLUMNS = ("type", "category", "stem")
TYPE_NAMES = {
    Question.SINGLE: "单选",
    Question.MULTIPLE: "多选",
    Question.TRUE_FALSE: "判断",
    Question.ESSAY: "简答",
}
TYPE_ALIASES = {
    **{name: qtype for qtype, name in TYPE_NAMES.items()},
    **{name + "题": qtype for qtype, name in TYPE_NAMES.items()},
    **{qtype: qtype for qtype in TYPE_NAMES},
    "true/false": Question.TRUE_FALSE,
    "问答": Question.ESSAY,
    "问答题": Question.ESSAY,
}
TRUE_ANSWERS = {TRUE_TEXT, "t", "true", "正确", "√"}
FALSE_ANSWERS = {FALSE_TEXT, "f", "false", "错误", "×"}
TAG_SEPARATORS = re.compile(r"[,，;；\s]+")
ANSWER_SEPARATORS = re.compile(r"[\s,，、;；]+")
CATEGORY_SEPARATORS = re.compile(r"[/／]")
WHOLE_NUMBER = re.compile(r"\d+(?:\.0*)?")


def _key(text):
    """Header and type names compare without case, spaces, underscores or full-width forms."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text)).lower()


HEADER_KEYS = {_key(name): key for key, zh in COLUMNS for name in (key, zh)}
TYPE_KEYS = {_key(name): qtype for name, qtype in TYPE_ALIASES.items()}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is translated and shown as it is."""


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
    def change_labels(self):
        labels = {"choices": Choice._meta.verbose_name_plural}
        return [
            str(labels.get(name) or Question._meta.get_field(name).verbose_name)
            for name in self.changes
        ]


@dataclass
class ImportReport:
    """Outcome of an import. ``errors`` are ``(row_number, message)``; the row number is the
    spreadsheet's (header = row 1) or None for a problem with the whole file."""

    filename: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_categories: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def written(self):
        return self.ok and not self.dry_run


def ordered_choices(question):
    """A question's choices in their editing order (uses a prefetch when there is one)."""
    return sorted(question.choices.all(), key=lambda c: (c.sort_order is None, c.sort_order, c.pk))
