"""The learner home ("我的学习") at /learn/: my assignments grouped by what to do next, hours
earned this year against my plan's requirement, my recent records — only mine (what it costs:
test_home_queries.py)."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from lms import services
from lms.models import (
    Assignment,
    CompletionRecord,
    PositionHours,
    TrainingPlan,
)
from lms.services.learning.home import DUE_SOON_DAYS, group_of, learner_home
from tests.factories import (
    UserFactory,
    make_course,
    make_item,
    make_org,
    make_plan,
    make_position,
    make_quiz,
    make_staff,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
# 2026-03-09 17:30 UTC is already 10 March (01:30) in Shanghai: "today" is 2026-03-10.
NOW = datetime(2026, 3, 9, 17, 30, tzinfo=UTC)
TODAY = date(2026, 3, 10)
LEARN = "/learn/"


def frozen():
    return mock.patch("django.utils.timezone.now", return_value=NOW)


def shanghai(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def section(html, key):
    """The HTML of the page section ``key`` ("" if the page has none)."""
    match = re.search(rf'<section id="{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def titles(home, group):
    return [entry.title for entry in home.groups[group]]


def record(user, staff, title, completed_at, hours, **fields):
    fields.setdefault("method", CompletionRecord.ONLINE)
    return services.record_completion(
        user,
        staff=staff,
        kind=fields.pop("kind", CompletionRecord.COURSE),
        title=title,
        completed_at=completed_at,
        credit_hours=Decimal(hours),
        **fields,
    )


@pytest.fixture
def world(catalog):
    """Me (a teller at 城关营业部) and a colleague (a manager at 东岗网点), each with a plan of
    2026 that has something in every group, and completion records around New Year."""
    org = make_org()
    teller, manager = make_position("柜员"), make_position("网点负责人")
    me = make_staff("000101", org["LZ0101"], teller, date(2020, 3, 1), name="王晓燕")
    other = make_staff("000102", org["LZ0102"], manager, date(2018, 5, 1), name="李四")
    courses = {
        key: make_course(catalog, title=title, slug=key, lessons=1)
        for key, title in [
            ("overdue", "逾期课程"),
            ("soon", "两周边界"),
            ("started", "已开始课程"),
            ("later", "未开始课程"),
            ("done", "已完成课程"),
            ("theirs", "只给网点负责人"),
        ]
    }
    quiz = make_quiz(title="本周测验")

    # Records made before the plan is published: publishing credits the "done" course.
    done = record(me.user, me, "已完成课程", shanghai(2026, 2, 1, 10), "2", course=courses["done"])
    typo = record(me.user, me, "线下培训", shanghai(2026, 1, 15, 9), "3")
    fixed = services.supersede_record(
        typo, reason="学时录入有误", recorded_by=None, credit_hours=Decimal("1.5")
    )
    # 00:30 on 1 January in Shanghai is still 31 December in UTC: it counts for 2026.
    new_year = record(me.user, me, "元旦值班培训", datetime(2025, 12, 31, 16, 30, tzinfo=UTC), "1")
    # 23:30 on 31 December in Shanghai: 2025, not counted.
    old_year = record(me.user, me, "去年培训", datetime(2025, 12, 31, 15, 30, tzinfo=UTC), "5")
    theirs = record(other.user, other, "别人的记录", shanghai(2026, 3, 1, 9), "10")

    plan = make_plan(2026, required_hours=Decimal("12"))
    PositionHours.objects.create(plan=plan, position=teller, hours=Decimal("16"))
    items = {
        "overdue": make_item(
            plan, "逾期课程", course=courses["overdue"], everyone=True, due_date=date(2026, 3, 1)
        ),
        "quiz": make_item(plan, "本周测验", quiz=quiz, everyone=True, due_date=date(2026, 3, 13)),
        "soon": make_item(
            plan, "两周边界", course=courses["soon"], everyone=True, due_date=date(2026, 3, 24)
        ),
        "started": make_item(plan, "已开始课程", course=courses["started"], everyone=True),
        "later": make_item(
            plan, "未开始课程", course=courses["later"], everyone=True, due_date=date(2026, 3, 25)
        ),
        "done": make_item(plan, "已完成课程", course=courses["done"], everyone=True),
        "withdrawn": make_item(plan, "已撤销", course=courses["later"], everyone=True),
        "theirs": make_item(plan, "只给网点负责人", course=courses["theirs"], positions=[manager]),
    }
    services.publish_plan(plan)
    mine = Assignment.objects.filter(staff=me)
    mine.filter(plan_item__in=[items["started"], items["soon"]]).update(
        started_at=shanghai(2026, 3, 2, 9)
    )
    mine.filter(plan_item=items["withdrawn"]).update(status=Assignment.WITHDRAWN)

    # A plan of last year, closed: its items are no longer on the home page.
    last_year = make_plan(2025, required_hours=Decimal("99"))
    make_item(last_year, "去年的课程", course=courses["later"], everyone=True)
    services.publish_plan(last_year)
    TrainingPlan.objects.filter(pk=last_year.pk).update(status=TrainingPlan.CLOSED)
    return {
        "me": me,
        "other": other,
        "plan": plan,
        "courses": courses,
        "quiz": quiz,
        "items": items,
        "records": {
            "done": done,
            "typo": typo,
            "fixed": fixed,
            "new_year": new_year,
            "old_year": old_year,
            "theirs": theirs,
        },
    }


def get_learn(client, user, language=None):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(LEARN)


@pytest.mark.django_db
def test_assignments_are_grouped_by_what_to_do_next(client, world):
    with frozen():
        response = get_learn(client, world["me"].user, language="en")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    home = response.context["home"]
    assert home.today == TODAY
    assert titles(home, "overdue") == ["逾期课程"]
    # Open, not overdue and due within 14 days, started or not; soonest first.
    assert titles(home, "due_soon") == ["本周测验", "两周边界"]
    assert titles(home, "in_progress") == ["已开始课程"]
    assert titles(home, "not_started") == ["未开始课程"]  # due in 15 days
    assert titles(home, "done") == ["已完成课程"]
    # Withdrawn, someone else's and last year's closed plan are not there.
    html = response.content.decode()
    for absent in ("已撤销", "只给网点负责人", "去年的课程"):
        assert absent not in html

    overdue, due_soon = section(html, "overdue"), section(html, "due_soon")
    in_progress, not_started = section(html, "in_progress"), section(html, "not_started")
    done = section(html, "done")
    assert "逾期课程" in overdue and "9 days overdue" in overdue
    assert 'class="learn-count">1<' in overdue
    assert "本周测验" in due_soon and "Due in 3 days" in due_soon
    assert "Due in 14 days" in due_soon and 'class="learn-count">2<' in due_soon
    assert "已开始课程" in in_progress and "未开始课程" in not_started
    assert "Due in 15 days" in not_started
    assert "Completed on 2026-02-01" in done

    # One button per card: the course page, or the quiz page for a quiz item.
    courses = world["courses"]
    assert overdue.count("learn-go") == 1
    assert f'href="{courses["overdue"].url}"' in overdue
    assert f'href="{reverse("quizzes:detail", args=[world["quiz"].pk])}"' in due_soon
    assert f'href="{courses["done"].url}"' in done
    assert ">Continue<" in in_progress and ">Start<" in not_started
    assert ">Start the quiz<" in due_soon and ">View<" in done
    # The summary chips count every group.
    assert html.count('class="chip learn-chip-') == 5


@pytest.mark.django_db
def test_group_boundaries():
    assert group_of("not_started", 0) == "due_soon"
    assert group_of("not_started", DUE_SOON_DAYS) == "due_soon"
    assert group_of("not_started", DUE_SOON_DAYS + 1) == "not_started"
    assert group_of("in_progress", DUE_SOON_DAYS) == "due_soon"
    assert group_of("in_progress", DUE_SOON_DAYS + 1) == "in_progress"
    assert group_of("overdue", -1) == "overdue"
    assert group_of("completed", -30) == "done"


@pytest.mark.django_db
def test_due_today_is_not_overdue_in_shanghai(world):
    assignment = Assignment.objects.get(staff=world["me"], plan_item=world["items"]["overdue"])
    # 2026-03-01 15:59 UTC is 23:59 on the due date in Shanghai.
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 3, 1, 15, 59, tzinfo=UTC)
    ):
        home = learner_home(world["me"].user)
    entry = next(e for e in home.groups["due_soon"] if e.assignment.pk == assignment.pk)
    assert entry.days_left == 0 and entry.status == "not_started"


@pytest.mark.django_db
def test_hours_earned_this_year_against_the_required_hours(client, world):
    with frozen():
        response = get_learn(client, world["me"].user)
    hours = response.context["home"].hours
    # 2 (course) + 1.5 (the correction, not the 3 it replaced) + 1 (00:30 on 1 January);
    # not last year's 5 nor someone else's 10.
    assert hours.year == 2026 and hours.earned == Decimal("4.5")
    # The teller's own rule, not the plan's default of 12 nor the closed 2025 plan's 99.
    assert hours.required == Decimal("16")
    assert hours.percent == 28 and not hours.met
    html = response.content.decode()
    assert 'aria-valuenow="28"' in html and "<strong>4.5</strong>" in html


@pytest.mark.django_db
def test_hours_use_the_plans_default_and_the_bar_hides_without_a_plan(world):
    me = world["me"]
    me.position = make_position("大堂经理")
    me.save()
    with frozen():
        assert learner_home(me.user).hours.required == Decimal("12")
    TrainingPlan.objects.filter(pk=world["plan"].pk).update(status=TrainingPlan.DRAFT)
    with frozen():
        home = learner_home(me.user)
    assert home.hours.required is None and not home.hours.shown
    assert home.hours.earned == Decimal("4.5")


@pytest.mark.django_db
def test_hours_met_shows_the_done_banner(client, world):
    PositionHours.objects.filter(plan=world["plan"]).update(hours=Decimal("4"))
    with frozen():
        response = get_learn(client, world["me"].user)
    hours = response.context["home"].hours
    assert hours.met and hours.percent == 100
    assert 'class="done-banner"' in response.content.decode()


@pytest.mark.django_db
def test_recent_records_newest_first_with_corrections_flagged(client, world):
    with frozen():
        response = get_learn(client, world["me"].user, language="en")
    records = world["records"]
    shown = response.context["home"].records
    assert [r.pk for r in shown] == [
        records["done"].pk,
        records["fixed"].pk,
        records["typo"].pk,
        records["new_year"].pk,
        records["old_year"].pk,
    ]
    assert [r.superseded for r in shown] == [False, False, True, False, False]
    html = section(response.content.decode(), "records")
    assert html.count('<li class="learn-record') == 5 and html.count("is-superseded") == 1
    assert "别人的记录" not in response.content.decode()
    assert "2026-02-01 · Online · 2 credit hours" in html
    assert "2026-01-01 · Online · 1 credit hours" in html  # Shanghai date, not UTC


@pytest.mark.django_db
def test_only_the_ten_newest_records_are_listed(world):
    me = world["me"]
    for day in range(1, 13):
        record(me.user, me, f"第{day}次", shanghai(2026, 3, day, 8), "0.5")
    with frozen():
        home = learner_home(me.user)
    assert len(home.records) == 10 and home.records[0].title == "第12次"


@pytest.mark.django_db
def test_learners_see_only_their_own_assignments(client, world):
    me, other = world["me"], world["other"]
    with frozen():
        response = get_learn(client, other.user)
    html = response.content.decode()
    theirs = set(Assignment.objects.filter(staff=other).values_list("pk", flat=True))
    mine = set(Assignment.objects.filter(staff=me).values_list("pk", flat=True))
    shown = {int(pk) for pk in re.findall(r'data-assignment="(\d+)"', html)}
    assert shown and shown <= theirs and not shown & mine
    assert "只给网点负责人" in html and "王晓燕" not in html
    assert response.context["home"].hours.earned == Decimal("10")
    assert "别人的记录" in html and "线下培训" not in html

    with frozen():
        response = get_learn(client, me.user)
    shown = {int(pk) for pk in re.findall(r'data-assignment="(\d+)"', response.content.decode())}
    assert shown and shown <= mine and not shown & theirs


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(LEARN)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('lms_site:login')}?next={LEARN}"


@pytest.mark.django_db
def test_someone_without_a_staff_profile_gets_a_friendly_empty_page(client, catalog):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    response = get_learn(client, admin)
    assert response.status_code == 200
    home = response.context["home"]
    assert not home.has_profile and home.hours is None and home.records == []
    html = response.content.decode()
    assert 'class="learn-empty"' in html and f'href="{catalog.url}"' in html
    assert "<section" not in html


@pytest.mark.django_db
def test_a_staff_member_with_nothing_assigned_sees_an_empty_state(client, catalog):
    staff = make_staff("000900", make_org()["LZ0201"], make_position())
    response = get_learn(client, staff.user)
    assert response.status_code == 200 and response.context["home"].assignment_count == 0
    html = response.content.decode()
    assert 'class="learn-empty"' in html and 'class="learn-hours"' not in html
    assert section(html, "records")


@pytest.mark.django_db
def test_the_top_nav_links_to_the_learner_home(client, world):
    with frozen():
        html = get_learn(client, world["me"].user).content.decode()
    assert f'<a href="{LEARN}" aria-current="page">' in html


@pytest.mark.django_db
def test_required_hours_without_a_position_and_with_two_plans_of_the_year(world):
    me = world["me"]
    teller, me.position = me.position, None
    me.save()
    with frozen():
        assert learner_home(me.user).hours.required == Decimal("12")  # the plan's default
    # The most recently published plan of the year decides, with its own rule for tellers.
    later = make_plan(2026, required_hours=Decimal("20"))
    PositionHours.objects.create(plan=later, position=teller, hours=Decimal("8"))
    world["plan"].refresh_from_db()
    published = world["plan"].published_at + timedelta(seconds=1)
    TrainingPlan.objects.filter(pk=later.pk).update(
        status=TrainingPlan.PUBLISHED, published_at=published
    )
    with frozen():
        assert learner_home(me.user).hours.required == Decimal("20")
    me.position = teller
    me.save()
    with frozen():
        assert learner_home(me.user).hours.required == Decimal("8")
