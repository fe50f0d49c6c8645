"""A passing submit through the API on a planned course's final check: the queries it makes
stay few and constant in the number of questions, of the learner's assignments and of the
learners who took the quiz before (issue 13)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from courses import services as course_services
from courses.models import QuizStepPage
from lms import services as lms_services
from lms.models import Assignment, Certificate, CompletionRecord
from tests.api_support import answer_all, start
from tests.factories import (
    UserFactory,
    finish_lesson,
    lessons_of,
    make_category,
    make_course,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_question,
    make_quiz,
    make_staff,
)

pytestmark = pytest.mark.django_db

#: The queries of a passing submit of a planned course's final check (SQLite, inside the test's
#: transaction, so the submit's transaction is a savepoint: 2 of them). 66 before issue 13's
#: work, 38 before this count; each of them:
#:  1. the session, 2. the user (Django's authentication);
#:  3. SAVEPOINT; 4. the attempt with its quiz and user, owner checked, locked;
#:  5. its answers; 6. the answers' marks (one UPDATE); 7. the attempt, final;
#:  8. the learner's staff profile with its unit and the hours the quiz's plan items give (lms);
#:  9. the courses the quiz is a live step of, with their live revisions; 10. their live steps;
#:  11. which steps the learner completed (one UNION); 12. the course's progress row made if
#:  missing (INSERT … ignored on conflict); 13. the progress completed (conditional UPDATE);
#:  14. the course's best passed score and reading seconds (one row, two subqueries);
#:  15. the course's and the quiz's open assignments with their items' validity rules (issue 14:
#:  each completion counts until its item says, written on the record before it is hashed);
#:  16. those assignments completed (one UPDATE, tallies);
#:  17. the chain head, locked; 18. both records (one INSERT); 19. the head moved;
#:  20. both certificates (one INSERT); 21. both assignments pointed at their records;
#:  22. RELEASE SAVEPOINT. The reply reads nothing more: the notes on the course reuse what
#:  9–11 read, and this quiz allows any number of attempts (with a limit, the attempts left
#:  cost 2 more: the learner's overrides of the quiz and their attempts counted).
SUBMIT_QUERIES = 22


def planned_final_check(catalog, questions, plans=1):
    """A course with two lessons and a final check of ``questions`` questions, assigned (course
    and quiz) to everyone by ``plans`` published plans."""
    category = make_category()
    quiz = make_quiz(
        [make_question(category, "single") for _ in range(questions)],
        title="结业测验",
        pass_mark=60,
        max_attempts=0,
    )
    course = make_course(catalog, title="投诉处理", slug=f"course-{questions}-{plans}", lessons=2)
    step = QuizStepPage(title="结业测验", slug="final", quiz=quiz)
    course.add_child(instance=step)
    step.save_revision().publish()
    for number in range(plans):
        plan = make_plan(year=2026 - number, title=f"计划 {number}")
        make_item(plan, "课程", course=course, everyone=True, due_date=date(2026, 12, 31))
        make_item(plan, "测验", quiz=quiz, everyone=True, due_date=date(2026, 12, 31))
        lms_services.publish_plan(plan)
    return course, quiz


def learner_of(unit, number):
    user = UserFactory(username=f"3001{number:02d}")
    staff = make_staff(f"3001{number:02d}", unit, make_position(), date(2020, 1, 1), user=user)
    lms_services.sync_staff(staff)  # hired after the plans were published: assigned now
    assert Assignment.objects.filter(staff=staff, status=Assignment.OPEN).exists()
    return user


def passing_submit(client, user, course, quiz):
    client.force_login(user)
    for lesson in lessons_of(course):
        finish_lesson(user, lesson)
    attempt = answer_all(client, start(client, quiz)["id"])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/api/v1/attempts/{attempt.pk}/submit")
    assert response.status_code == 200, response.content
    assert response.json()["passed"] is True
    return queries


def test_a_passing_submit_makes_few_queries_whatever_the_size(client, catalog):
    unit = make_org()["LZ0101"]
    counts = {}
    # Somebody passed before in both cases: the chain head exists (created with the first record).
    for questions, plans, before in ((3, 1, 1), (12, 3, 4)):
        course, quiz = planned_final_check(catalog, questions, plans)
        for number in range(before):
            passing_submit(client, learner_of(unit, 10 * questions + number), course, quiz)
        user = learner_of(unit, 10 * questions + 9)
        queries = passing_submit(client, user, course, quiz)
        counts[(questions, plans, before)] = len(queries)
        # This course's and quiz's (the learner also has the first case's, still open).
        theirs = Assignment.objects.filter(staff__user=user).filter(
            Q(plan_item__course=course) | Q(plan_item__quiz=quiz)
        )
        assert theirs.count() == 2 * plans
        assert theirs.filter(status=Assignment.OPEN).count() == 0
        records = CompletionRecord.objects.filter(user=user)
        assert records.count() == 2  # the course and the quiz
        assert Certificate.objects.filter(record__in=records).count() == 2
        # Each assignment completed at its own record's time and pointed at it (one UPDATE
        # each for all of them: the record of a row is picked by its plan item).
        for assignment in theirs.select_related("plan_item", "record"):
            kind = "course" if assignment.plan_item.course_id else "quiz"
            assert assignment.record.kind == kind
            assert assignment.completed_at == assignment.record.completed_at
    assert len(set(counts.values())) == 1, counts
    assert max(counts.values()) == SUBMIT_QUERIES, counts


def test_the_chain_head_is_locked_for_the_last_statements_of_the_submit_only(client, catalog):
    """The course's progress, both assignments' completion (with their tallies) and every read
    come before the chain head is read for update; after it only the records' and the
    certificates' inserts, the head's update and the assignments' links, then the commit."""
    unit = make_org()["LZ0101"]
    course, quiz = planned_final_check(catalog, 3)
    passing_submit(client, learner_of(unit, 1), course, quiz)
    sqls = [q["sql"] for q in passing_submit(client, learner_of(unit, 2), course, quiz)]
    head = next(i for i, sql in enumerate(sqls) if sql.startswith('SELECT "lms_core_chainhead"'))
    end = next(i for i in range(head, len(sqls)) if sqls[i].startswith("RELEASE SAVEPOINT"))
    tail = [" ".join(sql.split()[:3]) for sql in sqls[head + 1 : end]]
    assert tail == [
        'INSERT INTO "lms_core_completionrecord"',
        'UPDATE "lms_core_chainhead" SET',
        'INSERT INTO "lms_core_certificate"',
        'UPDATE "lms_core_assignment" SET',
    ]
    # Both assignments pointed at their records (the course's and the quiz's) in one UPDATE.
    assert 'SET "record_id" = CASE' in sqls[end - 1]
    before = sqls[:head]
    # Both assignments read with their validity rules, then completed in one UPDATE, at their own
    # records' times.
    assert sum(sql.startswith('SELECT "lms_core_assignment"') for sql in before) == 1
    assert sum(sql.startswith('UPDATE "lms_core_assignment"') for sql in before) == 1
    assert any(sql.startswith('UPDATE "lms_courses_courseprogress"') for sql in before)


def test_the_course_record_reports_the_best_score_and_the_reading_time(client, catalog):
    """Both read in one query when the course is completed (``course_completion_figures``)."""
    unit = make_org()["LZ0101"]
    course, quiz = planned_final_check(catalog, 3)
    user = learner_of(unit, 1)
    for lesson in lessons_of(course):
        course_services.record_reading(user, lesson, 45)
    passing_submit(client, user, course, quiz)
    record = CompletionRecord.objects.get(user=user, kind=CompletionRecord.COURSE)
    assert record.score == Decimal(100)
    assert record.evidence == {"time_spent_seconds": 90}
