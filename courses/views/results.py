"""What a quiz attempt did to the courses its quiz is a step of, under the attempt's result
(``attempt_result_notes`` hook of the quizzes app): the course is now complete, or which steps
are left — so passing a course's quiz never reads as completing a course that is not."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from quizzes.services.review import ResultNote

from ..services.quiz_courses import course_states


def course_result_notes(user, attempt):
    notes = []
    # Once per course, also when the quiz is more than one step of it.
    for state in course_states(user, attempt):
        course = state.course
        if state.is_complete:
            notes.append(
                ResultNote(
                    _("“%(course)s” is complete and counts in your training record.")
                    % {"course": course.title},
                    url=course.url,
                    label=_("Back to course"),
                    done=True,
                )
            )
            continue
        following = state.next_step
        notes.append(
            ResultNote(
                _(
                    "“%(course)s” is not complete yet: %(done)d of %(total)d required steps "
                    "done. It counts once every required step is done."
                )
                % {
                    "course": course.title,
                    "done": state.completed_count,
                    "total": state.required_count,
                },
                url=following.page.url if following else course.url,
                label=(pgettext("learning", "Continue") + ": " + following.page.title)
                if following
                else course.title,
            )
        )
    return notes
