"""The course page's step list as a phone shows it."""

import re

import pytest

from tests.factories import finish_lesson, lessons_of, make_course


def visible_text(html):
    """The text a sighted learner sees: screen-reader-only spans and tags removed."""
    html = re.sub(r'<span class="sr-only">.*?</span>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.mark.django_db
def test_a_completed_step_shows_no_stray_separator(learner_client, learner, catalog):
    course = make_course(catalog, slug="c1", lessons=2)
    first, second = lessons_of(course)
    finish_lesson(learner, first)
    html = learner_client.get(course.url).content.decode()
    metas = re.findall(r'<span class="step-meta">(.*?)</span>\s*</a>', html, flags=re.S)
    assert len(metas) == 2
    done, todo = (visible_text(meta) for meta in metas)
    assert not done.endswith("·") and "· ·" not in done, done
    assert done == todo  # the completed step reads like any other; its ✓ says it is done
    assert html.count('<span class="sr-only"> · 已完成</span>') == 1
