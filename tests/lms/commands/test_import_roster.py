"""``manage.py lms_import_roster``: dry run, import, errors and positions created on request."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lms.models import StaffProfile
from tests.lms.roster_support import (
    CHANGES,
    ROWS,
    csv_bytes,
    xlsx_bytes,
)


@pytest.mark.django_db
def test_command_dry_runs_and_imports(staffed, tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_bytes(csv_bytes(CHANGES, encoding="gb18030"))
    out = io.StringIO()
    with translation.override("en"):
        call_command("lms_import_roster", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "Dry run: 1 new, 2 changed (1 transfers), 1 leaving" in text
    assert "000101" in text and "西站网点 (LZ0201)" in text
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0101"

    out = io.StringIO()
    call_command("lms_import_roster", str(path), stdout=out, stderr=io.StringIO())
    assert StaffProfile.objects.get(employee_no="000101").org_unit.code == "LZ0201"


@pytest.mark.django_db
def test_command_fails_on_errors_and_creates_positions_when_asked(org, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([ROWS[0], ["000102", "", "LZ0101", "", "", ""]]))
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("lms_import_roster", str(path), stderr=err)
    assert "Row 3:" in err.getvalue() and "Row 2:" in err.getvalue()  # 柜员 is unknown too
    assert not StaffProfile.objects.exists()
    with pytest.raises(CommandError):
        call_command("lms_import_roster", str(tmp_path / "missing.csv"))

    path.write_bytes(xlsx_bytes([ROWS[0]]))
    call_command("lms_import_roster", str(path), "--create-positions", stdout=io.StringIO())
    assert StaffProfile.objects.get().position.name == "柜员"


def test_command_exits_non_zero_on_errors(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    manage = Path(__file__).resolve().parents[3] / "manage.py"
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(manage), "lms_import_roster", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "notes.txt" in result.stderr
