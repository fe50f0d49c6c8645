"""Classification questions in the exam room (HTML, no browser): three selects of indented codes,
no key before the attempt is final, saving the picks by form post (an empty select is no pick),
the review per dimension after final, and the admin question form."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Answer, Attempt, Question
from tests.factories import (
    UserFactory,
    code_ids,
    make_category,
    make_classify_question,
    make_question,
    make_quiz,
)


@pytest.fixture
def drill(db):
    category = make_category("投诉分类练习")
    questions = [make_classify_question(category), make_question(category, "single")]
    return make_quiz(questions, title="投诉分类练习", review_policy="always")


def _start(client, quiz):
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    entry = next(q for q in attempt.questions if q["type"] == "classify")
    return attempt, entry


@pytest.mark.django_db
def test_the_exam_room_shows_three_selects_without_the_key(learner_client, drill):
    attempt, entry = _start(learner_client, drill)
    html = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    form = html[html.index(f'data-question="{entry["id"]}"') :]
    form = form[: form.index("</form>")]
    dimensions = re.findall(r'class="classify-dim" data-dimension="([ABC])"', form)
    assert dimensions == ["A", "B", "C"]
    assert form.count('<select name="choice">') == 3
    assert form.count('<option value="">—</option>') == 3
    # Every active code is offered once, its name indented by its depth (ideographic spaces).
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', form)
    assert len(options) == len(entry["choices"])
    names = dict(options)
    (a133,) = code_ids("A.1.3.3")
    assert names[str(a133)] == "\u3000\u3000移动客户端"
    # No key or explanation reaches the page: the key's options look like any other.
    key = {str(c["id"]) for c in entry["choices"] if c["correct"]}
    assert all(re.search(rf'<option value="{pk}">', form) for pk in key), (
        "a key option carries something the others do not"
    )
    assert "分类解析" not in html and "is-correct" not in html and "correct" not in form


@pytest.mark.django_db
def test_picks_are_saved_by_form_post_and_reshown(learner_client, drill):
    attempt, entry = _start(learner_client, drill)
    a, c = code_ids("A.1.1", "C.11")
    url = reverse("quizzes:answer", args=[attempt.pk])
    response = learner_client.post(
        url,
        {"question_id": entry["id"], "choice": [str(a), "", str(c)]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200 and response.json()["answered"] == 1
    assert Answer.objects.get().choice_ids == sorted([a, c])
    html = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert f'<option value="{a}" selected>' in html and f'<option value="{c}" selected>' in html
    # Two codes of one dimension are refused, nothing changes.
    (a2,) = code_ids("A.1.2")
    bad = learner_client.post(
        url,
        {"question_id": entry["id"], "choice": [str(a), str(a2)]},
        HTTP_ACCEPT="application/json",
    )
    assert bad.status_code == 400 and Answer.objects.get().choice_ids == sorted([a, c])


@pytest.mark.django_db
def test_the_review_shows_each_dimension_right_or_wrong_with_the_key(learner_client, drill):
    attempt, entry = _start(learner_client, drill)
    learner_client.post(
        reverse("quizzes:answer", args=[attempt.pk]),
        {"question_id": entry["id"], "choice": [str(pk) for pk in code_ids("A.1.1", "B.3.1")]},
        HTTP_ACCEPT="application/json",
    )
    learner_client.post(reverse("quizzes:submit", args=[attempt.pk]))
    html = learner_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    review = html[html.index("review-classify") :]
    review = review[: review.index("</ul>")]
    rows = re.findall(r'<li class="(is-correct|is-wrong)" data-dimension="([ABC])">', review)
    assert rows == [("is-correct", "A"), ("is-wrong", "B"), ("is-wrong", "C")]
    assert "B.3.1 借记卡使用" in review and "B.3.3 借记卡盗刷" in review and "C.10" in review
    assert "1.00" in html and "分类解析" in html  # 1 of 3 points


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def _question_data(category, **changes):
    data = {
        "type": Question.CLASSIFY,
        "category": category.pk,
        "stem": "客户投诉手机银行转账多收手续费。",
        "figure": "",
        "explanation": "",
        "difficulty": 2,
        "points": 3,
        "status": Question.ACTIVE,
        "tags": "",
        "choices-TOTAL_FORMS": 0,
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 6,
    }
    a, b, c = code_ids("A.1.3.3", "B.4.4", "C.7")
    data.update({"key_channel": a, "key_business": b, "key_reason": c})
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_admin_form_takes_and_checks_the_key(admin_client):
    category = make_category("投诉分类练习")
    url = reverse("wagtailsnippets_lms_quizzes_question:add")
    form = admin_client.get(url).content.decode()
    assert 'name="key_channel"' in form and 'name="key_reason"' in form
    (wrong,) = code_ids("C.1")
    refused = admin_client.post(url, _question_data(category, key_business=wrong))
    assert refused.status_code == 200 and not Question.objects.exists()
    missing = admin_client.post(url, _question_data(category, key_reason=""))
    assert missing.status_code == 200 and not Question.objects.exists()
    created = admin_client.post(url, _question_data(category))
    assert created.status_code == 302, created.content.decode()[:2000]
    question = Question.objects.get()
    assert [code.code for code in question.classify_key().values()] == ["A.1.3.3", "B.4.4", "C.7"]
