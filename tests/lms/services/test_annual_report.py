"""年度消保培训总结: the tables' numbers equal the dashboards', the evidence export's and the
learner's own hours for the same as-of day; groups, high-complaint roles, quizzes, sessions,
exemptions, corrections and the chain are counted as of the day; PDF and XLSX render."""

import io
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from lms import services
from lms.models import CompletionRecord, Exemption, PlanItem, Position, PositionHours, TrainingPlan
from lms.services import dashboard
from lms.services.annual.chain import chain_table
from lms.services.annual.figures import Rate, average
from lms.services.annual.pdf import render_pdf
from lms.services.annual.report import build_report
from lms.services.annual.xlsx import render_xlsx
from lms.services.compliance import exemptions
from lms.services.compliance.evidence_as_of import evidence_rows_as_of
from lms.services.learning import offline
from lms.services.learning.home import hours_earned_of
from lms.services.records.anchoring import anchor_chain
from lms.services.records.chain import supersede_record
from lms.services.records.outside import VIDEO_MEETING, record_outside
from lms.services.reports import evidence_headings
from quizzes import services as quiz_services
from tests.factories import (
    UserFactory,
    choice_ids,
    make_category,
    make_course,
    make_item,
    make_org,
    make_plan,
    make_question,
    make_quiz,
    make_session,
    make_staff,
)
from tests.lms.compliance_support import at, complete

pytestmark = pytest.mark.django_db


def position(name, level, high=False):
    return Position.objects.create(name=name, staff_level=level, high_complaint=high)


