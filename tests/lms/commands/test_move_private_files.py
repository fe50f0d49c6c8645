"""``lms_move_private_files``: roster files and documents an older version stored under
MEDIA_ROOT move to the private root, under the same names; running it again changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from wagtail.documents import get_document_model

from lms.models import RosterImport


def legacy(name, content):
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def run(*args):
    """The command's report, read in English (the numbers are what these tests check)."""
    out = StringIO()
    with translation.override("en"):
        call_command("lms_move_private_files", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_legacy_files_move_to_the_private_root_under_the_same_names():
    roster = legacy("roster-imports/2025/03/名册.csv", "工号,姓名\n1,张三\n".encode())
    doc_path = legacy("documents/old-guide.pdf", b"%PDF-1.4\n%old\n")
    run_row = RosterImport.objects.create(
        file="roster-imports/2025/03/名册.csv", filename="名册.csv"
    )
    document = get_document_model().objects.create(title="旧指引", file="documents/old-guide.pdf")
    private = Path(settings.PRIVATE_MEDIA_ROOT)

    assert "1 moved" in run("--dry-run")
    assert roster.exists() and doc_path.exists()

    out = run()
    assert out.count("1 moved") == 2, out
    assert not roster.exists() and not doc_path.exists()
    assert (private / "roster-imports/2025/03/名册.csv").read_bytes().startswith("工号".encode())
    run_row.refresh_from_db()
    document.refresh_from_db()
    assert run_row.file.name == "roster-imports/2025/03/名册.csv"
    with run_row.file.open("rb") as stored:
        assert stored.read().startswith("工号".encode())
    with document.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")

    again = run()
    assert "0 moved, 1 in place" in again, again


@pytest.mark.django_db
def test_a_copy_left_by_an_interrupted_move_is_removed_only_when_identical():
    document = get_document_model().objects.create(title="指引", file="documents/same.pdf")
    target = Path(settings.PRIVATE_MEDIA_ROOT) / "documents" / "same.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"%PDF-1.4\n%same\n")
    copy = legacy("documents/same.pdf", b"%PDF-1.4\n%same\n")
    other = legacy("documents/other.pdf", b"%PDF-1.4\n%media\n")
    (target.parent / "other.pdf").write_bytes(b"%PDF-1.4\n%private\n")
    get_document_model().objects.create(title="另一份", file="documents/other.pdf")

    run()
    assert not copy.exists()
    assert other.exists()  # different content under the same name: both kept
    assert document.file.storage.exists("documents/same.pdf")
    other.unlink()
