"""Person transcripts (个人培训档案) as PDF or XLSX: for officers and managers in the admin (any
person of their scope; another unit's person is a 404) and for a learner, their own only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lms.models import StaffProfile
from lms.services.records.transcripts import render_pdf, render_xlsx, transcript
from lms.services.scope import manager_required, visible_staff

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(staff, extension):
    data = transcript(staff)
    if extension == "pdf":
        content, content_type = render_pdf(data), "application/pdf"
    else:
        content, content_type = render_xlsx(data), XLSX
    response = HttpResponse(content, content_type=content_type)
    filename = f"transcript-{staff.employee_no}-{timezone.localdate():%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _scoped_staff(request, staff_id):
    staff = visible_staff(request.user).select_related("org_unit", "position")
    return get_object_or_404(staff, pk=staff_id)


@never_cache
@manager_required
def staff_transcript_pdf(request, staff_id):
    return _response(_scoped_staff(request, staff_id), "pdf")


@never_cache
@manager_required
def staff_transcript_xlsx(request, staff_id):
    return _response(_scoped_staff(request, staff_id), "xlsx")


def _own_staff(request):
    staff = (
        StaffProfile.objects.select_related("org_unit", "position")
        .filter(user=request.user)
        .first()
    )
    if staff is None:
        raise Http404
    return staff


@never_cache
@login_required
def my_transcript_pdf(request):
    return _response(_own_staff(request), "pdf")


@never_cache
@login_required
def my_transcript_xlsx(request):
    return _response(_own_staff(request), "xlsx")
