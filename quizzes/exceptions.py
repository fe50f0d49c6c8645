"""Errors the quiz services raise. Each carries a translated message and the HTTP status the
web views and the API answer with, so a bad request never becomes a 500."""

from django.utils.translation import gettext_lazy as _


class QuizError(Exception):
    status = 400
    default_message = _("The request could not be processed.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class QuizUnavailable(QuizError):
    status = 404
    default_message = _("This quiz is not available.")


class NoAttemptsLeft(QuizError):
    status = 409
    default_message = _("You have used all your attempts for this quiz.")


class StartRefused(QuizError):
    """Raised by an ``attempt_starting`` receiver: the quiz may not be started yet."""

    status = 409
    default_message = _("This quiz cannot be started yet.")


class ConfirmationRequired(QuizError):
    """A one-attempt or timed quiz starts only once the learner has confirmed its rules."""

    status = 409
    default_message = _("Confirm the rules of this quiz before starting it.")


class QuizClosed(QuizError):
    """Outside the quiz's window (opens / closes) for this learner."""

    status = 409
    default_message = _("This quiz is not open now.")


class NothingToPractise(QuizError):
    status = 409
    default_message = _("There are no mistakes to practise here.")


class NotEnoughQuestions(QuizError):
    status = 409
    default_message = _(
        "The question bank does not have enough active questions for this quiz. "
        "Please tell the trainer."
    )


class AttemptClosed(QuizError):
    status = 409
    default_message = _("This attempt has been submitted; answers can no longer change.")


class TimeUp(QuizError):
    status = 409
    default_message = _("Time is up: the attempt was submitted with the answers saved.")


class AnswerLocked(QuizError):
    status = 409
    default_message = _("This answer has already been checked and cannot change.")


class InvalidAnswer(QuizError):
    status = 400
    default_message = _("That answer does not fit this question.")
