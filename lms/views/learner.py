"""The learner's pages: 我的学习 (what is due, done and earned), my notifications, attestations
("I have read and understood …") and offline sessions (the sessions of an item, and checking in
by QR code). Only the logged-in user's own data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courses.services.route_cache import prepare_site
from lms.models import Assignment, CheckIn, PlanItem
from lms.services.learning import offline
from lms.services.learning.attestations import AttestationError, attest, attestation_state
from lms.services.learning.home import learner_home
from lms.services.plans import assignment_status
from lms.services.reminders.notifications import mark_all_read, my_notifications

#: How long after scanning (and logging in) the learner has to press "Check in".
PENDING_SECONDS = 10 * 60
PENDING_KEY = "lms_check_in"


@never_cache
@login_required
def learn(request):
    """The learner home ("我的学习"): what is overdue, due soon, in progress and done, hours
    earned this year and my recent records. Only the logged-in user's own data."""
    prepare_site(request)  # the site and catalog for the links, kept under the content state
    home = learner_home(request.user, request=request)
    context = {
        "home": home,
        "manages": home.manages,  # shows the 团队进度 link
        "unread_notifications": home.unread,
    }
    return TemplateResponse(request, "lms/learner/learn.html", context)


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
    return TemplateResponse(request, "lms/learner/notifications.html", context)


def _my_item(user, item_id, kind):
    """The plan item ``item_id`` of ``kind`` if it is assigned to ``user`` (else 404)."""
    assignment = (
        Assignment.objects.filter(staff__user=user, plan_item_id=item_id, plan_item__kind=kind)
        .exclude(status=Assignment.WITHDRAWN)
        .select_related("plan_item__page", "plan_item__plan")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def attestation(request, item_id):
    """The page to read, the statement and one button; POST records the confirmation."""
    assignment = _my_item(request.user, item_id, PlanItem.ATTESTATION)
    item = assignment.plan_item
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that you have read and understood."))
        else:
            try:
                attest(request.user, item, request.POST.get("password", ""))
            except AttestationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Thank you: your confirmation is recorded."))
                return redirect("lms:attestation", item_id=item.pk)
    _assignment, record = attestation_state(request.user, item)
    page = item.page.specific if item.page_id else None
    context = {
        "assignment": assignment,
        "item": item,
        "page": page,
        "body": getattr(page, "body", None),
        "record": record,
        "status": assignment_status(assignment),
    }
    return TemplateResponse(request, "lms/learner/attestation.html", context)


@never_cache
@login_required
def offline_item(request, item_id):
    """An offline item: my sessions (to come), and my check-in once I have one."""
    assignment = _my_item(request.user, item_id, PlanItem.OFFLINE)
    check_ins = CheckIn.objects.filter(
        staff__user=request.user, session__plan_item_id=item_id
    ).select_related("session")
    upcoming = [
        session
        for session in offline.upcoming_sessions(request.user)
        if session.plan_item_id == assignment.plan_item_id
    ]
    context = {
        "assignment": assignment,
        "item": assignment.plan_item,
        "status": assignment_status(assignment),
        "check_ins": list(check_ins),
        "sessions": upcoming,
    }
    return TemplateResponse(request, "lms/learner/offline_item.html", context)


def _pending(request):
    """The session scanned in the last ``PENDING_SECONDS`` (kept across the login)."""
    pending = request.session.get(PENDING_KEY) or {}
    scanned = parse_datetime(pending.get("at", "") or "")
    if not scanned or (timezone.now() - scanned).total_seconds() > PENDING_SECONDS:
        return None
    return pending.get("session")


@never_cache
@require_http_methods(["GET", "POST"])
def check_in(request):
    """Where the QR code leads: ``?t=<token>``. The token is checked at once (so an expired
    photo of the code fails even before logging in) and the scan is remembered in the session;
    then the learner logs in if needed and presses one button."""
    token = request.GET.get("t")
    error = None
    if token:
        try:
            session = offline.read_token(token)
        except offline.CheckInError as problem:
            error = str(problem)
        else:
            request.session[PENDING_KEY] = {
                "session": session.pk,
                "at": timezone.now().isoformat(),
            }
            return redirect("lms:check_in")  # drop the token from the address bar
    if error is None and not request.user.is_authenticated:
        return redirect_to_login(request.path)
    session = None
    session_id = _pending(request) if error is None else None
    if error is None and session_id is None:
        error = _("Scan the QR code shown at the session to check in.")
    if session_id is not None:
        session = (
            offline.OfflineSession.objects.select_related("plan_item", "org_unit")
            .filter(pk=session_id)
            .first()
        )
        if session is None:  # deleted since the scan
            request.session.pop(PENDING_KEY, None)
            error = _("This is not a valid check-in code.")
    check_in_row = None
    if session is not None and request.method == "POST":
        try:
            check_in_row, _created = offline.check_in(request.user, session)
        except offline.CheckInError as problem:
            error = str(problem)
        else:
            request.session.pop(PENDING_KEY, None)
    elif session is not None:
        check_in_row = CheckIn.objects.filter(session=session, staff__user=request.user).first()
    context = {"session": session, "error": error, "check_in": check_in_row}
    status = 400 if error and request.method == "POST" else 200
    return TemplateResponse(request, "lms/learner/check_in.html", context, status=status)
