"""Per-category progress: my correct answers per question category over final attempts."""

import pytest
from django.urls import reverse

from quizzes import services
from tests.factories import UserFactory, choice_ids, make_category, make_question, make_quiz


@pytest.mark.django_db
def test_category_progress_counts_final_attempts_only(learner_client, learner):
    rights = make_category("消保知识/八项权利")
    fraud = make_category("反诈宣传")
    quiz = make_quiz([make_question(rights), make_question(rights), make_question(fraud)])
    attempt, _created = services.start_attempt(learner, quiz)
    first, second, third = attempt.questions
    services.save_answer(attempt, first["id"], choice_ids(attempt, first["id"]))
    services.save_answer(
        attempt, second["id"], choice_ids(attempt, second["id"], correct=False)[:1]
    )
    services.submit_attempt(attempt)  # the fraud question is left unanswered
    services.start_attempt(learner, quiz)  # open attempts do not count
    services.start_attempt(UserFactory(username="500001"), quiz)  # nor other people's

    assert services.category_progress(learner) == [
        {"category": "反诈宣传", "answered": 1, "correct": 0, "percent": 0},
        {"category": "消保知识/八项权利", "answered": 2, "correct": 1, "percent": 50},
    ]
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "消保知识/八项权利" in html and 'aria-valuenow="50"' in html
