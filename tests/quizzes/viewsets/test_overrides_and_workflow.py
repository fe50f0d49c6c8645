"""The admin of the exam room: trainers grant per-person overrides (no edit, no delete: revoking
keeps the grant), and questions and quizzes go through revisions and the officer's approval."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowContentType

from lms.services import ensure_roles
from quizzes.models import Question, Quiz, QuizOverride
from tests.factories import UserFactory, make_category, make_question, make_quiz


@pytest.fixture
def roles(catalog):
    return ensure_roles(catalog)


def _member(client, group, username):
    user = UserFactory(username=username)
    user.groups.add(group)
    client.force_login(user)
    return user


@pytest.fixture
def quiz(db):
    return make_quiz([make_question(make_category())], title="年度测试", max_attempts=1)


@pytest.mark.django_db
def test_a_trainer_grants_and_revokes_an_override(client, roles, quiz, learner):
    trainer = _member(client, roles[0], "trainer")
    add = client.post(
        reverse("lms_quiz_overrides:add"),
        {
            "quiz": quiz.pk,
            "learner": learner.username,
            "extra_attempts": 1,
            "closes_at": "",
            "time_limit_minutes": "",
            "reason": "系统故障，补考一次",
        },
    )
    assert add.status_code == 302, add.content.decode()[:2000]
    override = QuizOverride.objects.get()
    assert (override.user, override.granted_by, override.extra_attempts) == (learner, trainer, 1)
    listing = client.get(reverse("lms_quiz_overrides:index")).content.decode()
    assert "系统故障，补考一次" in listing

    revoke_url = reverse("lms_quiz_overrides:edit", args=[override.pk])
    assert client.post(revoke_url, {"revoke_reason": ""}).status_code == 200
    assert client.post(revoke_url, {"revoke_reason": "已重新安排考试"}).status_code == 302
    override.refresh_from_db()
    assert override.revoked_by == trainer and override.reason == "系统故障，补考一次"
    response = client.post(reverse("lms_quiz_overrides:delete", args=[override.pk]))
    assert response.status_code in (302, 403)
    assert QuizOverride.objects.filter(pk=override.pk).exists()


@pytest.mark.django_db
def test_a_grant_needs_a_learner_something_and_a_reason(client, roles, quiz):
    _member(client, roles[0], "trainer")
    response = client.post(
        reverse("lms_quiz_overrides:add"),
        {"quiz": quiz.pk, "learner": "nobody", "extra_attempts": 0, "reason": ""},
    )
    assert response.status_code == 200
    assert not QuizOverride.objects.exists()


@pytest.mark.django_db
def test_learners_cannot_grant_overrides(client, quiz, learner):
    client.force_login(learner)
    response = client.get(reverse("lms_quiz_overrides:add"))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_questions_and_quizzes_are_under_the_officers_workflow(roles):
    _trainers, officers, workflow = roles
    for model in (Question, Quiz):
        assignment = WorkflowContentType.objects.get(content_type__model=model._meta.model_name)
        assert assignment.workflow == workflow
    assert officers.permissions.filter(codename="publish_quiz").exists()
    assert not roles[0].permissions.filter(codename__startswith="publish_").exists()


@pytest.mark.django_db
def test_a_trainer_edit_of_a_live_quiz_waits_for_approval(client, roles, quiz):
    _member(client, roles[0], "trainer")
    url = reverse("wagtailsnippets_lms_quizzes_quiz:edit", args=[quiz.pk])
    form = client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert "action-submit" in html or "Submit" in html or "提交" in html
    data = _quiz_form_data(quiz, pass_mark=10)
    data["action-submit"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz.refresh_from_db()
    assert quiz.pass_mark == 80 and quiz.live  # learners still get the approved version
    assert quiz.has_unpublished_changes
    assert quiz.latest_revision.content["pass_mark"] == 10
    assert quiz.workflow_in_progress


def _quiz_form_data(quiz, **changes):
    data = {
        "title": quiz.title,
        "description": quiz.description,
        "is_draft": "",
        "listed": "",
        "shuffle_questions": "",
        "shuffle_choices": "",
        "max_questions": "",
        "pass_mark": quiz.pass_mark,
        "max_attempts": quiz.max_attempts,
        "time_limit_minutes": "",
        "feedback_mode": quiz.feedback_mode,
        "review_policy": quiz.review_policy,
        "one_per_screen": "on",
        "opens_at": "",
        "closes_at": "",
        "focus_loss_limit": "",
        "success_text": "",
        "fail_text": "",
    }
    fixed = list(quiz.fixed_questions.all())
    data.update(
        {
            "fixed_questions-TOTAL_FORMS": len(fixed),
            "fixed_questions-INITIAL_FORMS": len(fixed),
            "fixed_questions-MIN_NUM_FORMS": 0,
            "fixed_questions-MAX_NUM_FORMS": 1000,
            "draw_rules-TOTAL_FORMS": 0,
            "draw_rules-INITIAL_FORMS": 0,
            "draw_rules-MIN_NUM_FORMS": 0,
            "draw_rules-MAX_NUM_FORMS": 1000,
        }
    )
    for index, item in enumerate(fixed):
        data[f"fixed_questions-{index}-id"] = item.pk
        data[f"fixed_questions-{index}-question"] = item.question_id
        data[f"fixed_questions-{index}-ORDER"] = index + 1
    data.update({key: value for key, value in changes.items()})
    return data


@pytest.mark.django_db
def test_only_published_quizzes_are_available(quiz):
    # New and existing rows default to live (the migration keeps existing ones published).
    assert quiz.live and Quiz.objects.available().filter(pk=quiz.pk).exists()
    quiz.live = False
    quiz.save()
    assert not Quiz.objects.available().filter(pk=quiz.pk).exists()
