"""Settings of the lms app, each read from Django's settings when it is used (so
``override_settings`` works and nothing is frozen at import time). All are optional.

``LMS_ROSTER_IMPORT_MAX_BYTES`` (default 20 MB) and ``LMS_ROSTER_IMPORT_MAX_ROWS`` (50,000)
    The largest roster or attendance sheet the importers accept.

``LMS_COMPLAINTS_IMPORT_MAX_BYTES`` (default 20 MB) and ``LMS_COMPLAINTS_IMPORT_MAX_ROWS``
(50,000)
    The largest complaint register the import accepts (``lms_import_complaints``, the admin).

``LMS_COMPLAINTS_API_TOKEN`` (empty: the endpoint is off)
    The bearer token the bank's complaint system sends to ``POST /api/v1/complaints``
    (``Authorization: Bearer <token>``) to register or update one complaint. Without it the
    endpoint answers 404; a missing or wrong token is 401. Keep it as secret as a password.

``LMS_REMINDER_DUE_SOON_DAYS`` (7)
    The first due-soon reminder goes out this many days before the due date (the last call is
    the day before).

``LMS_REMINDER_REPEAT_DAYS`` (7)
    Overdue reminders and managers' chase lists repeat after this many days.

``LMS_REMINDER_CHASE_AFTER_DAYS`` (7)
    Days overdue before a person is on their manager's chase list.

``LMS_LOGIN_IP_USERNAME_LIMIT`` (20)
    An address that fails to log in on this many different employee numbers within the axes
    cool-off time is locked (each number is locked on its own after ``AXES_FAILURE_LIMIT``).

``LMS_TRUSTED_PROXIES`` (empty)
    Addresses or networks (``"10.0.0.5"``, ``"10.0.0.0/24"``) of the proxies in front of the
    site; ``X-Forwarded-For`` is believed only when the request comes from one of them.

``LMS_ACTIVATION_CODE_DAYS`` (7), ``LMS_ACTIVATION_MAX_ATTEMPTS`` (5),
``LMS_ACTIVATION_LOCK_MINUTES`` (15)
    First-login activation codes expire after this many days; this many wrong codes for one
    employee number lock it for this many minutes.

``LMS_WECOM_CORP_ID``, ``LMS_WECOM_AGENT_ID``, ``LMS_WECOM_SECRET`` (empty: WeCom off)
    The 企业微信 self-built app: sign-in from the workbench and reminders as app messages.
    ``LMS_WECOM_API_BASE`` (``https://qyapi.weixin.qq.com``) and ``LMS_WECOM_OAUTH_BASE``
    (``https://open.weixin.qq.com``) are WeCom's addresses (a proxy's, or a test's fake);
    ``LMS_WECOM_EMPLOYEE_NUMBER_FIELD`` (empty: the userid is the employee number) names the
    field of WeCom's member record holding it (``alias``, or ``extattr:工号``);
    ``LMS_WECOM_TIMEOUT`` (10 seconds) bounds each call.

``LMS_NOTIFICATION_CHANNELS`` (``("email", "wecom")``)
    Where reminders go besides the in-app list: ``email``, ``wecom`` (only once configured), or
    dotted paths of ``lms.services.reminders.channels.Channel`` subclasses.
``LMS_VERIFY_RATE_LIMIT`` (``"30/10m"``)
    How many certificate checks (``/verify/<code>/``) one address may make per period
    (``lms.services.rate_limit``): more are answered 429.

``LMS_PERMISSIONS_POLICY`` (no camera, microphone, geolocation, payment, USB …)
    The ``Permissions-Policy`` header ``lms.middleware.PrivacyHeadersMiddleware`` puts on
    every response; empty: none.

``LMS_CSP_ADMIN_SOURCES`` (inline script, framing by the site itself)
    Sources ``lms.middleware.ContentSecurityPolicyMiddleware`` adds to the site's
    ``CONTENT_SECURITY_POLICY`` under the Wagtail admin's prefix, whose pages need inline
    script and frame their own previews.

``LMS_RECORD_CHAIN_KEY`` (empty: derived from ``SECRET_KEY``)
    The key (HMAC-SHA256) of the completion records' hash chain, certificates and chain head;
    kept outside the database. Production requires it (config/settings/production.py).

``LMS_ANCHOR_DIR`` (empty: ``PRIVATE_MEDIA_ROOT/anchors``) and ``LMS_ANCHOR_KEY`` (empty: derived
from the chain key)
    Where ``lms_anchor_chain`` writes the signed daily anchors of the record chain's head (never
    under ``MEDIA_ROOT`` or ``STATIC_ROOT``), and the HMAC key that signs them
    (``lms.services.records.anchor``).

``LMS_RECERTIFY_LEAD_DAYS`` (30)
    For plan items that expire: this many days before a person's completion lapses, the daily
    ``lms_recertify`` run assigns the item to them again, due the day it lapses.

``LMS_BANK_NAME`` (empty: the top organisation unit's name, else the site's name)
    The name printed on top of the annual training summary (年度消保培训总结) and its pages.

``LMS_SESSION_TOUCH_SECONDS`` (60)
    How often ``lms.middleware.IdleSessionMiddleware`` pushes an idle session's expiry forward.

``LMS_SSO_LOGIN_LABEL`` (None: "使用行内统一身份认证登录")
    The words on the login page's button for the bank's OpenID Connect sign-in.

``LMS_OIDC_EMPLOYEE_NUMBER_CLAIM`` ("employee_number") and ``LMS_LDAP_EMPLOYEE_NUMBER_ATTR``
("employeeNumber")
    The OIDC claim and the LDAP attribute that carry the employee number the roster is matched on
    (``lms.services.identity``; the other identity settings: ``config.settings.identity``).
"""

