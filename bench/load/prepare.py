"""Prepare the bank-scale cluster database for the Monday-morning load (idempotent, additive).

    python bench/load/prepare.py [--env var/cluster/cluster.env] [--outlets 60] [--learners 2000]

On the data set of ``lms_bench_data`` (OFFLINE items without content, unusable passwords) it adds:
real content built by the demo's own builders (the first demo course, its micro-lessons and its
final check of 10 questions; lessons' minimum reading time cut to ``--read-seconds`` so a load
tool can complete them after a short wait, the quiz allowed unlimited attempts so runs can
repeat), a "周一晨训" course item due in two days and a "周一晨训·现场签到" offline item for the
staff of ``--outlets`` outlets, published through the normal publication service
(``start_publication`` + ``run_publication``), an offline session open for check-in now (its
times are moved on every run), one sub-branch manager per sub-branch of those outlets, the known
password for the pool, the outlet heads, the sub-branch managers and the officer (hashed once,
one UPDATE), a small roster file for the officer's import, and ``var/cluster/pool.json``: the
ids, paths and usernames the locustfile and reconcile need.
"""

import argparse
import contextlib
import csv
import datetime
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_ENV_FILE, PASSWORD, POOL_FILE, STATE, setup_django  # noqa: E402

ITEM_TITLE = "周一晨训"
OFFLINE_TITLE = "周一晨训·现场签到"
ROSTER_ROWS = 20


def content(read_seconds):
    """The demo's first course with its final check, on this database."""
    from config.demo import content as demo_content  # noqa: PLC0415
    from config.demo import loader  # noqa: PLC0415
    from config.demo.bank import course_quiz, ensure_bank  # noqa: PLC0415
    from courses.models import LessonPage, QuizStepPage  # noqa: PLC0415
    from lms.services import ensure_roles  # noqa: PLC0415
    from quizzes.classification_seed import seed_codes  # noqa: PLC0415
    from quizzes.models import ClassificationCode, Quiz  # noqa: PLC0415

    seed_codes(ClassificationCode)
    catalog = loader.ensure_catalog()
    ensure_roles(catalog)
    topics = loader.ensure_topics()
    data = demo_content.COURSES[0]
    course = loader.ensure_course(catalog, data, topics, seed=0)
    quiz = course_quiz(data["title"], data["topics"], ensure_bank())
    loader.ensure_final_check(course, quiz)
    Quiz.objects.filter(pk=quiz.pk).update(max_attempts=0)  # runs repeat: never run out
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    for lesson in lessons:
        if lesson.min_reading_seconds != read_seconds:  # a published revision: caches follow
            lesson.min_reading_seconds = read_seconds
            lesson.save_revision().publish()
    step = QuizStepPage.objects.child_of(course).live().first()
    return course, lessons, quiz, step


def correct_answers(quiz):
    from quizzes.models import Choice  # noqa: PLC0415

    questions = [item.question_id for item in quiz.fixed_questions.all()]
    answers = {}
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=questions, is_correct=True
    ).values_list("question_id", "pk"):
        answers.setdefault(str(question_id), []).append(choice_id)
    return answers


def people(outlet_count, learner_count):
    """The outlets, their staff, the outlet heads and one manager per sub-branch."""
    from django.contrib.auth.models import Group  # noqa: PLC0415

    from lms.models import OrgUnit, StaffProfile  # noqa: PLC0415
    from lms.services import MANAGERS  # noqa: PLC0415

    outlets = list(OrgUnit.objects.filter(code__startswith="BENCH-O").order_by("code"))
    if not outlets:
        raise SystemExit("no benchmark data set here: build it with lms_bench_data first")
    outlets = outlets[:outlet_count]
    staff = list(
        StaffProfile.objects.filter(org_unit__in=outlets, is_active=True)
        .select_related("user", "org_unit")
        .order_by("org_unit__code", "pk")
    )
    heads = {s.pk for s in StaffProfile.objects.filter(managed_units__in=outlets).only("pk")}
    sub_paths = sorted({unit.path[: -OrgUnit.steplen] for unit in outlets})
    subs = list(OrgUnit.objects.filter(path__in=sub_paths).order_by("code"))
    sub_managers = []
    for sub in subs:
        manager = StaffProfile.objects.filter(managed_units=sub).first()
        if manager is None:  # the last person of the sub-branch's first outlet of the pool
            candidates = [s for s in staff if s.org_unit.path.startswith(sub.path)]
            manager = candidates[-1]
            manager.managed_units.add(sub)
        sub_managers.append((manager, sub))
    managers = Group.objects.get(name=MANAGERS)
    special = heads | {manager.pk for manager, _sub in sub_managers}
    learners = [s for s in staff if s.pk not in special]
    # Evenly over the outlets: every outlet's first few, not the first outlets' all.
    per_outlet = {}
    for person in learners:
        per_outlet.setdefault(person.org_unit_id, []).append(person)
    picked, rank = [], 0
    while len(picked) < learner_count and any(rank < len(v) for v in per_outlet.values()):
        picked += [v[rank] for v in per_outlet.values() if rank < len(v)]
        rank += 1
    head_staff = [s for s in staff if s.pk in heads]
    for person in head_staff + [m for m, _s in sub_managers]:
        person.user.groups.add(managers)
    return outlets, staff, picked[:learner_count], head_staff, sub_managers


