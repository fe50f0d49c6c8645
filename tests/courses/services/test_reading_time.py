"""Completion that proves reading: a lesson is completed only by someone it was served to, after
its minimum reading time on screen (heartbeats, each credited at most 1.5 intervals); refusals are
409s with a message on the page and in the API; the time spent goes into the course's record."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from courses import services
from courses.exceptions import CompletionRefused
from courses.models import LessonProgress, LessonView
from lms.models import CompletionRecord
from tests.api_support import API
from tests.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(catalog):
    course = make_course(catalog, title="适当性管理", slug="suitability", lessons=1)
    first = lessons_of(course)[0]
    first.min_reading_seconds = 60
    first.save_revision().publish()
    first.refresh_from_db()
    return first


def test_a_lesson_never_served_cannot_be_completed(learner, lesson):
    with translation.override("en"), pytest.raises(CompletionRefused) as refused:
        services.complete_lesson(learner, lesson)
    assert refused.value.status == 409
    assert str(refused.value.message) == "Open the lesson and read it before completing it."
    assert not LessonProgress.objects.exists()


def test_completion_waits_for_the_minimum_time_on_screen(learner, lesson):
    start = timezone.now()
    services.record_lesson_view(learner, lesson, at=start)
    with translation.override("en"), pytest.raises(CompletionRefused) as refused:
        services.complete_lesson(learner, lesson, at=start + timedelta(seconds=10))
    assert "50 more seconds" in str(refused.value.message)
    # Heartbeats every 10 s while on screen; a long gap (the phone asleep) counts 15 s at most.
    for seconds in (20, 30, 40, 400):
        services.record_heartbeat(learner, lesson, at=start + timedelta(seconds=seconds))
    view = LessonView.objects.get()
    assert view.active_seconds == 10 + 10 + 10 + 10 + 15
    result = services.complete_lesson(learner, lesson, at=start + timedelta(seconds=405))
    assert result.lesson_newly_completed and result.course_newly_completed
    assert LessonView.objects.get().active_seconds == 60  # the last 5 s counted at completion
    record = CompletionRecord.objects.get()
    assert record.evidence == {"time_spent_seconds": 60}


def test_heartbeats_cannot_count_faster_than_the_clock(learner, lesson):
    start = timezone.now()
    services.record_lesson_view(learner, lesson, at=start)
    for _beat in range(50):  # a script hammering the endpoint at the same moment
        services.record_heartbeat(learner, lesson, at=start + timedelta(seconds=1))
    assert LessonView.objects.get().active_seconds == 1


def test_the_page_refuses_an_early_completion_with_409_and_says_how_long(learner_client, lesson):
    assert learner_client.get(lesson.url).status_code == 200
    html = learner_client.get(lesson.url).content.decode()
    assert "data-heartbeat" in html and "data-reading-left" in html
    response = learner_client.post(lesson.url + "complete/")
    assert response.status_code == 409
    html = response.content.decode()
    assert "请再阅读一会儿再点“完成”：还需" in html and "至少在屏 60 秒" in html
    assert not LessonProgress.objects.exists()


def test_the_heartbeat_route_credits_and_reports_what_is_left(learner_client, lesson):
    assert learner_client.post(lesson.url + "heartbeat/").status_code == 409  # never served
    learner_client.get(lesson.url)
    LessonView.objects.update(last_seen_at=timezone.now() - timedelta(seconds=10))
    data = learner_client.post(lesson.url + "heartbeat/").json()
    assert data["active_seconds"] == 10 and data["reading_left"] == 50
    assert learner_client.get(lesson.url + "heartbeat/").status_code == 405


def test_the_api_serves_the_lesson_then_refuses_an_early_completion(learner_client, lesson):
    refused = learner_client.post(f"{API}/lessons/{lesson.pk}/complete")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "请先打开并阅读这节微课，再点“完成”。"
    served = learner_client.get(f"{API}/lessons/{lesson.pk}").json()
    assert served["minimum_reading_seconds"] == 60 and served["reading_left"] == 60
    assert served["active_seconds"] == 0 and served["completed"] is False
    assert "正文" in served["body_html"] and served["heartbeat_seconds"] == 10
    early = learner_client.post(f"{API}/lessons/{lesson.pk}/complete")
    assert early.status_code == 409 and "还需" in early.json()["detail"]
    LessonView.objects.update(active_seconds=59, last_seen_at=timezone.now())
    beat = learner_client.post(f"{API}/lessons/{lesson.pk}/heartbeat").json()
    assert beat["active_seconds"] >= 59
    LessonView.objects.update(active_seconds=60)
    done = learner_client.post(f"{API}/lessons/{lesson.pk}/complete")
    assert done.status_code == 200 and done.json()["lesson_newly_completed"] is True


def test_the_default_minimum_is_a_third_of_the_estimated_minutes(lesson):
    lesson.min_reading_seconds = None
    lesson.estimated_minutes = 6
    assert lesson.minimum_reading_seconds() == 120
    lesson.min_reading_seconds = 0
    assert lesson.minimum_reading_seconds() == 0


def test_reading_measured_elsewhere_is_credited_in_one_go(learner, lesson):
    view = services.record_reading(learner, lesson, 75)
    assert view.active_seconds == 75
    assert services.complete_lesson(learner, lesson).lesson_newly_completed
