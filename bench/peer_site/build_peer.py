"""The peer's side of bench/peer.py: in the site that ``wagtail start peersite`` made, with
wagtail-lms installed, a course of H5P lesson pages (wagtail-lms' lesson page) under the home
page with our course's titles and slugs, the benched lesson with our lesson's text as rich-text
paragraphs, and a learner (no admin access) enrolled in the course. Prints what to request.

Run by bench/peer.py in the peer's venv with ``DJANGO_SETTINGS_MODULE=peer_settings``; reads
our side's JSON on stdin.
"""

import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils.html import escape  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.rich_text import RichText  # noqa: E402
from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonPage  # noqa: E402

USER = "learner"


def main():
    spec = json.load(sys.stdin)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    home = Page.objects.get(depth=2)  # the template's home page, the site's root
    data = spec["course"]
    course = home.add_child(
        instance=CoursePage(
            title=data["title"], slug=data["slug"], description=f"<p>{escape(data['summary'])}</p>"
        )
    )
    lessons = []
    for index, data in enumerate(spec["lessons"]):
        lesson = H5PLessonPage(title=data["title"], slug=data["slug"], intro="", body=[])
        if index == spec["lesson_index"]:
            lesson.intro = f"<p>{escape(spec['lesson_intro'])}</p>"
            lesson.body = [
                ("paragraph", RichText(f"<p>{escape(text)}</p>"))
                for text in spec["lesson_paragraphs"]
            ]
        lessons.append(course.add_child(instance=lesson))
    benched = lessons[spec["lesson_index"]]
    user = get_user_model().objects.create_user(USER, password=None)
    CourseEnrollment.objects.create(user=user, course=course)
    json.dump(
        {
            "user": USER,
            "pages": {
                "lesson": benched.get_url_parts()[2],
                "course": course.get_url_parts()[2],
                "bare": "/bench-bare/",
            },
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
