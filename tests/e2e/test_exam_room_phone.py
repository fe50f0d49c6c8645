"""The exam room on a 360×740 phone: an answer that cannot be saved offline is kept and shown as
not yet saved, then saved when the network is back; and the mistake book with a practice round."""

import pytest
from django.contrib.auth import get_user_model

from config.demo.loader import load_demo
from quizzes import services
from quizzes.models import Answer, Attempt, PracticeRound, Quiz
from tests.e2e.pages import fits_phone, log_in
from tests.factories import ensure_wagtail_root

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ANNUAL_TEST = "2026年度消保知识测试"


def test_an_answer_given_offline_is_saved_when_the_network_is_back(live_server, phone, artifacts):
    ensure_wagtail_root()
    load_demo(simulate=False)
    quiz = Quiz.objects.get(title=ANNUAL_TEST)
    log_in(phone, live_server, f"/quizzes/{quiz.pk}/")
    phone.click("[data-start]")
    phone.click("[data-start-confirmed]")
    phone.wait_for_url("**/quizzes/attempts/**")
    attempt = Attempt.objects.get(user__username="teller", quiz=quiz)
    entry = attempt.questions[0]
    choice = entry["choices"][0]["id"]

    phone.context.set_offline(True)
    phone.check(f"input[name=choice][value='{choice}']")
    phone.wait_for_selector("form.is-pending")
    banner = phone.locator("[data-pending]")
    assert banner.is_visible() and "1" in banner.inner_text()
    assert not Answer.objects.filter(attempt=attempt).exists()
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-quiz-offline-360x740.png"))

    phone.context.set_offline(False)
    phone.wait_for_selector("form.is-pending", state="detached", timeout=15000)
    assert banner.is_hidden()
    saved = Answer.objects.get(attempt=attempt, question_id=entry["id"])
    assert saved.choice_ids == [choice]
    key = f"lms-quiz-pending-{attempt.pk}"
    assert phone.evaluate("key => window.localStorage.getItem(key)", key) is None


def test_the_mistake_book_and_a_practice_round(live_server, phone, artifacts):
    ensure_wagtail_root()
    load_demo(simulate=False)
    quiz = Quiz.objects.get(title=ANNUAL_TEST)
    # One attempt, reviewed "when done" (the default): the review opens once it is used.
    Quiz.objects.filter(pk=quiz.pk).update(review_policy=Quiz.REVIEW_WHEN_DONE)
    quiz.refresh_from_db()
    teller = get_user_model().objects.get(username="teller")
    attempt, _created = services.start_attempt(teller, quiz, confirmed=True)
    for entry in attempt.questions[:5]:
        right = [c["id"] for c in entry["choices"] if c["correct"]]
        services.save_answer(attempt, entry["id"], right)
    services.submit_attempt(attempt)

    log_in(phone, live_server, "/learn/mistakes/")
    mistakes = phone.locator("[data-mistake]")
    assert mistakes.count() == len(attempt.questions) - 5
    assert phone.locator(".tag-ok").count() >= mistakes.count()
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-mistakes-360x740.png"))

    phone.click("[data-practice]")
    phone.wait_for_selector("[data-practice-form]")
    practice = PracticeRound.objects.get()
    html = phone.content()
    assert "tag-ok" not in html
    for entry in practice.questions:
        right = [c["id"] for c in entry["choices"] if c["correct"]]
        for choice_id in right:
            phone.check(f"input[name='q{entry['id']}'][value='{choice_id}']")
    assert fits_phone(phone)
    phone.click("[data-practice-submit]")
    phone.wait_for_selector("[data-practice-result]")
    total = len(practice.questions)
    assert f"{total} / {total}" in phone.locator("[data-practice-result]").inner_text()
    assert fits_phone(phone)
    phone.screenshot(path=str(artifacts / "e2e-practice-result-360x740.png"))
    assert Attempt.objects.filter(user=teller).count() == 1
    phone.goto(f"{live_server.url}/learn/mistakes/")
    assert phone.locator("[data-mistake]").count() == 0
