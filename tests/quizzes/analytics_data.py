"""A known answer pattern for the analytics tests: six learners, five single-choice questions.
The fixtures built from it are declared in the test modules that use it."""

from quizzes import services
from tests.factories import UserFactory, make_category, make_question, make_quiz

RIGHT, WRONG, OTHER = "甲", "乙", "丙"  # the default single-choice question's choices

# Six learners, five single-choice questions (1 point each), pass mark 60 %. None = unanswered.
#   Q1 everybody right; Q2 right for the three best; Q3 right only for two of the weakest;
#   Q4 right for four, unrelated to the rest; Q5 right for the best only.
PATTERN = [
    # Q1     Q2     Q3     Q4     Q5       total
    (RIGHT, RIGHT, WRONG, RIGHT, RIGHT),  # 4 -> 80 %
    (RIGHT, RIGHT, WRONG, RIGHT, WRONG),  # 3 -> 60 %
    (RIGHT, RIGHT, WRONG, RIGHT, WRONG),  # 3 -> 60 %
    (RIGHT, WRONG, WRONG, RIGHT, WRONG),  # 2 -> 40 %
    (RIGHT, WRONG, RIGHT, OTHER, WRONG),  # 2 -> 40 %
    (RIGHT, None, RIGHT, None, OTHER),  # 2 -> 40 %
]


def sit(user, quiz, picks, submit=True):
    """One attempt answering each question with the choice of that text (None: skip it)."""
    attempt, _created = services.start_attempt(user, quiz)
    for question, pick in picks:
        if pick is None:
            continue
        entry = attempt.question(question.pk)
        if entry["type"] == "essay":
            services.save_answer(attempt, question.pk, text=pick)
        else:
            ids = [c["id"] for c in entry["choices"] if c["text"] == pick]
            services.save_answer(attempt, question.pk, ids)
    return services.submit_attempt(attempt) if submit else attempt


def five_questions():
    category = make_category()
    return [make_question(category, "single", stem=f"第{n}题") for n in range(1, 6)]


def pattern_quiz(questions):
    return make_quiz(questions, pass_mark=60, title="消保知识测验")


def sit_pattern(quiz, questions):
    """The six final attempts of PATTERN."""
    return [sit(UserFactory(), quiz, zip(questions, picks, strict=True)) for picks in PATTERN]
