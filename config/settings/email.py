"""``EMAIL_URL`` → Django's email settings (no extra package for one small parser).

Schemes: ``smtp://`` (plain, port 25 by default), ``smtp+tls://`` (STARTTLS, 587),
``smtp+ssl://`` or ``smtps://`` (TLS from the start, 465), ``console://``, ``locmem://``,
``dummy://``. User and password are percent-decoded, e.g.
``smtp+tls://lms%40bank.cn:secret@mail.bank.cn:587``.
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
DEFAULT_PORTS = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465, "smtps": 465}


def email_url_settings(url):
    """The ``EMAIL_*`` settings ``url`` stands for."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {scheme!r}.")
    values = {"EMAIL_BACKEND": BACKENDS[scheme]}
    if scheme in DEFAULT_PORTS:
        try:
            port = parts.port
        except ValueError as error:
            raise ImproperlyConfigured(f"EMAIL_URL: {error}.") from error
        values.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=port or DEFAULT_PORTS[scheme],
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=scheme == "smtp+tls",
            EMAIL_USE_SSL=scheme in ("smtp+ssl", "smtps"),
        )
    return values
