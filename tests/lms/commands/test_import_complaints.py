"""``manage.py lms_import_complaints FILE [--dry-run]``: a dry run writes nothing, an import
says what it did, a file with problems fails with its row numbers."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lms.models import Complaint
from tests.lms import register_support
from tests.lms.register_support import SUMMARY_WITH_NUMBERS, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles):
    return register_support.build(roles)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("lms_import_complaints", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_then_the_import(world, tmp_path):
    path = tmp_path / "投诉登记.csv"
    rows = [row("TS001", summary=SUMMARY_WITH_NUMBERS), row("TS002")]
    path.write_bytes(csv_bytes(rows, encoding="gb18030"))
    out, _err = run(str(path), "--dry-run")
    assert "Dry run: 2 new, 0 updated, 0 unchanged; 3 personal numbers masked." in out
    assert not Complaint.objects.exists()
    out, _err = run(str(path))
    assert "Imported: 2 new, 0 updated, 0 unchanged; 3 personal numbers masked." in out
    assert Complaint.objects.count() == 2
    out, _err = run(str(path))
    assert "Imported: 0 new, 0 updated, 2 unchanged" in out


def test_problems_fail_with_row_numbers(world, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([row("TS001"), row("TS002", reason="nothing")]))
    with pytest.raises(CommandError, match="nothing was imported"):
        run(str(path))
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("lms_import_complaints", str(path), stdout=out, stderr=err)
    assert "Row 3:" in err.getvalue() and "“nothing”" in err.getvalue()
    assert not Complaint.objects.exists()
