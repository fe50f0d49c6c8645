"""The focus-loss log: counted and logged, never blocking, unless the quiz submits after N."""

import pytest

from quizzes import services
from quizzes.exceptions import AttemptClosed, InvalidAnswer
from quizzes.models import Attempt, AttemptEvent
from tests.factories import make_category, make_question, make_quiz


@pytest.fixture
def quiz(db):
    return make_quiz([make_question(make_category())])


@pytest.mark.django_db
def test_leaving_the_page_is_counted_and_logged(learner, quiz):
    attempt, _created = services.start_attempt(learner, quiz)
    services.record_focus_loss(attempt, "hidden")
    attempt = services.record_focus_loss(attempt, "blur")
    assert attempt.focus_losses == 2 and attempt.status == Attempt.IN_PROGRESS
    assert list(AttemptEvent.objects.values_list("kind", flat=True)) == ["hidden", "blur"]


@pytest.mark.django_db
def test_the_quiz_may_submit_after_n_times(learner, quiz):
    quiz.focus_loss_limit = 2
    quiz.save()
    attempt, _created = services.start_attempt(learner, quiz)
    services.record_focus_loss(attempt, "hidden")
    attempt = services.record_focus_loss(attempt, "hidden")
    assert attempt.status == Attempt.FINAL and attempt.focus_submitted
    with pytest.raises(AttemptClosed):
        services.record_focus_loss(attempt, "hidden")
    assert AttemptEvent.objects.count() == 2


@pytest.mark.django_db
def test_an_unknown_event_is_refused(learner, quiz):
    attempt, _created = services.start_attempt(learner, quiz)
    with pytest.raises(InvalidAnswer):
        services.record_focus_loss(attempt, "copy")
    assert not AttemptEvent.objects.exists()
