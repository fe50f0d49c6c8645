"""Drawing papers: retakes get questions not seen yet first, as far as the pool allows; only
live, active questions are drawn."""

import random

import pytest

from quizzes import services
from quizzes.services.papers import draw_paper, seen_question_ids
from tests.factories import UserFactory, make_category, make_question, make_quiz


def _ids(attempt):
    return {entry["id"] for entry in attempt.questions}


def _sit(learner, quiz):
    attempt, _created = services.start_attempt(learner, quiz)
    services.submit_attempt(attempt)
    return attempt


@pytest.mark.django_db
def test_a_retake_draws_unseen_questions_first(learner):
    category = make_category()
    pool = {make_question(category).pk for _n in range(6)}
    quiz = make_quiz(draws=[(category, 3)], max_attempts=0)
    first = _sit(learner, quiz)
    second = _sit(learner, quiz)
    assert _ids(first) | _ids(second) == pool and not _ids(first) & _ids(second)
    # The pool is used up: a third paper takes from seen questions, still 3 of them.
    third = _sit(learner, quiz)
    assert len(_ids(third)) == 3 and _ids(third) <= pool


@pytest.mark.django_db
def test_a_partly_used_pool_takes_every_unseen_question_then_fills_up(learner):
    category = make_category()
    for _n in range(5):
        make_question(category)
    quiz = make_quiz(draws=[(category, 3)])
    first = _sit(learner, quiz)
    second = _sit(learner, quiz)
    assert len(_ids(second)) == 3
    assert len(_ids(first) & _ids(second)) == 1  # 2 unseen were left, 1 seen fills the paper


@pytest.mark.django_db
def test_a_shuffled_pool_of_fixed_questions_shows_the_unseen_half_next(learner):
    category = make_category()
    questions = [make_question(category) for _n in range(4)]
    quiz = make_quiz(questions, shuffle_questions=True, max_questions=2)
    first = _sit(learner, quiz)
    second = _sit(learner, quiz)
    assert not _ids(first) & _ids(second)
    assert _ids(first) | _ids(second) == {q.pk for q in questions}


@pytest.mark.django_db
def test_only_my_own_papers_count_as_seen(learner):
    category = make_category()
    for _n in range(4):
        make_question(category)
    quiz = make_quiz(draws=[(category, 2)])
    other = _sit(UserFactory(username="300003"), quiz)
    assert seen_question_ids(learner, quiz) == set()
    assert seen_question_ids(other.user, quiz) == _ids(other)


@pytest.mark.django_db
def test_unpublished_questions_are_not_drawn(learner):
    category = make_category()
    live = make_question(category)
    draft = make_question(category)
    draft.live = False
    draft.save()
    quiz = make_quiz([live, draft], draws=[])
    assert [entry["id"] for entry in draw_paper(quiz, random.Random(1))] == [live.pk]
