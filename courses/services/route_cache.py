"""Wagtail's page routes, kept in each process between requests.

Serving a page, Wagtail finds the site, reads its root page, walks the tree to the page (a query
per level, and one more for each page's own model) and reads the view restrictions: on a lesson
six queries, built by the ORM on every request, the same for every learner. None of it depends on
who asks: only on the address and on the content. So the result (the site, the routed page with
its parents and its course's steps, its restrictions, a lesson's rendered body) is kept per
address, pickled (each request gets its own objects), in a bounded cache of this process.

It is kept under the *content generation* (``ContentGeneration``), a number changed by every
change a route is made of: a page saved, published, unpublished, moved or deleted, a site, a view
restriction (and its groups), a locale, a quiz of a quiz step, an image or a document (course
covers, a lesson's body). Each request reads the number (one small query, no ORM): a change
made by any process shows with the next request everywhere, and nothing older than the change
is served. The bump runs after the change and in its transaction, so a route read before the
change can only be kept under the older number. ``LMS_ROUTE_CACHE_SIZE`` (routes per process,
default 2,000; 0 turns it off).

Only GET and HEAD requests use it; who may see the page is checked on every request as before
(login, view restrictions, the learner's own progress): the cache holds content, never a person's
data or an answer about one.
"""

import pickle
import secrets
import threading
from collections import OrderedDict

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import translation
from wagtail.models import Page, Site

from ..models import ContentGeneration
from ..models.catalog import catalog_for_request

DEFAULT_SIZE = 2000


def current_generation():
    """The content generation, read with one plain query (the ORM would cost more than it)."""
    table = connection.ops.quote_name(ContentGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")  # noqa: S608 (a model's table)
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_generation():
    """Make every process's cached routes stale: after the change, in its transaction.

    The new generation is random rather than the next number: a value then stands for one state
    of the content, also when a transaction is rolled back or a backup restored (a counter would
    come back to a number that some process had cached newer routes under)."""
    value = secrets.randbits(62)
    if not ContentGeneration.objects.filter(pk=1).update(value=value):
        try:
            with transaction.atomic():
                ContentGeneration.objects.create(pk=1, value=value)
        except IntegrityError:  # made at the same moment by another process
            ContentGeneration.objects.filter(pk=1).update(value=value)


class RouteCache:
    """A bounded least-recently-used map of pickled routes, safe across threads."""

    def __init__(self):
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def size():
        return getattr(settings, "LMS_ROUTE_CACHE_SIZE", DEFAULT_SIZE)

    def get(self, key):
        with self._lock:
            blob = self._entries.get(key)
            if blob is not None:
                self._entries.move_to_end(key)
        return None if blob is None else pickle.loads(blob)  # noqa: S301 (our own bytes)

    def put(self, key, value):
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # a route holding something that does not pickle is simply not kept
        with self._lock:
            self._entries[key] = blob
            self._entries.move_to_end(key)
            while len(self._entries) > max(self.size(), 0):
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


routes = RouteCache()


def _key(generation, request, path):
    return (
        generation,
        request._get_raw_host(),
        request.get_port(),
        translation.get_language(),
        path,
    )


def _kept(request, path, find):
    """What ``find()`` finds for ``request`` at ``path``, from the cache, or found now and kept
    (None, not kept, when it finds nothing); None for what is not cached (not GET or HEAD, or the
    cache off)."""
    if RouteCache.size() <= 0 or request.method not in {"GET", "HEAD"}:
        return None
    key = _key(current_generation(), request, path)
    kept = routes.get(key)
    if kept is None:
        kept = find()
        if kept is not None:
            routes.put(key, kept)
    return kept


def _route(request, path):
    """The site and Wagtail's route to ``path`` (None for an unknown site or page), with what
    the routed page keeps with its route (view restrictions, a lesson's body) read now."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    try:
        result = Page.route_for_request(request, path)
    except Http404:
        return None
    if result is None:
        return None
    prepare = getattr(result[0], "prepare_cached_route", None)
    if prepare is not None:
        prepare()
    return site, result


def prepare_route(request, path):
    """Set what Wagtail's ``serve`` view reads on ``request`` (``_wagtail_site`` and
    ``_wagtail_route_for_request``) from the cache, or route the request and keep the result."""
    kept = _kept(request, path, lambda: _route(request, path))
    if kept is not None:
        request._wagtail_site, request._wagtail_route_for_request = kept


#: The key (in place of a page's path, which is text) of a host's site and course catalog.
SITE_AND_CATALOG = None


def prepare_site(request):
    """Set the request's site and its course catalog, which a learner page that Wagtail does not
    serve (the learner home) reads for its links and top bar (``Site.find_for_request``,
    ``catalog_for_request``), from the cache, or find them and keep them: the content generation
    read with one plain query instead of the site and the catalog with two."""
    kept = _kept(
        request,
        SITE_AND_CATALOG,
        lambda: (Site.find_for_request(request), catalog_for_request(request)),
    )
    if kept is not None:
        request._wagtail_site, request._lms_catalog = kept
