"""The production settings' check of ``SECRET_KEY``: ``weak_secret_key(key)`` names what is
wrong with a key (a sentence for the ``ImproperlyConfigured`` message), or returns None.

Refused: empty or under 50 characters, fewer than 5 different characters (``"a" * 60``), Django's
``django-insecure-`` prefix (``startproject``'s throw-away key), and any key containing one of
the values this repository itself ships (the development, test and demo keys), which anyone
can read."""

MIN_LENGTH = 50
MIN_DISTINCT = 5
#: Keys written in this repository (settings, docs, tests): public, so never secret.
KNOWN_VALUES = (
    "dev-only-insecure-key-change-me",
    "test-only-key",
    "plugin-site-only-for-the-install-test-not-a-real-secret",
    "change-me",
    "changeme",
    "your-secret-key",
)
HOW = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(60))'"


def weak_secret_key(key):
    """Why ``key`` is not fit for production, or None when it is."""
    if not key:
        return f"SECRET_KEY must be set to a random value of {MIN_LENGTH}+ characters."
    if len(key) < MIN_LENGTH:
        return f"SECRET_KEY must be a random value of {MIN_LENGTH}+ characters (it has {len(key)})."
    if len(set(key)) < MIN_DISTINCT:
        return f"SECRET_KEY has fewer than {MIN_DISTINCT} different characters: it is not random."
    if key.startswith("django-insecure"):
        return "SECRET_KEY is a 'django-insecure-' key from startproject, not for production."
    lowered = key.lower()
    for known in KNOWN_VALUES:
        if known in lowered:
            return f"SECRET_KEY contains the published placeholder {known!r}: it is not secret."
    return None


def secret_key_error(key):
    """The full message for ``ImproperlyConfigured``, or None."""
    problem = weak_secret_key(key)
    return f"{problem} {HOW}" if problem else None