def plan_items(plan, course, outlets, officer):
    """The course and offline items for the outlets' staff, published by the service."""
    from django.utils import timezone  # noqa: PLC0415

    from lms.models import Assignment, OfflineSession, OrgUnit, PlanItem  # noqa: PLC0415
    from lms.services import publishing  # noqa: PLC0415

    today = timezone.localdate()
    due = today + datetime.timedelta(days=2)
    course_item, _created = PlanItem.objects.update_or_create(
        plan=plan,
        title=ITEM_TITLE,
        defaults={"kind": PlanItem.COURSE, "course": course, "open_date": today, "due_date": due,
                  "credit_hours": 1, "sort_order": 100},
    )  # fmt: skip
    offline_item, _created = PlanItem.objects.update_or_create(
        plan=plan,
        title=OFFLINE_TITLE,
        defaults={"kind": PlanItem.OFFLINE, "open_date": today, "due_date": due,
                  "credit_hours": 1, "sort_order": 101},
    )  # fmt: skip
    for item in (course_item, offline_item):
        item.org_units.set(outlets)
    branch = OrgUnit.objects.get(code="BENCH")
    now = timezone.now()
    session, _created = OfflineSession.objects.update_or_create(
        plan_item=offline_item,
        title=OFFLINE_TITLE,
        defaults={"org_unit": branch, "place": "分行三楼培训室", "trainer": "消保专员",
                  "starts_at": now - datetime.timedelta(minutes=20),
                  "ends_at": now + datetime.timedelta(hours=12), "credit_hours": 1,
                  "cancelled": False},
    )  # fmt: skip
    assigned = Assignment.objects.filter(plan_item__in=[course_item, offline_item]).count()
    if assigned < 2 * len(outlets):  # not published to them yet
        with contextlib.suppress(publishing.AlreadyPublishing):
            publishing.start_publication(plan, officer)
        began = time.monotonic()
        result = publishing.run_publication(plan.pk)
        print(f"published through the service in {time.monotonic() - began:.1f} s: {result}")
    return course_item, offline_item, session


def passwords(users):
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.contrib.auth.hashers import make_password  # noqa: PLC0415

    hashed = make_password(PASSWORD)  # once: every account gets the same hash
    get_user_model().objects.filter(pk__in=[u.pk for u in users]).update(
        password=hashed, is_active=True
    )


def roster_file(outlets):
    """A small roster (new people in the pool's outlets) the officer imports under load; the
    same file every time, so a second import changes nothing."""
    path = STATE / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["工号", "姓名", "机构", "岗位", "入职日期", "状态"])
        for number in range(ROSTER_ROWS):
            unit = outlets[number % len(outlets)]
            writer.writerow([f"L{number:05d}", f"新员工{number:02d}", unit.code, "柜员",
                             "2026-11-02", "在职"])  # fmt: skip
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default=str(DEFAULT_ENV_FILE))
    parser.add_argument("--outlets", type=int, default=60)
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--read-seconds", type=int, default=5)
    options = parser.parse_args()
    setup_django(options.env)
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from bench.dataset import OFFICER_USERNAME  # noqa: PLC0415
    from lms.models import TrainingPlan  # noqa: PLC0415

    began = time.monotonic()
    course, lessons, quiz, step = content(options.read_seconds)
    officer = get_user_model().objects.get(username=OFFICER_USERNAME)
    outlets, staff, learners, heads, sub_managers = people(options.outlets, options.learners)
    plan = TrainingPlan.objects.get(year=timezone.localdate().year, title__contains="基准")
    course_item, offline_item, session = plan_items(plan, course, outlets, officer)
    passwords([s.user for s in staff] + [m.user for m, _s in sub_managers] + [officer])
    roster = roster_file(outlets)
    pool = {
        "prepared_at": timezone.now().isoformat(),
        "password": PASSWORD,
        "plan_id": plan.pk,
        "course": {"id": course.pk, "url": course.url, "item_id": course_item.pk},
        "lessons": [{"id": lesson.pk, "url": lesson.url} for lesson in lessons],
        "quiz": {"id": quiz.pk, "step_url": step.url, "correct": correct_answers(quiz)},
        "session": {"id": session.pk, "item_id": offline_item.pk},
        "branch_unit_id": outlets[0].get_parent().get_parent().pk,
        "roster_file": str(roster),
        "learners": [
            {
                "username": s.user.username,
                "user_id": s.user_id,
                "staff_id": s.pk,
                "unit_id": s.org_unit_id,
            }
            for s in learners
        ],  # fmt: skip
        "managers": [
            {
                "username": s.user.username,
                "user_id": s.user_id,
                "role": "outlet_head",
                "unit_id": s.org_unit_id,
            }
            for s in heads
        ]
        + [
            {
                "username": m.user.username,
                "user_id": m.user_id,
                "role": "sub_branch_manager",
                "unit_id": sub.pk,
            }
            for m, sub in sub_managers
        ],  # fmt: skip
        "officer": {"username": officer.username, "user_id": officer.pk, "role": "officer"},
    }
    POOL_FILE.parent.mkdir(parents=True, exist_ok=True)
    POOL_FILE.write_text(json.dumps(pool, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        f"prepared in {time.monotonic() - began:.1f} s: {len(learners)} learners of "
        f"{len(staff)} staff in {len(outlets)} outlets, {len(heads)} outlet heads, "
        f"{len(sub_managers)} sub-branch managers, the officer; course {course.pk} "
        f"({len(lessons)} lessons), quiz {quiz.pk} ({len(pool['quiz']['correct'])} questions), "
        f"session {session.pk}; {POOL_FILE}"
    )


if __name__ == "__main__":
    main()
