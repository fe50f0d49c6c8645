"""The mistake book and practice: wrong answers by category, correct answers only once the
review may be shown, practice rounds that record and complete nothing."""

import pytest

from courses.models import CourseProgress, QuizStepPage
from lms.models import CompletionRecord
from quizzes import services
from quizzes.exceptions import InvalidAnswer, NothingToPractise
from quizzes.models import Attempt, Quiz
from quizzes.signals import attempt_finalized
from tests.factories import (
    UserFactory,
    choice_ids,
    make_category,
    make_course,
    make_question,
    make_quiz,
)


@pytest.fixture
def bank(db):
    rights = make_category("消保知识/八项基本权利")
    complaints = make_category("投诉处理/投诉分类")
    return {
        "rights": [
            make_question(rights, "single", explanation="解析一"),
            make_question(rights, "truefalse", explanation="解析二"),
        ],
        "complaints": [make_question(complaints, "multiple", explanation="解析三")],
    }


def _sit(learner, quiz, right=()):
    """An attempt answering the questions in ``right`` correctly and the others wrong."""
    attempt, _created = services.start_attempt(learner, quiz, confirmed=True)
    for entry in attempt.questions:
        if entry["id"] in right:
            picked = choice_ids(attempt, entry["id"])
        else:
            picked = choice_ids(attempt, entry["id"], correct=False)[:1]
        services.save_answer(attempt, entry["id"], picked)
    return services.submit_attempt(attempt)


@pytest.mark.django_db
def test_wrong_answers_are_listed_by_category_with_the_answer(learner, bank):
    questions = bank["rights"] + bank["complaints"]
    quiz = make_quiz(questions, review_policy=Quiz.REVIEW_ALWAYS, max_attempts=0)
    _sit(learner, quiz, right={bank["rights"][0].pk})
    book = services.mistake_book(learner)
    assert [name for name, _items in book.categories] == [
        "投诉处理/投诉分类",
        "消保知识/八项基本权利",
    ]
    assert {item.question_id for item in book.items} == {
        bank["rights"][1].pk,
        bank["complaints"][0].pk,
    }
    item = next(i for i in book.items if i.question_id == bank["rights"][1].pk)
    assert item.revealed and item.chosen and item.entry["explanation"]
    assert [i.question_id for i in services.mistake_book(learner, "消保知识").items] == [
        bank["rights"][1].pk
    ]


@pytest.mark.django_db
def test_a_later_right_answer_takes_a_question_out(learner, bank):
    quiz = make_quiz(bank["rights"], review_policy=Quiz.REVIEW_ALWAYS, max_attempts=0)
    _sit(learner, quiz)
    assert len(services.mistake_book(learner).items) == 2
    _sit(learner, quiz, right={bank["rights"][0].pk})
    assert [i.question_id for i in services.mistake_book(learner).items] == [bank["rights"][1].pk]


@pytest.mark.django_db
def test_mistakes_wait_while_the_review_is_closed(learner, bank):
    quiz = make_quiz(bank["rights"], max_attempts=2)  # "when done", the default
    _sit(learner, quiz)
    book = services.mistake_book(learner)
    assert book.items == [] and book.held_back == 2
    with pytest.raises(NothingToPractise):
        services.start_practice(learner)
    _sit(learner, quiz)  # the last attempt: the review opens
    book = services.mistake_book(learner)
    assert len(book.items) == 2 and book.held_back == 0


@pytest.mark.django_db
def test_a_practice_round_marks_and_clears_what_is_answered_right(learner, bank):
    quiz = make_quiz(bank["rights"], review_policy=Quiz.REVIEW_ALWAYS, max_attempts=0)
    attempt = _sit(learner, quiz)
    practice = services.start_practice(learner, "消保知识")
    public = services.practice_questions(practice)
    assert all("correct" not in c for q in public for c in q["choices"])
    assert services.practice_review(practice) is None
    first = bank["rights"][0].pk
    with pytest.raises(InvalidAnswer):
        services.submit_practice(practice, {first: [10**9]})
    practice = services.submit_practice(practice, {first: choice_ids(attempt, first)})
    assert practice.is_finished and practice.correct == 1
    assert len(services.practice_review(practice)) == 2
    assert [i.question_id for i in services.mistake_book(learner).items] == [bank["rights"][1].pk]
    # Submitting again changes nothing.
    assert services.submit_practice(practice, {}).correct == 1


@pytest.fixture
def course_quiz(catalog, bank):
    """A course whose only step is its quiz (one attempt): passing it completes the course."""
    course = make_course(catalog, title="投诉处理", slug="complaints", lessons=0)
    quiz = make_quiz(bank["rights"], title="结业测验", max_attempts=1)
    step = QuizStepPage(title="结业测验", slug="final", quiz=quiz)
    course.add_child(instance=step)
    step.save_revision().publish()
    return course, quiz


def _completed(user, course):
    return CourseProgress.objects.filter(
        user=user, course=course, completed_at__isnull=False
    ).exists()


@pytest.mark.django_db
def test_a_passed_practice_round_records_and_completes_nothing(learner, course_quiz):
    course, quiz = course_quiz
    # The control: a real pass completes the course.
    colleague = UserFactory(username="700007")
    _sit(colleague, quiz, right={q.pk for q in quiz_questions(quiz)})
    assert _completed(colleague, course)
    records = CompletionRecord.objects.count()

    attempt = _sit(learner, quiz)  # failed, and the last attempt: the review opens
    assert not attempt.passed
    signals = []

    def receiver(sender, attempt, **kwargs):
        signals.append(attempt)

    attempt_finalized.connect(receiver)
    try:
        practice = services.start_practice(learner)
        answers = {e["id"]: choice_ids(attempt, e["id"]) for e in practice.questions}
        practice = services.submit_practice(practice, answers)
    finally:
        attempt_finalized.disconnect(receiver)
    assert practice.correct == len(practice.questions) == 2
    assert signals == []
    assert CompletionRecord.objects.count() == records
    assert not _completed(learner, course)
    assert Attempt.objects.filter(user=learner).count() == 1
    assert services.mistake_book(learner).items == []


def quiz_questions(quiz):
    return [fixed.question for fixed in quiz.fixed_questions.all()]
