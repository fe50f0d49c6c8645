"""The question bank as spreadsheets (.xlsx, .csv): the format, checking rows and the
workbooks; and the spreadsheet reader (``sheets``) and import flow (``pipeline``) that every
CP-LMS import shares. The question import itself (planning and writing) is
``quizzes.services.importing``.

The format, read and written here: one question per row, headers in the first non-blank row, in
Chinese or English (case, spaces and underscores ignored):

    题型/type  分类/category  题干/stem  选项A…选项F/option_a…option_f  答案/answer
    解析/explanation  难度/difficulty  标签/tags

Update rule: a row whose category path and stem (surrounding whitespace ignored) match exactly one
question of the bank updates that question: its type, choices, explanation, difficulty and tags
become the row's. Its points, status and figure are kept, and so is a choice's feedback while the
choice's text is unchanged. Other rows create new questions, and the categories they need. A row
matching several questions, and two rows with the same category and stem, are errors. A matched row
whose content is already identical counts as updated but is not saved again.

All or nothing: every row is checked before anything is written, one bad row and nothing is
written, and the writes run in one transaction.
"""

from .format import (
    PlannedChange,
    QuestionReport,
    QuestionRow,
)
from .pipeline import ImportReport
from .reading import cell_text, parse_row
from .sheets import ImportFileError
from .workbooks import (
    export_questions,
    question_values,
    template_workbook,
)

__all__ = [
    "ImportFileError",
    "ImportReport",
    "PlannedChange",
    "QuestionReport",
    "QuestionRow",
    "cell_text",
    "export_questions",
    "parse_row",
    "question_values",
    "template_workbook",
]
