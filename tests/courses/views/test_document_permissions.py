"""Who may download a Wagtail document (``/documents/<id>/<file>``): a learner only a document
that a live page she may view links (a block or a rich-text link in a published lesson); people
with document permissions in the admin any document of their collections."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from tests.factories import UserFactory, lessons_of, make_course, make_lesson, publish


def make_document(title="双录操作指引", name="guide.pdf"):
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(b"%PDF-1.4\n%demo\n"), save=True)
    return document


def document_block(document):
    return [("document", {"document": document, "label": ""})]


def document_link(document):
    return [("paragraph", RichText(f'<p><a linktype="document" id="{document.pk}">指引</a></p>'))]


def download(client, document):
    response = client.get(document.url)
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    return response.status_code


@pytest.mark.django_db
def test_a_learner_may_not_download_a_document_no_page_links(learner_client):
    assert download(learner_client, make_document()) == 404


@pytest.mark.django_db
@pytest.mark.parametrize("body", [document_block, document_link])
def test_a_learner_may_download_a_document_of_a_live_lesson(learner_client, course, body):
    document = make_document()
    make_lesson(course, "附件课", "with-document", body=body(document))
    assert download(learner_client, document) == 200


@pytest.mark.django_db
def test_a_document_of_an_unpublished_lesson_is_refused(learner_client, course):
    document = make_document()
    lesson = make_lesson(course, "附件课", "with-document", body=document_block(document))
    lesson.unpublish()
    assert download(learner_client, document) == 404


@pytest.mark.django_db
def test_a_document_of_a_lesson_in_an_unpublished_course_is_refused(learner_client, catalog):
    document = make_document()
    course = make_course(catalog, title="草稿课程", slug="draft", lessons=0)
    make_lesson(course, "附件课", "with-document", body=document_block(document))
    course.live = False  # the course taken offline, its lessons left live underneath
    course.save(update_fields=["live"])
    assert download(learner_client, document) == 404


@pytest.mark.django_db
def test_a_document_only_in_a_draft_is_refused(learner_client, course):
    document = make_document()
    lesson = lessons_of(course)[0]
    lesson.body = document_block(document)
    lesson.save_revision()  # a draft: the live lesson does not link the document yet
    assert download(learner_client, document) == 404
    publish(lesson)
    assert download(learner_client, document) == 200


@pytest.mark.django_db
def test_a_document_of_a_group_restricted_course_is_for_that_group(client, learner, course):
    document = make_document()
    make_lesson(course, "附件课", "with-document", body=document_block(document))
    auditors = Group.objects.create(name="审计")
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(auditors)
    client.force_login(learner)
    assert download(client, document) == 404
    learner.groups.add(auditors)
    assert download(client, document) == 200


@pytest.mark.django_db
def test_a_document_of_a_password_protected_page_is_refused(learner_client, course):
    document = make_document()
    lesson = make_lesson(course, "附件课", "with-document", body=document_block(document))
    PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert download(learner_client, document) == 404


@pytest.mark.django_db
def test_one_live_page_is_enough(learner_client, course):
    document = make_document()
    hidden = make_lesson(course, "旧课", "old", body=document_block(document))
    hidden.unpublish()
    make_lesson(course, "新课", "new", body=document_block(document))
    assert download(learner_client, document) == 200


@pytest.mark.django_db
def test_staff_with_document_permissions_download_any_document(client, catalog):
    from lms.services import ensure_roles

    trainers, officers, _workflow = ensure_roles(catalog)
    document = make_document()  # linked from nowhere
    for group in (trainers, officers):
        user = UserFactory()
        user.groups.add(group)
        client.force_login(user)
        assert download(client, document) == 200
    client.force_login(UserFactory(is_superuser=True))
    assert download(client, document) == 200


def queries_to_download(client, document):
    download(client, document)  # the session's first request of the minute also slides expiry
    with CaptureQueriesContext(connection) as captured:
        assert download(client, document) == 200
    return len(captured)


@pytest.mark.django_db
def test_the_check_costs_the_same_queries_however_many_pages_link(learner_client, course):
    document = make_document()
    make_lesson(course, "课", "first", body=document_block(document))
    restricted = make_lesson(course, "限", "restricted", body=document_block(document))
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    once = queries_to_download(learner_client, document)
    for number in range(12):
        lesson = make_lesson(course, f"课{number}", f"l{number}", body=document_block(document))
        if number % 2:
            PageViewRestriction.objects.create(
                page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="x"
            )
        else:
            restriction = PageViewRestriction.objects.create(
                page=lesson, restriction_type=PageViewRestriction.GROUPS
            )
            restriction.groups.add(Group.objects.create(name=f"组{number}"))
    lessons_of(course)[-1].unpublish()
    assert queries_to_download(learner_client, document) == once <= 12
