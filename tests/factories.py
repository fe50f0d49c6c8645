"""Test data builders. Pages go through Wagtail's tree API and are published with a revision,
as an editor would."""

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from courses import services as course_services
from courses.models import CourseIndexPage, CoursePage, LessonPage

PASSWORD = "pass-1234-word"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"{n:06d}")
    first_name = "小明"
    last_name = "王"
    password = factory.django.Password(PASSWORD)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def ensure_wagtail_root():
    """Recreate Wagtail's root page and default site if a transactional test flushed them."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if Site.objects.filter(is_default_site=True).exists():
        return
    locale, _created = Locale.objects.get_or_create(language_code="zh-hans")
    page_type = ContentType.objects.get_for_model(Page)
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", content_type=page_type, locale=locale)
    )
    home = root.add_child(
        instance=Page(title="首页", slug="home", content_type=page_type, locale=locale)
    )
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


def make_catalog(slug="courses"):
    ensure_wagtail_root()
    site = Site.objects.get(is_default_site=True)
    catalog = CourseIndexPage(title="课程中心", slug=slug)
    site.root_page.add_child(instance=catalog)
    return publish(catalog)


def make_course(catalog, title="测试课程", slug=None, lessons=2, **kwargs):
    course = CoursePage(
        title=title,
        slug=slug or f"course-{CoursePage.objects.count() + 1}",
        summary=kwargs.pop("summary", "课程简介"),
        **kwargs,
    )
    catalog.add_child(instance=course)
    publish(course)
    for number in range(1, lessons + 1):
        make_lesson(course, f"第{number}课", f"lesson-{number}")
    return course


def make_lesson(course, title, slug, body=None, **kwargs):
    # No minimum reading time unless a test asks for one: completing means having been served.
    kwargs.setdefault("min_reading_seconds", 0)
    lesson = LessonPage(
        title=title,
        slug=slug,
        body=body if body is not None else [("paragraph", RichText("<p>正文</p>"))],
        **kwargs,
    )
    course.add_child(instance=lesson)
    return publish(lesson)


def finish_lesson(user, lesson):
    """Serve ``lesson`` to ``user`` (as its page or the API would), then complete it."""
    course_services.record_lesson_view(user, lesson)
    return course_services.complete_lesson(user, lesson)


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def make_image(title="封面"):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    return get_image_model().objects.create(title=title, file=get_test_image_file(size=(720, 400)))


def root_page():
    return Page.get_first_root_node()


# --- Quizzes -------------------------------------------------------------------------------


def make_category(path="消保知识/投诉处理"):
    from quizzes.services import category_by_path

    return category_by_path(path, create=True)


def make_question(category, type="single", choices=None, points=1, **kwargs):
    from quizzes.models import Choice, Question

    if choices is None:
        choices = {
            "single": [("甲", True), ("乙", False), ("丙", False)],
            "multiple": [("甲", True), ("乙", True), ("丙", False)],
            "truefalse": [("对", True), ("错", False)],
            "essay": [],
        }[type]
    question = Question(
        category=category, type=type, stem=kwargs.pop("stem", f"{type} 题"), points=points, **kwargs
    )
    question.choices = [
        Choice(text=text, is_correct=correct, feedback=f"{text}的反馈") for text, correct in choices
    ]
    question.save()
    return question


def make_classify_question(category, key=("A.1.1", "B.3.3", "C.10"), points=3, **kwargs):
    """A classification question keyed on the seeded codes ``key`` (channel, business,
    reason)."""
    from quizzes.models import ClassificationCode, Question

    codes = ClassificationCode.objects.in_bulk(key, field_name="code")
    kwargs.setdefault("explanation", "分类解析")
    question = Question(
        category=category,
        type=Question.CLASSIFY,
        stem=kwargs.pop("stem", "客户投诉借记卡被盗刷。"),
        points=points,
        key_channel=codes[key[0]],
        key_business=codes[key[1]],
        key_reason=codes[key[2]],
        **kwargs,
    )
    question.full_clean()
    question.save()
    return question


def code_ids(*codes):
    """The ids of the seeded classification ``codes``, in the order given."""
    from quizzes.models import ClassificationCode

    found = ClassificationCode.objects.in_bulk(codes, field_name="code")
    return [found[code].pk for code in codes]


def make_quiz(questions=(), draws=(), **kwargs):
    """``draws`` is a list of ``(category, count)``."""
    from quizzes.models import Quiz, QuizDrawRule, QuizQuestion

    kwargs.setdefault("is_draft", False)
    quiz = Quiz(title=kwargs.pop("title", "测验"), **kwargs)
    quiz.fixed_questions = [QuizQuestion(question=q) for q in questions]
    quiz.draw_rules = [QuizDrawRule(category=c, count=n) for c, n in draws]
    quiz.save()
    return quiz


def choice_ids(attempt, question_id, correct=True):
    entry = attempt.question(question_id)
    return [c["id"] for c in entry["choices"] if c["correct"] == correct]


# --- People and plans ----------------------------------------------------------------------


def make_org():
    """兰州分行 → 城关支行 → {营业部, 东岗网点}; 七里河支行 → 西站网点. Returns a dict by code."""
    from lms.models import OrgUnit

    branch = OrgUnit.add_root(code="LZ", name="兰州分行", kind=OrgUnit.BRANCH)
    chengguan = branch.add_child(code="LZ01", name="城关支行", kind=OrgUnit.SUB_BRANCH)
    qilihe = branch.add_child(code="LZ02", name="七里河支行", kind=OrgUnit.SUB_BRANCH)
    units = {
        "LZ": branch,
        "LZ01": chengguan,
        "LZ02": qilihe,
        "LZ0101": OrgUnit.objects.get(pk=chengguan.pk).add_child(code="LZ0101", name="城关营业部"),
        "LZ0102": OrgUnit.objects.get(pk=chengguan.pk).add_child(code="LZ0102", name="东岗网点"),
        "LZ0201": OrgUnit.objects.get(pk=qilihe.pk).add_child(code="LZ0201", name="西站网点"),
    }
    return {code: OrgUnit.objects.get(pk=unit.pk) for code, unit in units.items()}


def make_position(name="柜员", high_complaint=False):
    from lms.models import Position

    return Position.objects.get_or_create(name=name, defaults={"high_complaint": high_complaint})[0]


def make_staff(employee_no, unit, position=None, hire_date=None, name="张三", user=None):
    from lms.models import StaffProfile

    user = user or UserFactory(username=employee_no)
    return StaffProfile.objects.create(
        user=user,
        employee_no=employee_no,
        name=name,
        org_unit=unit,
        position=position,
        hire_date=hire_date,
    )


def make_plan(year=2026, **kwargs):
    from lms.models import TrainingPlan

    return TrainingPlan.objects.create(
        year=year, title=kwargs.pop("title", f"{year}年度消保与服务培训计划"), **kwargs
    )


def make_item(plan, title="课程", course=None, quiz=None, positions=(), units=(), **kwargs):
    from datetime import date

    from lms.models import PlanItem

    item = PlanItem.objects.create(
        plan=plan,
        title=title,
        kind=kwargs.pop("kind", PlanItem.QUIZ if quiz else PlanItem.COURSE),
        course=course,
        quiz=quiz,
        open_date=kwargs.pop("open_date", date(plan.year, 1, 1)),
        due_date=kwargs.pop("due_date", date(plan.year, 6, 30)),
        **kwargs,
    )
    item.positions.set(positions)
    item.org_units.set(units)
    return item


def make_session(item, unit, starts_at=None, hours=2, **kwargs):
    """An offline session of ``item`` for the staff of ``unit``, starting now by default."""
    from datetime import timedelta

    from django.utils import timezone

    from lms.models import OfflineSession

    starts_at = starts_at or timezone.now()
    return OfflineSession.objects.create(
        plan_item=item,
        title=kwargs.pop("title", "投诉处理工作坊"),
        org_unit=unit,
        starts_at=starts_at,
        ends_at=kwargs.pop("ends_at", starts_at + timedelta(hours=hours)),
        place=kwargs.pop("place", "三楼培训室"),
        trainer=kwargs.pop("trainer", "陈静"),
        **kwargs,
    )
