from .attempts import Answer, Attempt, AttemptEvent
from .bank import Choice, Question, QuestionCategory, QuestionTag
from .classification import ClassificationCode
from .overrides import QuizOverride
from .practice import PracticeRound
from .quiz import Quiz, QuizDrawRule, QuizQuestion

__all__ = [
    "Answer",
    "Attempt",
    "AttemptEvent",
    "Choice",
    "ClassificationCode",
    "PracticeRound",
    "Question",
    "QuestionCategory",
    "QuestionTag",
    "Quiz",
    "QuizDrawRule",
    "QuizOverride",
    "QuizQuestion",
]
