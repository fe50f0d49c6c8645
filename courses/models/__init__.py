from .catalog import CourseIndexPage
from .course import CoursePage
from .progress import CourseProgress, LessonProgress, LessonView
from .snippets import Topic
from .steps import LessonPage, QuizStepPage

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "CourseProgress",
    "LessonPage",
    "LessonProgress",
    "LessonView",
    "QuizStepPage",
    "Topic",
]
