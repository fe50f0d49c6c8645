"""Template tags of the quiz pages. ``quiz_rules`` lets ``quizzes/includes/rules.html`` state a
quiz's rules as they apply to the learner viewing it (overrides included) wherever it is
included — the quiz page or a course's quiz step — without the including view knowing them."""

from django import template

from .. import services

register = template.Library()


@register.simple_tag(takes_context=True)
def quiz_rules(context, quiz):
    """``{"rules", "window", "open_now"}`` for the request's user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    rules = services.rules_for(user, quiz)
    return {
        "rules": rules,
        "window": services.window_text(rules),
        "open_now": services.is_open_now(rules),
    }
