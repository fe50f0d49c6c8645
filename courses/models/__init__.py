from .pages import CourseIndexPage, CoursePage, LessonPage, QuizStepPage
from .progress import CourseProgress, LessonProgress
from .snippets import Topic

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "CourseProgress",
    "LessonPage",
    "LessonProgress",
    "QuizStepPage",
    "Topic",
]
