from django.conf import settings
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LessonProgress(models.Model):
    """One row per learner and lesson: when the learner finished it, and on which revision.

    Rows are written only by ``courses.services``. High-churn, so kept out of Wagtail's
    reference index.
    """

    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    lesson = models.ForeignKey(
        "lms_courses.LessonPage",
        on_delete=models.CASCADE,
        related_name="progress_records",
        verbose_name=_("lesson"),
    )
    completed_at = models.DateTimeField(_("completed at"))
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("content revision"),
    )

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="lms_courses_lesson_progress_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_id}"


class CourseProgressManager(models.Manager):
    def of(self, user, course):
        """``user``'s progress in ``course``, or None. Every step page reads it, so as plain SQL
        (one row: unique on user and course), without the ORM's query building."""
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        where = f"{quote('user_id')} = %s AND {quote('course_id')} = %s"
        sql = f"SELECT * FROM {table} WHERE {where}"  # noqa: S608 (names from the model)
        return next(iter(self.raw(sql, [user.pk, course.pk])), None)


class CourseProgress(models.Model):
    """Where a learner is in a course (for resuming on any device) and when they completed it."""

    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    course = models.ForeignKey(
        "lms_courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="progress_records",
        verbose_name=_("course"),
    )
    last_step = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last step visited"),
    )
    started_at = models.DateTimeField(
        pgettext_lazy("course progress", "started at"), auto_now_add=True
    )
    last_visited_at = models.DateTimeField(_("last visited at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("course revision at completion"),
    )

    objects = CourseProgressManager()

    class Meta:
        verbose_name = _("course progress")
        verbose_name_plural = _("course progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="lms_courses_course_progress_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.course_id}"


class LessonView(models.Model):
    """A lesson served to a learner: when it was first served, and how long it has been on their
    screen (``active_seconds``, added up from the page's heartbeats, each credited at most a few
    seconds more than the interval between them). A lesson is completed only by someone it was
    served to, and only after its minimum reading time (``LessonPage.minimum_reading_seconds``).

    Written only by ``courses.services``; high-churn, so kept out of Wagtail's reference index.
    """

    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    lesson = models.ForeignKey(
        "lms_courses.LessonPage",
        on_delete=models.CASCADE,
        related_name="views",
        verbose_name=_("lesson"),
    )
    first_served_at = models.DateTimeField(_("first served at"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    active_seconds = models.PositiveIntegerField(_("seconds on screen"), default=0)

    class Meta:
        verbose_name = _("lesson view")
        verbose_name_plural = _("lesson views")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lms_courses_lesson_view_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_id} · {self.active_seconds} s"
