"""An import by a trainer goes through approval like an edit in the admin: existing live
questions keep their live version, new ones are drafts no paper draws."""

import pytest

from lms.services import ensure_roles
from quizzes.models import Question
from quizzes.services.importing import import_questions
from tests.factories import UserFactory, make_category, make_question
from tests.quizzes.question_files import csv_bytes


def row(stem, explanation=""):
    return ["单选", "消保知识", stem, "甲", "乙", "", "", "A", explanation, "", ""]


@pytest.mark.django_db
def test_a_trainers_import_waits_for_approval(catalog):
    trainers, officers, _workflow = ensure_roles(catalog)
    trainer = UserFactory(username="trainer")
    trainer.groups.add(trainers)
    category = make_category("消保知识")
    live = make_question(category, "single", stem="旧题干", explanation="旧解析")
    data = csv_bytes(
        [
            row("旧题干", explanation="新解析"),
            row("新题"),
        ]
    )
    report = import_questions(data, "q.csv", user=trainer)
    assert report.ok, report
    live.refresh_from_db()
    assert live.explanation == "旧解析" and live.live and live.has_unpublished_changes
    assert live.latest_revision.content["explanation"] == "新解析"
    new = Question.objects.get(stem="新题")
    assert not new.live

    officer = UserFactory(username="officer")
    officer.groups.add(officers)
    import_questions(csv_bytes([row("旧题干", explanation="官方解析")]), "q.csv", user=officer)
    live.refresh_from_db()
    assert live.explanation == "官方解析" and not live.has_unpublished_changes
