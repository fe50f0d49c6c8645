"""Certificate download (the holder only) and the public verification page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from lms.conf import app_settings
from lms.models import Certificate
from lms.services import rate_limit
from lms.services.records.certificates import (
    EXPIRED,
    SUPERSEDED,
    VALID,
    display_code,
    holder_name,
    normalise_code,
    render_pdf,
    verify,
)


@never_cache
@login_required
def certificate_pdf(request, code):
    certificate = (
        Certificate.objects.select_related("record__staff", "record__user")
        .filter(code=normalise_code(code), record__user=request.user)
        .first()
    )
    if certificate is None:
        raise Http404
    url = request.build_absolute_uri(reverse("lms:verify", args=[certificate.code]))
    response = HttpResponse(render_pdf(certificate, url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def _too_many_checks(request, retry_after):
    minutes = max(1, -(-retry_after // 60))
    message = ngettext(
        "Too many certificate checks from your network. Please try again in %(minutes)d minute.",
        "Too many certificate checks from your network. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    context = {"code": "", "checked": False, "limited": message}
    response = TemplateResponse(request, "lms/learner/verify.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def verify_page(request, code=""):
    """Anyone may check a code: valid, expired (with the date it lapsed) or no longer valid
    (corrected), and only name, title and dates. Each address may
    check ``LMS_VERIFY_RATE_LIMIT`` codes per period (default 30 in 10 minutes), so nobody can
    walk the code space; more get a 429."""
    if code or request.GET.get("code"):
        verdict = rate_limit.hit("verify", request, app_settings.LMS_VERIFY_RATE_LIMIT)
        if verdict.limited:
            return _too_many_checks(request, verdict.retry_after)
    if not code and request.GET.get("code"):
        return redirect("lms:verify", code=normalise_code(request.GET["code"]) or "-")
    certificate, state = verify(code) if code else (None, None)
    valid = state == VALID
    context = {
        "code": display_code(normalise_code(code)) if code else "",
        "checked": bool(code),
        "certificate": certificate,
        "valid": valid,
        "expired": state == EXPIRED,
        "superseded": state == SUPERSEDED,
        "name": holder_name(certificate.record) if certificate else "",
    }
    found = state in (VALID, EXPIRED)  # a lapsed certificate is still the holder's
    return TemplateResponse(
        request, "lms/learner/verify.html", context, status=200 if found or not code else 404
    )
