"""The learner JSON API of the courses app, one django-ninja router mounted by ``lms.api`` under
``/api/v1/``: the course list with my progress, one course with its steps, and completing a lesson
(``learner``; the schemas are in ``schemas``).
"""

from .learner import router

__all__ = ["router"]
