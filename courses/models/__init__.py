from .catalog import CourseIndexPage
from .course import CoursePage
from .progress import CourseProgress, LessonProgress
from .snippets import Topic
from .steps import LessonPage, QuizStepPage

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "CourseProgress",
    "LessonPage",
    "LessonProgress",
    "QuizStepPage",
    "Topic",
]
