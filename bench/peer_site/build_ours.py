"""Our side of bench/peer.py: the demo site (``lms_demo``, as bench/run.py builds it) in the
bench's SQLite file, static files collected; prints what to request, and the text the peer's
course and lesson copy (the same titles and lesson text, so both pages carry the same words).

Run by bench/peer.py with ``DJANGO_SETTINGS_MODULE=ours_settings BENCH_BUILD=1``.
"""

import json
import os
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils.html import strip_tags  # noqa: E402

from courses.models import CoursePage, LessonPage  # noqa: E402

USER = "teller"  # a learner of the demo, with a year of simulated history


def paragraphs(lesson):
    """The lesson body's words, one paragraph per line of its rendered HTML."""
    text = strip_tags(str(lesson.body.render_as_block()))
    return [line.strip() for line in text.splitlines() if line.strip()]


def main():
    quiet = open(os.devnull, "w")  # noqa: SIM115 - for the whole run
    call_command("migrate", verbosity=0)
    call_command("lms_demo", stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0)
    course = CoursePage.objects.live().order_by("path").first()
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    lesson = lessons[-1]  # as bench/run.py
    spec = {
        "user": USER,
        "pages": {
            "lesson": lesson.get_url_parts()[2],
            "course": course.get_url_parts()[2],
            "bare": "/bench-bare/",
        },
        "course": {"title": course.title, "slug": course.slug, "summary": course.summary},
        "lessons": [{"title": page.title, "slug": page.slug} for page in lessons],
        "lesson_index": len(lessons) - 1,
        "lesson_intro": lesson.intro,
        "lesson_paragraphs": paragraphs(lesson),
    }
    json.dump(spec, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
