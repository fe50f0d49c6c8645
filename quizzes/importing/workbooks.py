"""Writing the bank out: the export and the downloadable template, in the import's format."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ..conf import app_settings
from ..models import Question
from ..services.classification import tree_key
from .format import (
    COLUMNS,
    FALSE_TEXT,
    LETTERS,
    SHEET_TITLE,
    TRUE_TEXT,
    TYPE_NAMES,
    ordered_choices,
)

# --- Writing workbooks ---------------------------------------------------------------------


def _cell(sheet, value, bold=False):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text
    if bold:
        cell.font = Font(bold=True)
    return cell


def _question_sheet(workbook):
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    widths = {"A": 8, "B": 24, "C": 50, "J": 8, "K": 40, "L": 8, "M": 20}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.append([_cell(sheet, zh, bold=True) for _key_name, zh in COLUMNS])
    return sheet


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def question_values(question):
    """A question as a row of the format (the columns of COLUMNS, in order)."""
    choices = ordered_choices(question)
    options = [""] * len(LETTERS)
    answer = ""
    if question.type == Question.TRUE_FALSE:
        correct = next((c for c in choices if c.is_correct), None)
        if correct is not None and correct.text in (TRUE_TEXT, FALSE_TEXT):
            answer = correct.text
        elif correct is not None:
            answer = TRUE_TEXT if correct is choices[0] else FALSE_TEXT
    elif question.type == Question.CLASSIFY:
        answer = " ".join(code.code for code in question.classify_key().values() if code)
    elif question.type != Question.ESSAY:
        for index, choice in enumerate(choices[: len(LETTERS)]):
            options[index] = choice.text
            if choice.is_correct:
                answer += LETTERS[index]
    tags = ",".join(sorted(tag.name for tag in question.tags.all()))
    codes = ",".join(sorted((c.code for c in question.classification_codes.all()), key=tree_key))
    return [
        TYPE_NAMES[question.type],
        question.category.full_name,
        question.stem,
        *options,
        answer,
        question.explanation,
        question.difficulty,
        tags,
        codes,
    ]


def export_questions(queryset):
    """The questions as an .xlsx workbook (bytes) in the import format, headers in Chinese."""
    workbook = Workbook(write_only=True)
    sheet = _question_sheet(workbook)
    questions = queryset.select_related("category", *Question.KEY_FIELDS.values())
    questions = questions.prefetch_related("choices", "tags", "classification_codes")
    for question in questions.iterator(chunk_size=500):
        sheet.append([_cell(sheet, value) for value in question_values(question)])
    return _save(workbook)


# Example rows of the template, one a line, cells separated by "|" (difficulty is a number).
EXAMPLES = """\
单选|消保知识/投诉处理|客户投诉的首要处理原则是？|推诿|先安抚、再核实|置之不理||||B|先安抚客户情绪，再核实情况。|2|投诉,基础|C.1
多选|消保知识/适当性管理|销售理财产品时应当做到哪些？|风险测评|双录|承诺保本||||AB|不得承诺保本保收益。|3|理财 双录|B.5,C.4,C.5
判断|消保知识/个人信息保护|可以把客户信息提供给无关第三方。|||||||错|须经客户同意并依法处理。|1|个人信息|消费者信息安全
简答|消保知识/投诉处理|简述投诉处理的基本流程。||||||||受理、调查、处理、回复、归档。|3||
投诉分类|投诉分类|客户在手机银行转账时被多收手续费，来电投诉。|||||||A.1.3.3 B.4.4 C.7|渠道：移动客户端；业务：电子支付；原因：定价收费。|2|投诉分类|C.7
"""  # noqa: E501


def _instructions():
    return [
        (_("Column"), _("What to write")),
        ("题型 / type", _("单选, 多选, 判断 or 简答 (or single, multiple, truefalse, essay).")),
        (
            "分类 / category",
            _(
                "Category path, levels separated by “/”, e.g. 消保知识/投诉处理. "
                "Missing categories are created."
            ),
        ),
        ("题干 / stem", _("The question text. Required.")),
        (
            "选项A…选项F / option_a…option_f",
            _(
                "Choices of single and multiple choice questions, filled from A on (2 to 6). Leave "
                "them blank for true/false and short-answer questions."
            ),
        ),
        (
            "答案 / answer",
            _(
                "Letters of the correct options, e.g. B or AC; 对 or 错 (T or F) for "
                "true/false; blank for short answer."
            ),
        ),
        (
            "投诉分类 / classify",
            _(
                "A complaint classification question: type 投诉分类, the complaint case as the "
                "question text, no options, and as the answer the three codes of the key, one "
                "per dimension, e.g. A.1.3.3 B.4.4 C.7 (the codes are listed in the admin)."
            ),
        ),
        ("解析 / explanation", _("Optional explanation shown after answering.")),
        ("难度 / difficulty", _("1 (easy) to 5 (hard); 2 when blank.")),
        ("标签 / tags", _("Optional, separated by commas, semicolons or spaces.")),
        (
            "分类编码 / codes",
            _(
                "Optional complaint classification codes (JR/T 0169-2018 or the bank's own), "
                "e.g. C.5 or its name 信息披露, separated by commas or semicolons. A name used "
                "by several codes needs the code."
            ),
        ),
        (
            "",
            _(
                "A row with the same category and question text as a question of the bank "
                "updates that question; other rows create questions."
            ),
        ),
        (
            "",
            _(
                "Nothing is imported unless every row is valid. Headers may be in Chinese or "
                "English. Save as .xlsx or .csv (UTF-8 or GB18030), at most %(rows)d questions "
                "and %(size)d MB per file."
            )
            % {
                "rows": app_settings.LMS_QUESTION_IMPORT_MAX_ROWS,
                "size": app_settings.LMS_QUESTION_IMPORT_MAX_BYTES >> 20,
            },
        ),
    ]


def template_workbook():
    """An .xlsx template (bytes): the headers, example rows and an instructions sheet."""
    workbook = Workbook(write_only=True)
    sheet = _question_sheet(workbook)
    for line in EXAMPLES.splitlines():
        values = [int(value) if value.isdigit() else value for value in line.split("|")]
        sheet.append([_cell(sheet, value) for value in values])
    notes = workbook.create_sheet(_("Instructions"))
    notes.column_dimensions["A"].width = 32
    notes.column_dimensions["B"].width = 90
    for number, (column, text) in enumerate(_instructions()):
        notes.append([_cell(notes, column, bold=number == 0), _cell(notes, text, bold=number == 0)])
    return _save(workbook)
