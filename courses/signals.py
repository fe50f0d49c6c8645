"""Signals the courses app sends; ``lms`` listens to them. Both are sent inside the transaction
that wrote the progress row, so a receiver's own writes commit or roll back with it.

``lesson_completed(sender=LessonPage, user, lesson, revision, at, time_spent)``
    A learner completed a micro-lesson for the first time. ``revision`` is the lesson's live
    ``wagtail.models.Revision`` (or ``None``), ``at`` an aware datetime, ``time_spent`` the
    seconds the lesson was on their screen.

``course_completed(sender=CoursePage, user, course, revision, score, at, time_spent)``
    Every required step of ``course`` is now complete for ``user`` (sent once per learner and
    course). ``score`` is the final-check score in percent, or ``None`` when the course has no
    scored step; ``time_spent`` the seconds the course's lessons were on their screen in all.
"""

from django.dispatch import Signal

lesson_completed = Signal()
course_completed = Signal()
