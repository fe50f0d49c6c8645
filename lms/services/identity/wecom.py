"""企业微信 (WeCom): the OAuth sign-in of a self-built app opened from the workbench, and its
app messages. Plain HTTPS calls with the standard library (``urllib``):

- ``gettoken?corpid=&corpsecret=`` gives the app's ``access_token``, cached (Django's cache) until
  five minutes before it expires; a call answered "token invalid or expired" drops it and
  retries once;
- ``auth/getuserinfo?access_token=&code=`` turns the code WeCom sent back into a ``userid``;
- ``user/get?userid=`` reads the member record, when the employee number is in one of its fields
  (``LMS_WECOM_EMPLOYEE_NUMBER_FIELD``) rather than being the userid;
- ``message/send`` sends an app message (a text card with a link).

WeCom answers ``{"errcode": 0, …}`` or an error code with ``errmsg``; anything else (an error
code) raises :class:`WeComError`; an HTTP failure, a network error or a reply that is not JSON
raises :class:`WeComUnavailable`.
"""

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from lms.conf import app_settings
from lms.models import WeComIdentity
from lms.services.identity.matching import user_for_employee_number

logger = logging.getLogger(__name__)

#: "access_token invalid" / "access_token expired": get a new one and try again.
TOKEN_ERRORS = {40014, 42001}
#: WeCom's answer to a code that is wrong, used or expired.
INVALID_CODE = 40029
#: Tokens are dropped this long before WeCom says they expire.
TOKEN_MARGIN_SECONDS = 300


class WeComError(Exception):
    def __init__(self, errcode, errmsg):
        super().__init__(f"WeCom error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WeComUnavailable(WeComError):
    """WeCom could not be reached, or answered with something that is not its JSON."""


def is_configured():
    return bool(
        app_settings.LMS_WECOM_CORP_ID
        and app_settings.LMS_WECOM_AGENT_ID
        and app_settings.LMS_WECOM_SECRET
    )


def authorize_url(redirect_uri, state):
    """The OAuth page WeCom's in-app browser opens: it returns to ``redirect_uri`` with ``code``
    and ``state`` (silently, ``snsapi_base``: the member's userid only)."""
    query = urlencode(
        {
            "appid": app_settings.LMS_WECOM_CORP_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
            "agentid": app_settings.LMS_WECOM_AGENT_ID,
        }
    )
    base = app_settings.LMS_WECOM_OAUTH_BASE.rstrip("/")
    return f"{base}/connect/oauth2/authorize?{query}#wechat_redirect"


def _token_key():
    return f"lms:wecom:token:{app_settings.LMS_WECOM_CORP_ID}:{app_settings.LMS_WECOM_AGENT_ID}"


def _call(path, params, payload=None):
    """One call to WeCom's API: the decoded JSON when ``errcode`` is 0, else WeComError."""
    base = app_settings.LMS_WECOM_API_BASE.rstrip("/")
    url = f"{base}/cgi-bin/{path}?{urlencode(params)}"
    data = None
    headers = {"Accept": "application/json"}
    if payload is not None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json; charset=utf-8"
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 (https base)
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=app_settings.LMS_WECOM_TIMEOUT
        ) as response:
            body = response.read(1024 * 1024)
    except urllib.error.HTTPError as error:
        raise WeComUnavailable(-1, f"HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise WeComUnavailable(-1, f"{type(error).__name__}: {error}") from error
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise WeComUnavailable(-1, "reply is not JSON") from error
    if not isinstance(answer, dict):
        raise WeComUnavailable(-1, "reply is not a JSON object")
    errcode = answer.get("errcode", 0)
    if errcode != 0:
        raise WeComError(errcode, str(answer.get("errmsg", ""))[:200])
    return answer


def access_token(refresh=False):
    """The app's access token, from the cache unless ``refresh`` or expired."""
    key = _token_key()
    if not refresh:
        token = cache.get(key)
        if token:
            return token
    answer = _call(
        "gettoken",
        {"corpid": app_settings.LMS_WECOM_CORP_ID, "corpsecret": app_settings.LMS_WECOM_SECRET},
    )
    token = answer.get("access_token")
    if not token:
        raise WeComError(-1, "gettoken gave no access_token")
    try:
        lifetime = int(answer.get("expires_in", 7200))
    except (TypeError, ValueError):
        lifetime = 7200
    cache.set(key, token, max(60, lifetime - TOKEN_MARGIN_SECONDS))
    return token


def _with_token(path, params, payload=None):
    try:
        return _call(path, {"access_token": access_token(), **params}, payload)
    except WeComError as error:
        if error.errcode not in TOKEN_ERRORS:
            raise
        cache.delete(_token_key())
        return _call(path, {"access_token": access_token(refresh=True), **params}, payload)


def userid_for_code(code):
    """The userid of the member WeCom's OAuth ``code`` is for. A code of someone outside the
    enterprise (an ``openid`` only) raises WeComError."""
    answer = _with_token("auth/getuserinfo", {"code": code})
    userid = answer.get("userid") or answer.get("UserId")
    if not userid:
        raise WeComError(-1, "not a member of the enterprise")
    return str(userid)


def employee_number_for(userid):
    """The employee number of the WeCom member ``userid``: the userid itself, or the field
    ``LMS_WECOM_EMPLOYEE_NUMBER_FIELD`` of their member record (``alias``, or ``extattr:工号``
    for a custom attribute). ``""`` when the field is empty."""
    field = app_settings.LMS_WECOM_EMPLOYEE_NUMBER_FIELD
    if not field:
        return userid
    member = _with_token("user/get", {"userid": userid})
    if field.startswith("extattr:"):
        name = field.removeprefix("extattr:")
        for attr in (member.get("extattr") or {}).get("attrs") or []:
            if attr.get("name") == name:
                return str(attr.get("value") or (attr.get("text") or {}).get("value") or "")
        return ""
    return str(member.get(field) or "")


def send_textcard(userid, title, description, url, button=""):
    """Send an app message (text card) to ``userid``. WeCom accepts the request but names
    recipients it could not reach in ``invaliduser``: that is an error too."""
    payload = {
        "touser": userid,
        "msgtype": "textcard",
        "agentid": _agent_id(),
        "textcard": {
            "title": title[:128],
            "description": _clip(description, 512),
            "url": url,
            "btntxt": button[:4],
        },
    }
    answer = _with_token("message/send", {}, payload)
    invalid = answer.get("invaliduser") or answer.get("unlicenseduser")
    if invalid:
        raise WeComError(-1, f"not delivered to {invalid}")
    return answer


def _agent_id():
    agent = str(app_settings.LMS_WECOM_AGENT_ID)
    return int(agent) if agent.isdigit() else agent


def _clip(text, limit):
    """``text`` cut to at most ``limit`` UTF-8 bytes (WeCom counts bytes), with an ellipsis."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode("utf-8", errors="ignore") + "…"


def user_for_code(code):
    """The roster's user WeCom's OAuth ``code`` is for, remembering their userid (for messages).
    Raises WeComError (WeCom refused the code or could not be reached) or ``SignInRefused``
    (not on the roster, a leaver)."""
    userid = userid_for_code(code)
    user = user_for_employee_number(employee_number_for(userid))
    with transaction.atomic():
        WeComIdentity.objects.filter(userid=userid).exclude(user=user).delete()
        WeComIdentity.objects.update_or_create(
            user=user, defaults={"userid": userid, "last_sign_in": timezone.now()}
        )
    return user
