"""A passing submit through the API on a planned course's final check: the queries it makes
stay few and constant in the number of questions, of the learner's assignments and of the
learners who took the quiz before (issue 13)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

#: The most queries a passing submit of a planned course's final check may make here (SQLite,
#: inside the test's transaction: 2 of them are the submit's savepoint). 66 before issue 13's
#: work: the quiz (7: session, user, attempt, lock + answers, marking, attempt), the records of
#: the course and the quiz together (11: staff, hours, 2 assignment updates, head lock, one
#: INSERT of both records, head update, one INSERT of both certificates, 2 assignment links),
#: the rest is the course's progress (16) and the result's notes on the course (9), in courses.
MAX_SUBMIT_QUERIES = 44


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
    make_staff(f"3001{number:02d}", unit, make_position(), date(2020, 1, 1), user=user)
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
        assert Assignment.objects.filter(staff__user=user, status=Assignment.OPEN).count() == 0
        records = CompletionRecord.objects.filter(user=user)
        assert records.count() == 2  # the course and the quiz
        assert Certificate.objects.filter(record__in=records).count() == 2
        # Each assignment completed at its own record's time and pointed at it (one UPDATE
        # each for all of them: the record of a row is picked by its plan item).
        for assignment in Assignment.objects.filter(staff__user=user).select_related(
            "plan_item", "record"
        ):
            kind = "course" if assignment.plan_item.course_id else "quiz"
            assert assignment.record.kind == kind
            assert assignment.completed_at == assignment.record.completed_at
    assert len(set(counts.values())) == 1, counts
    assert max(counts.values()) <= MAX_SUBMIT_QUERIES, counts


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
    # Both assignments completed in one UPDATE, at their own records' times.
    assert sum(sql.startswith('UPDATE "lms_core_assignment"') for sql in before) == 1
    assert any(sql.startswith('UPDATE "lms_courses_courseprogress"') for sql in before)
