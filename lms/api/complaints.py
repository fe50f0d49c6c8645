"""The complaint system's door (mounted by ``lms.api`` under ``/api/v1/``): ``POST complaints``
registers one complaint, or updates the one with its number.

Not for people: the caller is the bank's complaint system, authenticated by the bearer token
``LMS_COMPLAINTS_API_TOKEN`` (``Authorization: Bearer <token>``; no session, no CSRF token).
Without the setting the endpoint is off (404); a missing or wrong token is 401. The body is
read and checked here field by field (``lms.services.complaints.pushed``) so that every bad
input is a 400 ``{"detail": "…"}`` naming the field."""

import hmac
import json

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from lms.conf import app_settings
from lms.services.complaints.pushed import PushError, register_pushed

router = Router(tags=["complaints"])

API_OFF = gettext_lazy("The complaint API is not enabled on this site.")


class ComplaintSystemToken(HttpBearer):
    """The bearer token of ``LMS_COMPLAINTS_API_TOKEN``, compared in constant time."""

    def __call__(self, request):
        if not app_settings.LMS_COMPLAINTS_API_TOKEN:
            raise Http404(API_OFF)
        if not super().__call__(request):
            raise HttpError(401, _("A valid bearer token of the complaint system is required."))
        return True

    def authenticate(self, request, token):
        expected = app_settings.LMS_COMPLAINTS_API_TOKEN.encode()
        return hmac.compare_digest(token.encode(), expected)


class Error(Schema):
    detail: str


class ComplaintIn(Schema):
    number: str = Field(description="投诉编号: the complaint system's number (updates if known).")
    received_on: str = Field(description="受理日期, YYYY-MM-DD.")
    channel: str = Field(description="受理渠道: a code (A.1.3.3), a name, or a path of names.")
    business: str = Field(description="业务类别: a code (B.5), a name, or a path of names.")
    reason: str = Field(description="投诉原因: a code (C.5), a name, or a path of names.")
    unit: str = Field(description="涉及机构: the unit's code, or its exact name.")
    staff: list[str] = Field([], description="涉及员工工号: employee numbers on the roster.")
    summary: str = Field("", description="摘要; ID, mobile and card numbers are masked.")
    closed_on: str | None = Field(None, description="办结日期, YYYY-MM-DD; null: still open.")
    at_fault: bool | None = Field(None, description="是否有责; null: not decided.")


class ComplaintOut(Schema):
    id: int
    number: str
    created: bool = Field(description="True: registered now (201); false: updated (200).")
    masked: int = Field(description="How many ID, mobile or card numbers were masked.")


@router.post(
    "/complaints",
    auth=ComplaintSystemToken(),
    response={200: ComplaintOut, 201: ComplaintOut, 400: Error, 401: Error, 404: Error},
    summary="Register or update one complaint",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ComplaintIn.json_schema()}},
        }
    },
)
def post_complaint(request):
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return Status(400, {"detail": _("The request body is not valid JSON.")})
    try:
        complaint, created, masked, _result = register_pushed(payload)
    except PushError as error:
        return Status(400, {"detail": error.message})
    body = {"id": complaint.pk, "number": complaint.number, "created": created, "masked": masked}
    return Status(201 if created else 200, body)
