"""Drawing the paper of a new attempt: the fixed questions, then each random-draw rule's picks,
frozen as snapshot entries. The snapshot is the only thing an attempt is ever marked against,
so later edits to the bank never change a paper already drawn.

Only live (published), active questions are drawn. A retake draws questions the learner has not
seen yet first, as far as the pool allows: a random-draw rule's picks, and the questions kept when
a shuffled quiz uses only ``max_questions`` of them; seen questions fill the rest."""

import random

from ..exceptions import NotEnoughQuestions
from ..models import Attempt, Question
from .classify import code_options, snapshot_choices


def _snapshot(question, shuffle_choices, rng, codes=()):
    choices = [
        {"id": c.pk, "text": c.text, "correct": c.is_correct, "feedback": c.feedback}
        for c in question.choices.all()
    ]
    if question.type == Question.CLASSIFY:
        choices = snapshot_choices(question, codes)  # in tree order, never shuffled
    elif shuffle_choices and question.type != Question.TRUE_FALSE:
        rng.shuffle(choices)
    return {
        "id": question.pk,
        "type": question.type,
        "stem": question.stem,
        "figure_id": question.figure_id,
        "points": str(question.points),
        "partial_credit": question.partial_credit,
        "explanation": question.explanation,
        "category_id": question.category_id,
        "category": question.category.full_name,
        "difficulty": question.difficulty,
        "choices": choices,
    }


def seen_question_ids(user, quiz):
    """Ids of the questions on ``user``'s earlier papers of ``quiz`` (one query)."""
    papers = Attempt.objects.filter(quiz=quiz, user=user).values_list("questions", flat=True)
    return {entry["id"] for paper in papers for entry in paper}


def _unseen_first(ids, count, seen, rng):
    unseen = [pk for pk in ids if pk not in seen]
    if len(unseen) >= count:
        return rng.sample(unseen, count)
    again = [pk for pk in ids if pk in seen]
    picked = unseen + rng.sample(again, count - len(unseen))
    rng.shuffle(picked)
    return picked


def draw_paper(quiz, rng=None, seen=frozenset()):
    """The questions of a new attempt as snapshot entries, preferring questions not in
    ``seen`` (the ids on the learner's earlier papers). Queries: one per draw rule plus a
    constant few, whatever the size of the bank."""
    rng = rng or random.SystemRandom()
    fixed_ids = list(
        quiz.fixed_questions.filter(question__status=Question.ACTIVE, question__live=True)
        .order_by("sort_order")
        .values_list("question_id", flat=True)
    )
    chosen = set(fixed_ids)
    drawn_ids = []
    for rule in quiz.draw_rules.select_related("category").order_by("sort_order"):
        categories = (
            rule.category.descendant_ids() if rule.include_subcategories else [rule.category_id]
        )
        pool = Question.objects.filter(
            status=Question.ACTIVE, live=True, category_id__in=categories
        ).exclude(pk__in=chosen)
        if rule.difficulty:
            pool = pool.filter(difficulty=rule.difficulty)
        ids = list(pool.values_list("pk", flat=True))
        if len(ids) < rule.count:
            raise NotEnoughQuestions
        picked = _unseen_first(ids, rule.count, seen, rng)
        chosen.update(picked)
        drawn_ids.extend(picked)
    order = fixed_ids + drawn_ids
    by_id = (
        Question.objects.select_related("category", *Question.KEY_FIELDS.values())
        .prefetch_related("choices")
        .in_bulk(order)
    )
    questions = [by_id[pk] for pk in order if pk in by_id]
    if quiz.shuffle_questions:
        rng.shuffle(questions)
        if quiz.max_questions and seen:
            kept = _unseen_first([q.pk for q in questions], quiz.max_questions, seen, rng)
            questions = [q for q in questions if q.pk in set(kept)]
    if quiz.max_questions:
        questions = questions[: quiz.max_questions]
    if not questions:
        raise NotEnoughQuestions
    codes = ()
    keys = [code.pk for q in questions for code in q.classify_key().values() if code]
    if any(q.type == Question.CLASSIFY for q in questions):
        codes = code_options(extra_ids=keys)  # one query for the whole paper
    return [_snapshot(q, quiz.shuffle_choices, rng, codes) for q in questions]
