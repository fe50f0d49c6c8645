"""The three spreadsheet imports (questions, the roster, a session's attendance sheet) run the
one flow of quizzes.importing.pipeline: the same reader refuses the same files with the same
message, and a write that fails half-way leaves nothing of the import written."""

import io
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook

from lms import services
from lms.models import CheckIn, CompletionRecord, PlanItem, StaffProfile
from lms.services.learning import offline
from lms.services.learning.attendance import import_attendance
from lms.services.roster import import_roster
from quizzes.models import Question, QuestionCategory
from quizzes.services.importing import import_questions
from tests.factories import make_item, make_org, make_plan, make_position, make_session, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    org = make_org()
    make_position("柜员")
    make_staff("000101", org["LZ0101"], name="王芳")
    make_staff("000102", org["LZ0102"], name="李强")
    plan = make_plan(timezone.localdate().year)
    item = make_item(plan, "工作坊", kind=PlanItem.OFFLINE, everyone=True, credit_hours=2)
    services.publish_plan(plan)
    return make_session(item, org["LZ01"], starts_at=timezone.now() - timedelta(days=2))


def imports(session):
    """Each import as a function of ``(data, filename)``."""
    return {
        "questions": import_questions,
        "roster": import_roster,
        "attendance": lambda data, name: import_attendance(session, data, name),
    }


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            "工号,姓名".encode("utf-16"),
            "a.csv",
            "UTF-16 text is not supported: save the file as “CSV UTF-8”.",
        ),
        (b"\x80\x81,x", "a.csv", "The file is neither UTF-8 nor GB18030 text."),
        (b"not a zip", "a.xlsx", "This is not a readable .xlsx workbook."),
        (b"x", "a.xls", "“a.xls” is not an .xlsx or .csv file."),
        (b"", "a.csv", "The file is empty."),
    ],
    ids=["utf-16", "encoding", "xlsx", "extension", "empty"],
)
def test_every_import_refuses_an_unreadable_file_with_the_same_message(
    session, data, name, message
):
    with translation.override("en"):
        for kind, run in imports(session).items():
            report = run(data, name)
            assert report.errors == [(None, message)], kind
            assert not report.written
    assert not Question.objects.exists() and not CheckIn.objects.exists()


def test_a_failing_write_leaves_nothing_of_any_import_written(session):
    questions = xlsx(
        [
            ["题型", "分类", "题干", "选项A", "选项B", "答案"],
            ["单选", "消保知识", "第一题", "甲", "乙", "A"],
            ["单选", "消保知识/投诉", "第二题", "甲", "乙", "B"],
        ]
    )
    # The first question and its categories are saved before its history entry fails.
    with (
        patch("quizzes.services.importing.log", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        import_questions(questions, "q.xlsx")
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()

    roster = xlsx([["工号", "姓名", "机构"], ["000301", "新人", "LZ0101"]])
    # The new person and their account are saved before the assignments fail to follow.
    with (
        patch("lms.services.roster.writing.sync_many", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        import_roster(roster, "r.xlsx")
    assert not StaffProfile.objects.filter(employee_no="000301").exists()

    sheet = xlsx([["工号"], ["000101"], ["000102"]])
    real = offline._write_check_in
    calls = []

    def second_fails(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    with (
        patch("lms.services.learning.attendance._write_check_in", side_effect=second_fails),
        pytest.raises(RuntimeError),
    ):
        import_attendance(session, sheet, "a.xlsx")
    assert len(calls) == 2  # the first check-in was written, then rolled back
    assert not CheckIn.objects.exists() and not CompletionRecord.objects.exists()

    # Nothing half-done stands in the way: the same files import whole.
    assert import_questions(questions, "q.xlsx").created == 2
    assert import_roster(roster, "r.xlsx").created == 1
    assert import_attendance(session, sheet, "a.xlsx").checked_in == ["王芳", "李强"]
