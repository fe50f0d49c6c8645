"""The exam room's pages: the confirmation step before a one-attempt or timed quiz, the window,
the take page after the deadline, the focus-loss event, and the mistake book at
``/learn/mistakes/`` with its practice rounds."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, PracticeRound, Quiz
from tests.factories import UserFactory, choice_ids, make_category, make_question, make_quiz


@pytest.fixture
def quiz(db):
    category = make_category()
    questions = [
        make_question(category, "single", explanation="单选解析"),
        make_question(category, "truefalse", explanation="判断解析"),
    ]
    return make_quiz(
        questions, title="年度测试", pass_mark=80, max_attempts=1, time_limit_minutes=30
    )


@pytest.mark.django_db
def test_starting_a_timed_one_attempt_quiz_shows_its_rules_first(learner_client, quiz):
    url = reverse("quizzes:start", args=[quiz.pk])
    page = learner_client.post(url, {"next": "/courses/x/"})
    assert page.status_code == 200 and not Attempt.objects.exists()
    html = page.content.decode()
    assert "data-start-confirmed" in html and 'name="confirm" value="1"' in html
    assert "30" in html and "80%" in html and 'value="/courses/x/"' in html
    started = learner_client.post(url, {"confirm": "1"})
    assert started.status_code == 302 and Attempt.objects.count() == 1


@pytest.mark.django_db
def test_a_closed_quiz_says_its_window(learner_client, quiz):
    Quiz.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(days=1))
    detail = learner_client.get(reverse("quizzes:detail", args=[quiz.pk])).content.decode()
    assert "data-window" in detail and "data-start" not in detail
    response = learner_client.post(reverse("quizzes:start", args=[quiz.pk]), {"confirm": "1"})
    assert response.status_code == 409 and "form-error" in response.content.decode()


@pytest.mark.django_db
def test_after_the_deadline_the_page_sends_what_is_queued_then_submits(learner_client, quiz):
    learner_client.post(reverse("quizzes:start", args=[quiz.pk]), {"confirm": "1"})
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    page = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "data-time-up" in page and "disabled" in page and "解析" not in page
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    page = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "data-time-up" not in page and 'class="result' in page


@pytest.mark.django_db
def test_the_page_reports_leaving_it(learner_client, quiz):
    learner_client.post(reverse("quizzes:start", args=[quiz.pk]), {"confirm": "1"})
    attempt = Attempt.objects.get()
    url = reverse("quizzes:event", args=[attempt.pk])
    assert learner_client.post(url, {"kind": "hidden"}).json()["focus_losses"] == 1
    assert learner_client.post(url, {"kind": "nonsense"}).status_code == 400
    other = UserFactory(username="110011")
    learner_client.force_login(other)
    assert learner_client.post(url, {"kind": "hidden"}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.focus_losses == 1


def _fail(learner, quiz):
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    for entry in attempt.questions:
        services.save_answer(attempt, entry["id"], choice_ids(attempt, entry["id"], False)[:1])
    return services.submit_attempt(attempt)


@pytest.mark.django_db
def test_the_mistake_book_page_and_a_practice_round(learner_client, learner, quiz):
    attempt = _fail(learner, quiz)  # the only attempt: its review may be shown
    url = reverse("lms:mistakes")
    assert url == "/learn/mistakes/"
    html = learner_client.get(url).content.decode()
    assert html.count("data-mistake=") == 2 and "单选解析" in html
    started = learner_client.post(reverse("lms:mistakes_practice"))
    practice = PracticeRound.objects.get()
    assert started.status_code == 302 and started.url == f"/learn/mistakes/practice/{practice.pk}/"
    form = learner_client.get(started.url).content.decode()
    assert "单选解析" not in form and "correct" not in form
    answers = {f"q{e['id']}": choice_ids(attempt, e["id"]) for e in practice.questions}
    done = learner_client.post(started.url, answers)
    assert done.status_code == 302
    result = learner_client.get(started.url).content.decode()
    assert "data-practice-result" in result and "2 / 2" in result
    assert "data-mistake=" not in learner_client.get(url).content.decode()
    assert Attempt.objects.count() == 1


@pytest.mark.django_db
def test_practice_with_nothing_to_practise_is_a_clear_409(learner_client):
    response = learner_client.post(reverse("lms:mistakes_practice"), {"category": "无"})
    assert response.status_code == 409 and "form-error" in response.content.decode()


@pytest.mark.django_db
def test_someone_elses_practice_round_is_404(learner_client, learner, quiz):
    _fail(learner, quiz)
    practice = services.start_practice(learner)
    learner_client.force_login(UserFactory(username="120012"))
    url = reverse("lms:practice_round", args=[practice.pk])
    assert learner_client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_mistake_book_needs_a_login(client):
    assert client.get(reverse("lms:mistakes")).status_code == 302
