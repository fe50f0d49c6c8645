"""The course catalog: topic filter, search, and my progress on each card."""

import pytest

from courses.models import Topic
from tests.factories import finish_lesson, lessons_of, make_course


@pytest.fixture
def catalog_with_courses(catalog):
    complaints = Topic.objects.create(name="投诉分类标准", slug="complaints")
    sales = Topic.objects.create(name="销售过程消保", slug="sales")
    first = make_course(catalog, title="客户投诉分类标准行内应用", slug="c1", lessons=2)
    first.topics = [complaints]
    first.save_revision().publish()
    second = make_course(
        catalog, title="销售过程解读", slug="c2", lessons=4, summary="双录与适当性管理"
    )
    second.topics = [sales]
    second.save_revision().publish()
    return catalog, first, second


def titles(response):
    return [card.course.title for card in response.context["cards"]]


@pytest.mark.django_db
def test_topic_filter(learner_client, catalog_with_courses):
    catalog, first, second = catalog_with_courses
    assert titles(learner_client.get(catalog.url)) == [first.title, second.title]
    assert titles(learner_client.get(catalog.url + "?topic=sales")) == [second.title]
    # An unknown topic shows everything rather than failing.
    assert len(titles(learner_client.get(catalog.url + "?topic=nope"))) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,expected",
    [("投诉", ["客户投诉分类标准行内应用"]), ("双录", ["销售过程解读"]), ("不存在", [])],
)
def test_search_matches_parts_of_chinese_titles_and_summaries(
    learner_client, catalog_with_courses, query, expected
):
    catalog = catalog_with_courses[0]
    response = learner_client.get(catalog.url, {"q": query})
    assert titles(response) == expected
    if not expected:
        assert "没有符合搜索条件的课程" in response.content.decode()


@pytest.mark.django_db
def test_cards_show_my_progress(learner_client, learner, catalog_with_courses):
    catalog, first, second = catalog_with_courses
    finish_lesson(learner, lessons_of(second)[0])
    for lesson in lessons_of(first):
        finish_lesson(learner, lesson)
    cards = {card.course.pk: card for card in learner_client.get(catalog.url).context["cards"]}
    assert (cards[first.pk].percent, cards[first.pk].is_complete) == (100, True)
    assert (cards[second.pk].completed_count, cards[second.pk].required_count) == (1, 4)
    assert cards[second.pk].percent == 25
    html = learner_client.get(catalog.url).content.decode()
    assert 'aria-valuenow="25"' in html and 'aria-valuenow="100"' in html


@pytest.mark.django_db
def test_draft_courses_are_not_listed(learner_client, catalog_with_courses):
    catalog, first, _second = catalog_with_courses
    first.unpublish()
    assert first.title not in titles(learner_client.get(catalog.url))
