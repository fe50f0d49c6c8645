from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt
from quizzes.tasks import expire_attempts
from tests.factories import make_category, make_question, make_quiz


@pytest.mark.django_db
def test_command_and_task_finalize_expired_attempts(learner):
    quiz = make_quiz([make_question(make_category())], time_limit_minutes=1)
    first, _created = services.start_attempt(learner, quiz, confirmed=True)
    later = timezone.now() + timedelta(minutes=2)
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("lms_expire_attempts", stdout=out)
    assert "1" in out.getvalue()
    first.refresh_from_db()
    assert first.status == Attempt.FINAL and first.timed_out
    second, _created = services.start_attempt(learner, quiz, confirmed=True)
    with mock.patch("django.utils.timezone.now", return_value=later + timedelta(minutes=5)):
        result = expire_attempts.enqueue()
    assert result.return_value == 1
    second.refresh_from_db()
    assert second.status == Attempt.FINAL
