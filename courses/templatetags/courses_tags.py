from functools import lru_cache

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models.catalog import catalog_for_request

register = template.Library()


def _read_stylesheet(name):
    path = finders.find(name)
    if path is None:
        raise template.TemplateSyntaxError(f"no static file {name!r}")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


_kept_stylesheet = lru_cache(maxsize=32)(_read_stylesheet)


def _stylesheet(name):
    """The file's text: read once per process, or on every use with DEBUG on (an edit of the
    stylesheet shows on the next reload while developing)."""
    return _read_stylesheet(name) if settings.DEBUG else _kept_stylesheet(name)


@register.simple_tag
def inline_stylesheet(name):
    """Our stylesheet ``name`` (a static path) in a ``<style>`` element.

    On a phone on a slow network every request waits a round trip (2 s on DevTools' Slow 3G): a
    linked stylesheet blocks the first paint until it arrives, doubling the lesson's LCP
    (bench/lcp.py: 1.94-2.03x a bare page linked, 1.03x inlined). The learner pages' own CSS is
    small (2.4 KB gzip) and comes with the HTML instead. Our files only: no ``</style>`` in them.
    """
    css = _stylesheet(name)
    if "</" in css:
        raise template.TemplateSyntaxError(f"{name!r} cannot be inlined")
    return format_html("<style>{}</style>", mark_safe(css))  # noqa: S308 (our own file)


@register.simple_tag(takes_context=True)
def catalog_url(context):
    """URL of the site's course catalog, or "" when there is none."""
    request = context.get("request")
    if request is None:
        return ""
    catalog = catalog_for_request(request)
    return catalog.get_url(request) if catalog else ""
