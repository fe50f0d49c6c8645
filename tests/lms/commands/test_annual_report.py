"""``manage.py lms_annual_report``: both files written for a unit as of a day; a missing plan,
unit or a bad day is a clear error."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from tests.lms.report_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalog):
    return build_world(catalog)


def run(*args):
    with translation.override("en"):
        call_command("lms_annual_report", *args)


def test_it_writes_the_pdf_and_the_workbook(world, tmp_path, capsys):
    day = world.today - datetime.timedelta(days=1)
    if day.year != world.plan.year:
        day = world.today
    run(
        "--year",
        str(world.plan.year),
        "--unit",
        "LZ01",
        "--as-of",
        day.isoformat(),
        "--output",
        str(tmp_path),
    )
    stem = f"annual-report-{world.plan.year}-LZ01-{day:%Y%m%d}"
    assert (tmp_path / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
    workbook = load_workbook(tmp_path / f"{stem}.xlsx")
    assert workbook.worksheets[0]["B5"].value == day.isoformat()
    assert "Gathered in" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "1999"], "There is no published training plan for 1999."),
        (["--unit", "NOPE"], "There is no unit with the code NOPE."),
        (["--as-of", "2026-13-01"], "Not a date (YYYY-MM-DD): 2026-13-01"),
    ],
)
def test_bad_arguments_are_errors(world, tmp_path, args, message):
    arguments = ["--year", str(world.plan.year), "--output", str(tmp_path)]
    if "--year" in args:
        arguments = arguments[2:]
    with pytest.raises(CommandError) as error:
        run(*arguments, *args)
    assert str(error.value) == message
    assert not list(tmp_path.iterdir())
