"""The admin marking queue: blind, permission-gated, and the attempt becomes final."""

import pytest
from django.urls import reverse

from lms.services import ensure_roles
from quizzes import services
from quizzes.models import Attempt
from tests.factories import UserFactory, make_category, make_question, make_quiz


@pytest.fixture
def awaiting(learner):
    category = make_category()
    essay = make_question(category, "essay", stem="老年客户要求柜员代为操作自助设备，应如何处理？")
    quiz = make_quiz([essay], title="案例简答", pass_mark=50)
    attempt, _created = services.start_attempt(learner, quiz)
    services.save_answer(attempt, essay.pk, text="不能代客操作，应引导至柜面办理。")
    services.submit_attempt(attempt)
    return attempt


@pytest.fixture
def trainer_client(client, catalog):
    trainers, _officers, _workflow = ensure_roles(catalog)
    user = UserFactory(username="trainer")
    user.groups.add(trainers)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_trainer_marks_blind_and_the_attempt_becomes_final(trainer_client, awaiting, learner):
    html = trainer_client.get(reverse("lms_quizzes_marking:queue")).content.decode()
    assert "不能代客操作" in html and "老年客户要求柜员" in html
    assert learner.username not in html and learner.get_full_name() not in html
    answer = awaiting.answers.get()
    response = trainer_client.post(
        reverse("lms_quizzes_marking:mark", args=[answer.pk]),
        {f"a{answer.pk}-points": "1", f"a{answer.pk}-comment": "答得好"},
    )
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == Attempt.FINAL and awaiting.passed
    answer.refresh_from_db()
    assert answer.marker_comment == "答得好" and answer.marked_by.username == "trainer"
    assert (
        "不能代客操作"
        not in trainer_client.get(reverse("lms_quizzes_marking:queue")).content.decode()
    )


@pytest.mark.django_db
def test_out_of_range_mark_is_refused(trainer_client, awaiting):
    answer = awaiting.answers.get()
    trainer_client.post(
        reverse("lms_quizzes_marking:mark", args=[answer.pk]), {f"a{answer.pk}-points": "5"}
    )
    awaiting.refresh_from_db()
    assert awaiting.status == Attempt.AWAITING_MARKING


@pytest.mark.django_db
def test_learners_cannot_mark(learner_client, awaiting):
    answer = awaiting.answers.get()
    response = learner_client.post(
        reverse("lms_quizzes_marking:mark", args=[answer.pk]), {f"a{answer.pk}-points": "1"}
    )
    assert response.status_code in (302, 403)
    awaiting.refresh_from_db()
    assert awaiting.status == Attempt.AWAITING_MARKING


@pytest.mark.django_db
def test_trainer_reaches_the_question_bank(trainer_client):
    for name in (
        "wagtailsnippets_lms_quizzes_question:list",
        "wagtailsnippets_lms_quizzes_quiz:list",
    ):
        assert trainer_client.get(reverse(name)).status_code == 200
