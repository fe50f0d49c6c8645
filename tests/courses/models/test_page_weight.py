"""A lesson's first load stays small on a phone: HTML + CSS + JS ≤ 100 KB gzip, no images."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from config.demo.loader import load_demo
from courses.models import LessonPage

BUDGET = 100 * 1024


@pytest.mark.slow
@pytest.mark.django_db
def test_heaviest_demo_lesson_first_load_is_within_budget(client):
    load_demo(simulate=False)
    client.post("/accounts/login/", {"username": "teller", "password": "demo1234"})
    sizes = []
    for lesson in LessonPage.objects.live():
        html = client.get(lesson.url).content
        assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
        assert assets, "the page links its own CSS and JS"
        total = len(gzip.compress(html))
        for asset in assets:
            path = finders.find(asset.decode())
            with open(path, "rb") as handle:
                total += len(gzip.compress(handle.read()))
        # Nothing from another host: no CDN, no web fonts.
        assert not re.search(rb'(?:href|src)="(?:https?:)?//', html), lesson.title
        sizes.append(total)
    assert max(sizes) <= BUDGET, max(sizes)
