from .attempts import Answer, Attempt
from .bank import Choice, Question, QuestionCategory, QuestionTag
from .quiz import Quiz, QuizDrawRule, QuizQuestion

__all__ = [
    "Answer",
    "Attempt",
    "Choice",
    "Question",
    "QuestionCategory",
    "QuestionTag",
    "Quiz",
    "QuizDrawRule",
    "QuizQuestion",
]