def sit(user, quiz, question, correct, moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        attempt, _created = quiz_services.start_attempt(user, quiz)
        picks = choice_ids(attempt, question.pk, correct=correct)
        quiz_services.save_answer(attempt, question.pk, picks[:1])
        return quiz_services.submit_attempt(attempt)


@pytest.fixture
def year(catalog):
    """营业部 (LZ0101): tellers T1–T3 (front-line, high-complaint), head H (management), new
    hire N (front-line teller, hired 2026-03-01); 东岗 (LZ0102): teller T4, officer O (other).
    Items: a course due 30 June (everyone), a quiz due 30 September (tellers)."""
    org = make_org()
    teller = position("柜员", Position.FRONT_LINE, high=True)
    head = position("网点负责人", Position.MANAGEMENT)
    clerk = position("消保专员", Position.OTHER)
    course = make_course(catalog, title="投诉分类", slug="complaints", lessons=1)
    question = make_question(make_category(), type="single")
    quiz = make_quiz([question], title="投诉分类测验", pass_mark=60)
    plan = make_plan(year=2026, status=TrainingPlan.PUBLISHED, required_hours=Decimal("2"))
    PositionHours.objects.create(plan=plan, position=teller, hours=Decimal("3"))
    course_item = make_item(
        plan, "投诉分类", course=course, everyone=True, due_date=date(2026, 6, 30)
    )
    quiz_item = make_item(
        plan, "投诉分类测验", quiz=quiz, positions=[teller], due_date=date(2026, 9, 30)
    )
    offline_item = make_item(
        plan,
        "投诉处理工作坊",
        kind=PlanItem.OFFLINE,
        units=[org["LZ0101"]],
        credit_hours=2,
        due_date=date(2026, 10, 31),
    )
    people = {}
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 1, 5, 9)):
        for code, unit, pos, hired in (
            ("T1", "LZ0101", teller, date(2019, 1, 1)),
            ("T2", "LZ0101", teller, date(2019, 1, 1)),
            ("T3", "LZ0101", teller, date(2019, 1, 1)),
            ("H", "LZ0101", head, date(2015, 1, 1)),
            ("N", "LZ0101", teller, date(2026, 3, 1)),
            ("T4", "LZ0102", teller, date(2019, 1, 1)),
            ("O", "LZ0102", clerk, date(2018, 1, 1)),
        ):
            people[code] = make_staff(f"2000{code}", org[unit], pos, hired, name=code)
        services.publish_plan(plan)
    officer = UserFactory(username="officer", is_superuser=True)
    complete(people["T1"], course, at(2026, 3, 10, 10))
    complete(people["H"], course, at(2026, 4, 1, 10))
    complete(people["T4"], course, at(2026, 8, 1, 10))  # late
    sit(people["T1"].user, quiz, question, True, at(2026, 5, 1, 10))
    sit(people["T2"].user, quiz, question, False, at(2026, 5, 2, 10))
    sit(people["T2"].user, quiz, question, True, at(2026, 5, 3, 10))
    sit(people["T4"].user, quiz, question, True, at(2026, 11, 2, 10))  # after the day asked
    exemptions.grant(
        officer, people["T3"], course_item, Exemption.EXEMPT, "产假", now=at(2026, 4, 1, 9)
    )
    session = make_session(offline_item, org["LZ0101"], starts_at=at(2026, 6, 10, 14))
    for code in ("T1", "H"):
        offline.check_in(people[code].user, session, now=at(2026, 6, 10, 14, 5))
    outside = record_outside(
        officer,
        people["O"],
        course_item,
        date(2026, 5, 20),
        "1.5",
        VIDEO_MEETING,
        "人民银行专题讲座",
        SimpleUploadedFile("签到表.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
    )
    return {
        "org": org,
        "plan": plan,
        "people": people,
        "officer": officer,
        "items": (course_item, quiz_item, offline_item),
        "outside": outside,
    }


DAY = date(2026, 7, 15)


def report_of(year, day=DAY, unit=None, user=None):
    with translation.override("en"):
        return build_report(year["plan"], day=day, unit=unit, user=user or year["officer"])


def values(table):
    return {row[0]: row[1:] for row in table.rows}


def test_the_totals_equal_the_dashboard_and_the_evidence_export_for_the_day(year):
    report = report_of(year)
    overview = dict((row[0], row[1]) for row in report.table("overview").rows)
    live = dashboard.team_overview(year["officer"], year["plan"], as_of=DAY).total
    assert overview["Training assignments (exempt ones left out)"] == live.assigned
    assert overview["Completed"] == live.completed
    assert overview["Overdue or expired"] == live.overdue
    # The evidence export of that day, row by row.
    with translation.override("en"):
        rows = list(evidence_rows_as_of(year["officer"], year["plan"], DAY))
        status = evidence_headings().index("Status")
    statuses = Counter(row[status].split(" (")[0] for row in rows)
    assert statuses["Exempt"] == overview["Exempt"] == 1
    assert statuses["Completed"] == live.completed
    assert statuses["Overdue"] + statuses["Expired"] == live.overdue
    assert len(rows) - statuses["Exempt"] == live.assigned
    # The by-unit table is the dashboard's, unit by unit.
    units = {row[1]: row for row in report.table("units").rows}
    for unit_row in dashboard.team_overview(year["officer"], year["plan"], as_of=DAY).units:
        if unit_row.code in units:
            assert units[unit_row.code][3:5] == [
                unit_row.counts.assigned,
                unit_row.counts.completed,
            ]
            assert units[unit_row.code][6] == unit_row.counts.overdue


def test_numbers_as_of_the_day(year):
    # On 15 July: course due 30 June done by T1, H, O (outside record); T4 late (1 Aug) and
    # T2, N overdue; T3 exempt. Quiz (tellers, due 30 Sept): T1 and T2 passed.
    groups = values(report_of(year).table("groups"))
    # people, to be trained, trained, coverage, all done, rate, with overdue, average hours
    # T1 did all three items; T2 the quiz; T2, N and T4 have the course overdue.
    assert groups["Front-line business staff"][:7] == [5, 5, 2, Rate(2, 5), 1, Rate(1, 5), 3]
    assert groups["Senior and middle management"][:7] == [1, 1, 1, Rate(1, 1), 1, Rate(1, 1), 0]
    assert groups["Other staff"][:7] == [1, 1, 1, Rate(1, 1), 1, Rate(1, 1), 0]
    assert groups["of whom new hires of the year"][:3] == [1, 1, 0]
    overview = dict((row[0], row[1]) for row in report_of(year).table("overview").rows)
    assert overview["Staff to be trained"] == 7
    # By year end T4 has done the course and the quiz; N, T3 and T2's course remain.
    later = values(report_of(year, day=None).table("groups"))
    assert later["Front-line business staff"][2] == 3  # T1, T2, T4 trained


def test_hours_equal_the_learners_own_page(year):
    report = report_of(year, day=None)
    earned = defaultdict(list)
    for name, hours in (
        get_user_model()
        .objects.filter(staff_profile__isnull=False)
        .annotate(earned=hours_earned_of(2026))
        .values_list("staff_profile__position__name", "earned")
    ):
        earned[name].append(hours or Decimal(0))
    table = values(report.table("hours"))  # group, staff, required, average, met, share
    for name, hours in earned.items():
        assert table[name][1] == len(hours)
        assert table[name][3] == average(sum(hours), len(hours))
    assert table["消保专员"][1:5] == [1, Decimal("2"), Decimal("1.5"), 0]  # O: the outside record
    assert table["柜员"][2] == Decimal("3")  # the position's own rule, not the plan's 2


def test_frequency_quizzes_sessions_exemptions_corrections(year):
    report = report_of(year)
    frequency = values(report.table("frequency"))
    # staff, items per person, completions per person, check-ins per person, hours, rate
    assert frequency["柜员"][:2] == [5, Decimal("2.6")]  # 13 assignments (T3's exempt left out)
    assert frequency["High-complaint roles together"][0] == 5
    assert frequency["Other roles"][:2] == [2, Decimal("1.5")]  # H: course + offline; O: course
    assert frequency["Other roles"][3] == Decimal("0.5")  # H checked in
    # T1 passed once; T2 failed, then passed; T4 sat after the day asked.
    quiz = report.table("quizzes").rows
    assert quiz == [["投诉分类测验", 2, 3, 2, Rate(2, 2), Decimal("66.7")]]
    sessions = report.table("sessions")
    assert [row[-1] for row in sessions.rows] == [2]
    assert sessions.total[-1] == 2
    assert "2 of 5" in sessions.note
    exempt = report.table("exemptions").rows
    assert [(row[0], row[6], row[9]) for row in exempt] == [("2000T3", "产假", "No")]
    corrections = report.table("corrections").rows
    assert [(row[0], row[9]) for row in corrections] == [(year["outside"].pk, "人民银行专题讲座")]
    # A correction entered later about a day before: counted as of the day, as everywhere.
    fixed = supersede_record(
        year["outside"],
        reason="日期有误",
        recorded_by=year["officer"],
        completed_at=at(2026, 5, 21, 9),
    )
    rows = report_of(year).table("corrections").rows
    assert [(row[0], row[10]) for row in rows] == [
        (year["outside"].pk, None),
        (fixed.pk, year["outside"].pk),
    ]


def test_a_manager_reports_on_their_own_units_only(year):
    head = year["people"]["H"]
    head.managed_units.add(year["org"]["LZ0101"])
    report = report_of(year, user=head.user, unit=year["org"]["LZ0101"])
    overview = dict((row[0], row[1]) for row in report.table("overview").rows)
    assert overview["Staff to be trained"] == 5  # T1, T2, T3, H, N; not 东岗's T4 and O
    assert [row[1] for row in report.table("units").rows] == ["LZ0101"]
    assert report.table("corrections").rows == []  # O's outside record is 东岗's
    assert report.table("exemptions").rows[0][0] == "2000T3"


def test_the_chain_table_says_what_it_checked(year, settings, tmp_path):
    settings.LMS_ANCHOR_DIR = str(tmp_path)
    rows = dict(report_of(year).table("chain").rows)
    assert rows["Chain verified at the cut-off"] == "Yes"
    assert rows["Records in the chain"] == CompletionRecord.objects.count()
    # Tampered with: the report says so.
    record = CompletionRecord.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        table = CompletionRecord._meta.db_table
        cursor.execute(f"UPDATE {table} SET credit_hours = 9 WHERE id = %s", [record.pk])  # noqa: S608
    rows = dict(report_of(year).table("chain").rows)
    assert rows["Chain verified at the cut-off"] == "No"
    assert rows["Problems found"] >= 1


def test_a_long_chain_is_reported_from_the_newest_anchor(year, settings, tmp_path, monkeypatch):
    settings.LMS_ANCHOR_DIR = str(tmp_path)
    monkeypatch.setattr("lms.services.annual.chain.VERIFY_LIMIT", 3)
    with translation.override("en"):
        table = chain_table()
    assert dict(table.rows)["How it was checked"] == "Not verified: no signed anchor on file"
    anchor_chain()
    count = CompletionRecord.objects.count()
    complete(year["people"]["T2"], year["items"][0].course, at(2026, 7, 20, 9))
    with translation.override("en"):
        rows = dict(chain_table().rows)
    assert rows["How it was checked"] == "From the newest signed anchor, checked now"
    assert rows["Records verified then"] == count
    assert rows["Records added since"] == CompletionRecord.objects.count() - count == 1
    assert rows["Anchored record still holds the anchored hash"] == "Yes"
    assert rows["Chain head's seal holds"] == "Yes"


def test_pdf_and_workbook(year):
    report = report_of(year)
    with translation.override("zh-hans"):
        report = build_report(year["plan"], day=DAY, user=year["officer"])
        pdf = render_pdf(report)
        workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf
    assert len(workbook.sheetnames) == 1 + len(report.tables)
    cover = workbook.worksheets[0]
    assert cover["B5"].value == DAY.isoformat()
    groups = workbook.worksheets[2]
    assert groups["A2"].value == "人员类别"
    # Numbers stay numbers, rates are fractions shown as percentages.
    assert groups["B3"].value == 1 and groups["E3"].number_format == "0.0%"
    assert "2026-07-15" in groups.oddFooter.center.text


def test_the_query_count_does_not_grow_with_the_staff(year, django_assert_max_num_queries):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            report_of(year)
        return len(captured)

    before = queries()
    teller = Position.objects.get(name="柜员")
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 2, 1, 9)):
        for number in range(6):
            person = make_staff(f"3000{number}", year["org"]["LZ0201"], teller, date(2020, 1, 1))
            services.sync_staff(person)
    assert queries() == before
