from quizzes.signals import attempt_finalized


def on_attempt_finalized(sender, attempt, **kwargs):
    from .services import record_quiz_result

    record_quiz_result(attempt)


def register_signal_handlers():
    attempt_finalized.connect(on_attempt_finalized, dispatch_uid="lms_courses_quiz_result")
