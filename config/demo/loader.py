"""Builds the Chinese demo site. Idempotent: existing pages, images and accounts are kept."""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from config.demo import content
from config.demo.bank import annual_test, course_quiz, demo_codes, ensure_bank, essay_practice
from config.demo.complaints import load_complaints
from config.demo.covers import draw_cover
from config.demo.drill import classification_drill
from config.demo.people import load_people
from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizStepPage, Topic
from lms.services import MANAGERS, OFFICERS, TRAINERS, ensure_roles
from lms.services.dashboard import tallies
from quizzes.classification_seed import seed_codes
from quizzes.models import ClassificationCode

DEMO_PASSWORD = "demo1234"  # noqa: S105 - documented demo password


@dataclass
class DemoAccount:
    """A demo login. ``name`` is the whole name, family name first, kept in ``first_name`` as the
    roster import does (Django's ``get_full_name`` would put a split Chinese name the wrong way
    round, "静 陈"), so Wagtail and our pages show 陈静."""

    username: str
    name: str
    role: str
    groups: tuple = ()
    superuser: bool = False


ACCOUNTS = [
    DemoAccount("teller", "王晓燕", "柜员 · 城关支行营业部"),
    DemoAccount("teller2", "李浩", "柜员 · 七里河支行西站网点"),
    DemoAccount("manager", "张建国", "网点负责人 · 城关支行营业部", groups=(MANAGERS,)),
    DemoAccount("manager2", "赵敏", "网点负责人 · 七里河支行西站网点", groups=(MANAGERS,)),
    DemoAccount("officer", "陈静", "分行消保专员", groups=(OFFICERS,)),
    DemoAccount("trainer", "刘磊", "培训讲师", groups=(TRAINERS,)),
    DemoAccount("admin", "系统管理员", "超级管理员", superuser=True),
]


def _rich(value):
    return RichText(value)


BLOCK_CONVERTERS = {"paragraph": _rich}


def stream(body):
    return [(kind, BLOCK_CONVERTERS.get(kind, lambda v: v)(value)) for kind, value in body]


def _publish(page):
    page.save_revision().publish()


def ensure_catalog():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page if site else Page.get_first_root_node()
    catalog = CourseIndexPage.objects.child_of(root).filter(slug="courses").first()
    if catalog is None:
        catalog = CourseIndexPage(
            title="课程中心",
            slug="courses",
            intro="<p>消费者权益保护微课：利用碎片时间，3–10 分钟学完一课。</p>",
        )
        root.add_child(instance=catalog)
        _publish(catalog)
    if site is not None and site.site_name != "消保学堂":
        site.site_name = "消保学堂"
        site.save(update_fields=["site_name"])
    return catalog


def ensure_topics():
    topics = {}
    for order, data in enumerate(content.TOPICS):
        topic, _created = Topic.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "sort_order": order,
            },
        )
        topics[data["slug"]] = topic
    return topics


def ensure_cover(course_data, seed):
    image_model = get_image_model()
    title = f"封面：{course_data['title']}"
    image = image_model.objects.filter(title=title).first()
    if image is None:
        png = draw_cover(course_data["cover_palette"], seed)
        image = image_model(
            title=title, file=ImageFile(io.BytesIO(png), name=f"cover-{course_data['slug']}.png")
        )
        image.save()
    return image


def ensure_course(catalog, course_data, topics, seed):
    course = CoursePage.objects.child_of(catalog).filter(slug=course_data["slug"]).first()
    if course is None:
        course = CoursePage(
            title=course_data["title"],
            slug=course_data["slug"],
            summary=course_data["summary"],
            cover=ensure_cover(course_data, seed),
            target_positions=list(course_data["target_positions"]),
            estimated_minutes=sum(lesson["minutes"] for lesson in course_data["lessons"]),
            credit_hours=Decimal(course_data["credit_hours"]),
        )
        course.topics = [topics[slug] for slug in course_data["topics"]]
        course.classification_codes = demo_codes(course_data["codes"])
        catalog.add_child(instance=course)
        _publish(course)
    ensure_codes(course, course_data["codes"])
    for lesson_data in course_data["lessons"]:
        lesson = LessonPage.objects.child_of(course).filter(slug=lesson_data["slug"]).first()
        if lesson is not None:
            ensure_codes(lesson, lesson_data["codes"])
            continue
        lesson = LessonPage(
            title=lesson_data["title"],
            slug=lesson_data["slug"],
            intro=lesson_data["intro"],
            estimated_minutes=lesson_data["minutes"],
            body=stream(lesson_data["body"]),
        )
        lesson.classification_codes = demo_codes(lesson_data["codes"])
        course.add_child(instance=lesson)
        _publish(lesson)
    return course


def ensure_codes(page, keys):
    """Tag a demo page made before the pages had codes: once, as a published revision; a page
    with codes is left as it is (an officer may have changed them)."""
    if not keys or page.classification_codes.exists():
        return
    page.classification_codes = demo_codes(keys)
    _publish(page)


def ensure_final_check(course, quiz):
    if QuizStepPage.objects.child_of(course).exists():
        return
    step = QuizStepPage(
        title="结业测验",
        slug="final-check",
        quiz=quiz,
        intro="完成全部微课后参加结业测验，80 分及格即完成本课程。",
        estimated_minutes=15,
    )
    course.add_child(instance=step)
    _publish(step)


def ensure_accounts():
    user_model = get_user_model()
    users = {}
    for account in ACCOUNTS:
        user = user_model.objects.filter(username=account.username).first()
        if user is None:
            user = user_model(
                username=account.username,
                first_name=account.name,
                # is_staff only shows the admin link on learner pages; the Django admin is not
                # mounted, and what they may do in Wagtail comes from their groups.
                is_staff=account.superuser or bool(account.groups),
                is_superuser=account.superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif (user.first_name, user.last_name) != (account.name, ""):
            # Demo sites built before names were kept whole.
            user.first_name, user.last_name = account.name, ""
            user.save(update_fields=["first_name", "last_name"])
        for name in account.groups:
            user.groups.add(Group.objects.get(name=name))
        users[account.username] = user
    return users


@transaction.atomic
def load_demo(simulate=True):
    """Build the demo site; ``simulate=False`` skips the simulated learner progress (tests that
    drive a demo account through a course themselves)."""
    # The standard's codes come with a migration; a test database flushed since has none.
    seed_codes(ClassificationCode)
    catalog = ensure_catalog()
    ensure_roles(catalog)
    topics = ensure_topics()
    courses = [
        ensure_course(catalog, data, topics, seed=index)
        for index, data in enumerate(content.COURSES)
    ]
    questions = ensure_bank()
    for course, data in zip(courses, content.COURSES, strict=True):
        ensure_final_check(course, course_quiz(data["title"], data["topics"], questions))
    quizzes = [annual_test(), essay_practice(questions), classification_drill()]
    users = ensure_accounts()
    people = load_people(users, courses, quizzes[0], simulate=simulate)
    if simulate:
        load_complaints(people["plan"], courses, people["outlets"], users.get("officer"))
    tallies.fold()  # the simulated history, counted: the first dashboard has nothing to fold
    return {
        "catalog": catalog,
        "courses": courses,
        "questions": questions,
        "quizzes": quizzes,
        "users": users,
        **people,
    }
