"""The roles of a CP-LMS site as Django groups: Trainers, Officers and Managers, their
permissions, and the "course publishing" approval workflow on the course catalogs.

``ensure_roles`` creates or repairs all of it and is safe to run again; ``manage.py
lms_setup_roles`` runs it for a host site (the demo runs it too)."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from courses.models import CourseIndexPage
from quizzes.models import Question, Quiz

TRAINERS = "Trainers"
OFFICERS = "Officers"
#: Managers (outlet and sub-branch heads) need into the admin: what they see there (the
#: training reports, exemptions) follows from the units they manage, not from model permissions.
MANAGERS = "Managers"

TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page"]
OFFICER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
TRAINER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]
OFFICER_COLLECTION_PERMISSIONS = TRAINER_COLLECTION_PERMISSIONS + [
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
]
# The question bank and quizzes: trainers write (drafts they submit for approval), mark and grant
# per-person overrides, and keep the bank's own classification sub-codes; the officer also
# publishes (approves) and deletes.
TRAINER_MODEL_PERMISSIONS = [
    ("lms_quizzes", f"{action}_{model}")
    for model in ("question", "questioncategory", "quiz", "classificationcode")
    for action in ("add", "change", "view")
] + [
    ("lms_quizzes", "mark_answer"),
    ("lms_quizzes", "add_quizoverride"),
    ("lms_quizzes", "change_quizoverride"),
    ("lms_quizzes", "view_quizoverride"),
]
OFFICER_MODEL_PERMISSIONS = TRAINER_MODEL_PERMISSIONS + [
    ("lms_quizzes", "publish_question"),
    ("lms_quizzes", "publish_quiz"),
    ("lms_quizzes", "delete_question"),
    ("lms_quizzes", "delete_questioncategory"),
    ("lms_quizzes", "delete_quiz"),
    ("lms_quizzes", "delete_classificationcode"),
    ("lms_courses", "add_topic"),
    ("lms_courses", "change_topic"),
    ("lms_courses", "delete_topic"),
    ("lms_courses", "view_topic"),
]
# People, plans and records (the training menu): the officer keeps units, positions, staff and
# plans, and reads the completion records, which nobody edits. Trainers see none of it:
# personal records are not theirs to browse.
OFFICER_MODEL_PERMISSIONS += [
    ("lms_core", f"{action}_{model}")
    for model in (
        "orgunit",
        "position",
        "staffprofile",
        "trainingplan",
        "planitem",
        "offlinesession",
        "complaintrule",
    )
    for action in ("add", "change", "view")
] + [
    ("lms_core", "view_completionrecord"),
    ("lms_core", "record_outside"),
    ("lms_core", "view_all_progress"),
    ("lms_core", "issue_activationcode"),
    # Exemptions and extensions: the officer grants, approves, rejects and lifts them.
    ("lms_core", "add_exemption"),
    ("lms_core", "view_exemption"),
    ("lms_core", "decide_exemption"),
    # The complaint register: the officer imports it and corrects a complaint by hand.
    ("lms_core", "add_complaint"),
    ("lms_core", "change_complaint"),
    ("lms_core", "view_complaint"),
    ("lms_core", "import_complaints"),
]
#: Managers request exemptions and extensions for the people of their units (which rows they
#: see follows from those units, ``lms.services.scope``); an officer decides.
MANAGER_MODEL_PERMISSIONS = [
    ("lms_core", "add_exemption"),
    ("lms_core", "view_exemption"),
    # The complaints of their units (read only).
    ("lms_core", "view_complaint"),
]


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_roles(catalog=None):
    """Create or repair the Trainers, Officers and Managers groups and the publishing workflow,
    for ``catalog`` (a course catalog page) or, without one, for every course catalog.

    Trainers may create, edit and submit course pages under a catalog, upload images and
    documents, keep the question bank and quizzes (as drafts they submit), grant per-person quiz
    overrides and mark written answers; nothing else. Officers (the consumer-protection officer)
    also publish, and approve what trainers submit — course pages, questions and quizzes —
    through the "course publishing" workflow, decide exemptions and extensions, and keep the
    complaint register (import it, enter or correct a complaint). Managers may open the admin,
    where the training reports and the complaints show them their own units, and request
    exemptions and extensions for their people. Safe to run repeatedly.
    """
    trainers, _created = Group.objects.get_or_create(name=TRAINERS)
    officers, _created = Group.objects.get_or_create(name=OFFICERS)
    managers, _created = Group.objects.get_or_create(name=MANAGERS)
    access_admin = _permission("wagtailadmin", "access_admin")
    trainers.permissions.add(access_admin)
    officers.permissions.add(access_admin)
    managers.permissions.add(access_admin)
    trainers.permissions.add(*[_permission(*p) for p in TRAINER_MODEL_PERMISSIONS])
    officers.permissions.add(*[_permission(*p) for p in OFFICER_MODEL_PERMISSIONS])
    managers.permissions.add(*[_permission(*p) for p in MANAGER_MODEL_PERMISSIONS])

    catalogs = [catalog] if catalog is not None else list(CourseIndexPage.objects.all())
    for page in catalogs:
        for group, codenames in (
            (trainers, TRAINER_PAGE_PERMISSIONS),
            (officers, OFFICER_PAGE_PERMISSIONS),
        ):
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=_permission("wagtailcore", codename)
                )

    root_collection = Collection.get_first_root_node()
    for group, perms in (
        (trainers, TRAINER_COLLECTION_PERMISSIONS),
        (officers, OFFICER_COLLECTION_PERMISSIONS),
    ):
        for app_label, codename in perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(app_label, codename)
            )

    # Stored names are in the site's language, whatever language the caller has active.
    with translation.override(settings.LANGUAGE_CODE):
        workflow_name = _("Course publishing")
        task_name = _("Consumer-protection officer review")
    workflow, _created = Workflow.objects.get_or_create(
        name=workflow_name, defaults={"active": True}
    )
    task = GroupApprovalTask.objects.filter(name=task_name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
    task.groups.set([officers])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in catalogs:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    # Questions and quizzes (snippets) go through the same approval: a trainer's edit of a live
    # exam is a draft until the officer approves it.
    for model in (Question, Quiz):
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(model), defaults={"workflow": workflow}
        )
    return trainers, officers, workflow


@transaction.atomic
def add_catalog():
    """A published course catalog (课程中心) under the default site's root page, for a fresh site
    that has none; None when the site has no default ``Site`` to put it in."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        catalog = CourseIndexPage(title=_("Course catalog"), slug="courses")
    site.root_page.add_child(instance=catalog)
    catalog.save_revision().publish()
    return catalog
