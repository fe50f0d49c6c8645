"""S3-compatible object storage for uploads, from the environment (``deploy/cplms.env.example``).

Off unless ``LMS_S3_BUCKET`` is set: the site then keeps its two directories (``MEDIA_ROOT``,
``PRIVATE_MEDIA_ROOT``) and nothing here is imported. When set, the ``default`` and ``private``
storages become ``config.storages_s3``'s, so every web host and task worker reads and writes the
same files (a web host's own disk is not shared storage).

Variables: ``LMS_S3_BUCKET`` (the bucket), ``LMS_S3_PRIVATE_BUCKET`` (private files in a bucket of
their own; default: the same bucket, under ``private/``), ``LMS_S3_ENDPOINT_URL`` (MinIO, Ceph,
a cloud's S3 endpoint; empty: AWS), ``LMS_S3_REGION``, ``AWS_ACCESS_KEY_ID`` /
``AWS_SECRET_ACCESS_KEY`` (empty: boto3's own lookup, e.g. an instance role), ``LMS_S3_PUBLIC_URL``
(where browsers fetch public images, see ``config.storages_s3``), ``LMS_S3_OBJECT_ACLS`` (on:
each object is written with a canned ACL; off: for buckets with ACLs disabled, where a bucket
policy makes ``media/`` readable), ``LMS_S3_ADDRESSING_STYLE`` (``path`` by default with an
endpoint, as MinIO and Ceph expect) and ``LMS_S3_CA_BUNDLE`` (the bank's own CA).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

#: Key prefixes: public images under ``media/`` (what a proxy or bucket policy may expose),
#: every other upload under ``private/`` (never exposed).
PUBLIC_LOCATION = "media"
PRIVATE_LOCATION = "private"
#: Reads of an object up to this size stay in memory; bigger ones spill to a temporary file
#: (django-storages' default, 0, would hold a 100 MB document in a web worker's memory).
MAX_MEMORY_SIZE = 5 * 1024 * 1024


def _text(environ, name, default=""):
    return environ.get(name, default).strip()


def _flag(environ, name, default):
    value = environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def s3_settings(environ):
    """``{"STORAGES": {...}, "LMS_S3_MEDIA_ORIGINS": [...]}`` when ``LMS_S3_BUCKET`` is set, else
    ``{}``. The origins (none when images stay on this site) join the CSP's ``img-src``."""
    bucket = _text(environ, "LMS_S3_BUCKET")
    if not bucket:
        return {}
    endpoint = _text(environ, "LMS_S3_ENDPOINT_URL") or None
    public_url = _text(environ, "LMS_S3_PUBLIC_URL")
    if public_url and not (public_url.startswith("/") or _origin(public_url)):
        raise ImproperlyConfigured(
            "LMS_S3_PUBLIC_URL must be a path on this site (e.g. /media/, proxied to the bucket's "
            "media/ prefix) or an absolute http(s) URL."
        )
    acls = _flag(environ, "LMS_S3_OBJECT_ACLS", True)
    common = {
        "endpoint_url": endpoint,
        "region_name": _text(environ, "LMS_S3_REGION") or None,
        "access_key": _text(environ, "AWS_ACCESS_KEY_ID") or None,
        "secret_key": _text(environ, "AWS_SECRET_ACCESS_KEY") or None,
        "addressing_style": _text(environ, "LMS_S3_ADDRESSING_STYLE")
        or ("path" if endpoint else None),
        "signature_version": "s3v4",
        "verify": _text(environ, "LMS_S3_CA_BUNDLE") or None,
        # Never replace an object of the same name: two uploads of "roster.xlsx" are two files.
        "file_overwrite": False,
        "max_memory_size": MAX_MEMORY_SIZE,
    }
    private = {
        **common,
        "bucket_name": _text(environ, "LMS_S3_PRIVATE_BUCKET") or bucket,
        "location": PRIVATE_LOCATION,
        "default_acl": "private" if acls else None,
        "querystring_auth": True,
    }
    public = {
        **common,
        "bucket_name": bucket,
        "location": PUBLIC_LOCATION,
        "default_acl": "public-read" if acls else None,
        "querystring_auth": False,
        "public_url": public_url,
    }
    if public_url:
        origins = [_origin(public_url)] if _origin(public_url) else []
    elif endpoint:
        origins = [_origin(endpoint)]
    else:  # AWS's own URLs for the bucket (global and regional names)
        origins = [f"https://{bucket}.s3.amazonaws.com"]
        if common["region_name"]:
            origins.append(f"https://{bucket}.s3.{common['region_name']}.amazonaws.com")
    return {
        "STORAGES": {
            "default": {"BACKEND": "config.storages_s3.S3MediaStorage", "OPTIONS": public},
            "private": {"BACKEND": "config.storages_s3.S3PrivateStorage", "OPTIONS": private},
        },
        "LMS_S3_MEDIA_ORIGINS": origins,
    }
