"""Who may download a Wagtail document.

Documents follow the pages that link them: a document is for the readers of a live page that
links it (a document block or a rich-text link, as Wagtail's reference index records them for
the published content), so a learner cannot fetch an admin's upload by guessing its id. A
page counts when it and every page above it are live and no view restriction (Wagtail page
privacy) keeps the user out: a group restriction admits its groups, a password restriction
nobody here (the password is asked on the page, not on the download). People who may choose,
change or delete the document in the admin (per collection: trainers, officers, superusers) may
download it too, linked or not.

A fixed number of queries, however many pages link the document.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.permissions import policy_registry

#: What lets an admin user download any document of the collections they have it for.
ADMIN_ACTIONS = ["choose", "change", "delete"]
STEPLEN = Page.steplen


def may_download(user, document):
    """Whether ``user`` (logged in) may download ``document``."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    policy = policy_registry.get_by_type(get_document_model())
    if policy.user_has_any_permission_for_instance(user, ADMIN_ACTIONS, document):
        return True
    return bool(pages_linking(document, user))


def pages_linking(document, user):
    """The paths of the live pages that link ``document`` and that ``user`` may view."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    paths = list(
        Page.objects.live()
        .filter(pk__in=[int(pk) for pk in page_ids if pk.isdigit()])
        .values_list("path", flat=True)
    )
    if not paths:
        return []
    above = {path: ancestors(path) for path in paths}
    every = set(paths).union(*above.values())
    offline = set(Page.objects.filter(path__in=every, live=False).values_list("path", flat=True))
    barred = barred_paths(every, user)
    return [path for path in paths if not ({path, *above[path]} & (offline | barred))]


def ancestors(path):
    """The paths above ``path``, without the tree's root (never served, not always live)."""
    return {path[:end] for end in range(2 * STEPLEN, len(path), STEPLEN)}


def barred_paths(paths, user):
    """Those of ``paths`` whose view restriction keeps ``user`` out."""
    restrictions = list(
        PageViewRestriction.objects.filter(page__path__in=paths).values_list(
            "pk", "page__path", "restriction_type"
        )
    )
    if not restrictions:
        return set()
    groups = set(user.groups.values_list("pk", flat=True))
    admitted = set(
        PageViewRestriction.groups.through.objects.filter(
            pageviewrestriction_id__in=[pk for pk, _path, kind in restrictions if kind == "groups"],
            group_id__in=groups,
        ).values_list("pageviewrestriction_id", flat=True)
    )
    return {
        path
        for pk, path, kind in restrictions
        if kind == PageViewRestriction.PASSWORD
        or (kind == PageViewRestriction.GROUPS and pk not in admitted)
    }
