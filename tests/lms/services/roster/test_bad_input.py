"""A roster with a NUL character in a name is refused with its row number, in the dry run as in
the real run, so a dry run never promises what PostgreSQL would refuse."""

import pytest
from django.db import connection

from lms.models import StaffProfile
from lms.services.roster import import_roster
from tests.lms.roster_support import ROWS, csv_bytes, error_rows


def nul_rows():
    rows = [list(row) for row in ROWS]
    rows[1][1] = "李\x00四"
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_nul_character_in_a_name_is_refused_with_its_row(org, positions, dry_run):
    report = import_roster(csv_bytes(nul_rows()), "花名册.csv", dry_run=dry_run)
    assert not report.ok
    assert error_rows(report) == [3]
    assert "NUL" in report.errors[0][1]
    assert not StaffProfile.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_nul_character_never_reaches_postgresql(org, positions):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite stores NUL characters")
    report = import_roster(csv_bytes(nul_rows()), "花名册.csv")
    assert error_rows(report) == [3]
    assert not StaffProfile.objects.exists()
