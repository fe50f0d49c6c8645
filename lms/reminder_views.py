"""My notifications (``/learn/notifications/``) and a manager's one-tap reminder to everyone
overdue in a unit (``/learn/team/units/<id>/remind/``). Thin: the rules are in
``lms.services.reminders.notifications`` and ``lms.services.reminders.manual``; the unit comes from
``scope.visible_units``, so another unit's id is a 404, and someone who manages nothing gets 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lms.services.reminders.manual import AlreadyReminded, remind_overview, send_manual_reminders
from lms.services.reminders.notifications import mark_all_read, my_notifications
from lms.services.scope import is_manager, visible_units


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """My notifications, newest first; POST marks them all read."""
    if request.method == "POST":
        count = mark_all_read(request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)d notification marked read.",
                    "%(count)d notifications marked read.",
                    count,
                )
                % {"count": count},
            )
        return redirect("lms:notifications")
    context = {"inbox": my_notifications(request.user)}
    return TemplateResponse(request, "lms/notifications.html", context)


def _already_message(error):
    when = formats.date_format(timezone.localtime(error.reminder.sent_at), "H:i")
    return _(
        "This unit was already reminded today at %(time)s. You can send reminders again tomorrow."
    ) % {"time": when}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def team_remind(request, unit_id):
    """How many people in the unit (and below) are overdue, and who; POST reminds them all."""
    if not is_manager(request.user):
        raise PermissionDenied
    unit = get_object_or_404(visible_units(request.user), pk=unit_id)
    if request.method == "POST":
        try:
            count = send_manual_reminders(request.user, unit)
        except AlreadyReminded as error:
            messages.info(request, _already_message(error))
        else:
            if count:
                messages.success(
                    request,
                    ngettext(
                        "Reminder sent to %(count)d person.",
                        "Reminders sent to %(count)d people.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.info(request, _("Nobody was left to remind today."))
        return redirect("lms:team_remind", unit_id=unit.pk)
    context = {"overview": remind_overview(unit, request.user)}
    return TemplateResponse(request, "lms/team_remind.html", context)
