from .catalog import CourseIndexPage
from .course import CoursePage
from .progress import CourseProgress, LessonProgress, LessonView
from .routes import ContentGeneration
from .snippets import Topic
from .steps import LessonPage, QuizStepPage

__all__ = [
    "ContentGeneration",
    "CourseIndexPage",
    "CoursePage",
    "CourseProgress",
    "LessonPage",
    "LessonProgress",
    "LessonView",
    "QuizStepPage",
    "Topic",
]
