"""The quiz listing prints its flags as translated tags, not "True" / "False"."""

import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.factories import UserFactory, make_quiz

pytestmark = pytest.mark.django_db


def test_quiz_flags_are_translated_tags(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "zh-hans"
    profile.save()
    client.force_login(user)
    make_quiz(title="年度考试", listed=True)
    make_quiz(title="课后测验", is_draft=True)
    html = client.get(reverse("wagtailsnippets_lms_quizzes_quiz:list")).content.decode()
    start = html.index('<table class="listing')
    table = html[html.index("<tbody", start) : html.index("</tbody>", start)]
    rows = {
        title: " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        for title in ("年度考试", "课后测验")
        if title in row
    }
    assert rows["年度考试"].endswith("启用 是"), rows
    assert rows["课后测验"].endswith("草稿 否"), rows
    assert "True" not in table and "False" not in table