from django.conf import settings

DEFAULTS = {
    "LMS_ROSTER_IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "LMS_ROSTER_IMPORT_MAX_ROWS": 50_000,
    "LMS_COMPLAINTS_IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "LMS_COMPLAINTS_IMPORT_MAX_ROWS": 50_000,
    "LMS_COMPLAINTS_API_TOKEN": "",
    "LMS_REMINDER_DUE_SOON_DAYS": 7,
    "LMS_REMINDER_REPEAT_DAYS": 7,
    "LMS_REMINDER_CHASE_AFTER_DAYS": 7,
    "LMS_SESSION_TOUCH_SECONDS": 60,
    "LMS_LOGIN_IP_USERNAME_LIMIT": 20,
    "LMS_TRUSTED_PROXIES": (),
    "LMS_ACTIVATION_CODE_DAYS": 7,
    "LMS_ACTIVATION_MAX_ATTEMPTS": 5,
    "LMS_ACTIVATION_LOCK_MINUTES": 15,
    "LMS_WECOM_CORP_ID": "",
    "LMS_WECOM_AGENT_ID": "",
    "LMS_WECOM_SECRET": "",
    "LMS_WECOM_API_BASE": "https://qyapi.weixin.qq.com",
    "LMS_WECOM_OAUTH_BASE": "https://open.weixin.qq.com",
    "LMS_WECOM_EMPLOYEE_NUMBER_FIELD": "",
    "LMS_WECOM_TIMEOUT": 10,
    "LMS_NOTIFICATION_CHANNELS": ("email", "wecom"),
    "LMS_SSO_LOGIN_LABEL": None,
    "LMS_OIDC_EMPLOYEE_NUMBER_CLAIM": "employee_number",
    "LMS_OIDC_DISCOVERY_URL": "",
    "LMS_OIDC_ISSUER": "",
    "LMS_LDAP_EMPLOYEE_NUMBER_ATTR": "employeeNumber",
    "LMS_LDAP_USER_SEARCH_FILTER": "(employeeNumber=%(user)s)",
    "LMS_LDAP_CA_CERT_FILE": "",
    "LMS_LDAP_TIMEOUT": 10,
    "LMS_VERIFY_RATE_LIMIT": "30/10m",
    "LMS_PERMISSIONS_POLICY": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), midi=(), payment=(), usb=(), serial=(), hid=(), bluetooth=()"
    ),
    "LMS_CSP_ADMIN_SOURCES": {
        "script-src": ["'unsafe-inline'"],
        "frame-ancestors": ["'self'"],
    },
    "LMS_RECORD_CHAIN_KEY": "",
    "LMS_ANCHOR_DIR": "",
    "LMS_ANCHOR_KEY": "",
    "LMS_RECERTIFY_LEAD_DAYS": 30,
    "LMS_BANK_NAME": "",
}


class AppSettings:
    """``app_settings.LMS_…``: the Django setting if the site sets it, else the default."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, name, DEFAULTS[name])


app_settings = AppSettings()
