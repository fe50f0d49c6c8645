"""The spreadsheet reader every import shares (quizzes.importing.sheets) and the one import flow
(quizzes.importing.pipeline): encodings, delimiters, row numbers, what Excel shows, the header,
dates; and all or nothing, dry runs, the plan after row errors, a conflict while writing."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from django.db import IntegrityError
from django.utils import translation
from openpyxl import Workbook

from quizzes.importing.pipeline import ImportReport, SpreadsheetImporter
from quizzes.importing.sheets import (
    ImportFileError,
    header_key,
    map_header,
    parse_date,
    read_sheet,
    too_big,
)
from quizzes.models import QuestionCategory

LIMITS = {"max_bytes": 1024 * 1024, "max_rows": 10, "too_many": "too many"}


def read(data, name, **limits):
    return read_sheet(data, name, **{**LIMITS, **limits})


def xlsx(rows):
    """A workbook; a cell given as ``(value, number_format)`` gets that format."""
    workbook = Workbook()
    sheet = workbook.active
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, tuple):
                cell.value, cell.number_format = value
            else:
                cell.value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_in_each_encoding_and_delimiter(encoding, delimiter):
    text = delimiter.join(["工号", " 姓名 "]) + "\r\n\r\n" + delimiter.join(["000101", "张三"])
    rows = read(text.encode(encoding), "a.CSV")
    assert rows == [(1, ["工号", "姓名"]), (3, ["000101", "张三"])]  # a blank row keeps its number
    assert read('a\r\n" x\r\ny "\r\n'.encode(encoding), "a.csv") == [(1, ["a"]), (2, ["x\ny"])]


def test_files_that_cannot_be_read_are_refused_with_their_reason():
    with translation.override("en"):
        cases = [
            ("工号".encode("utf-16"), "a.csv", "UTF-16 text is not supported"),
            (b"\x80\x81,x", "a.csv", "neither UTF-8 nor GB18030"),
            (b"not a zip", "a.xlsx", "not a readable .xlsx workbook"),
            (b"x", "a.xls", "“a.xls” is not an .xlsx or .csv file."),
            (b"x" * 2049, "a.csv", "larger than 0 MB"),
        ]
        for data, name, message in cases:
            with pytest.raises(ImportFileError, match=message):
                read(data, name, max_bytes=2048)
        assert too_big(5 * 1024 * 1024) == "The file is larger than 5 MB."


def test_the_header_and_max_rows_are_allowed_and_the_message_of_more_is_the_callers():
    data = "\n".join(["h", *"abc"]).encode()
    assert len(read(data, "a.csv", max_rows=3)) == 4
    with pytest.raises(ImportFileError, match="^too many$"):
        read(data, "a.csv", max_rows=2)
    with pytest.raises(ImportFileError, match="^more than 2 rows$"):
        read(data, "a.csv", max_rows=2, too_many=lambda most: f"more than {most} rows")


def test_xlsx_cells_read_as_excel_shows_them():
    rows = read(
        xlsx(
            [
                ["工号", "日期", "时间", "数", "真"],
                [(101, "000000"), datetime(2026, 3, 1), datetime(2026, 3, 1, 9, 5), 2.0, True],
                [(105, '"E"0000'), (date(2026, 2, 1), "yyyy/m/d"), None, 2.5, " 文字 "],
            ]
        ),
        "a.xlsx",
    )
    assert rows == [
        (1, ["工号", "日期", "时间", "数", "真"]),
        (2, ["000101", date(2026, 3, 1), datetime(2026, 3, 1, 9, 5), "2", "true"]),
        (3, ["E0105", date(2026, 2, 1), "", "2.5", "文字"]),
    ]


def test_header_keys_and_dates():
    assert header_key(" Option_A ") == header_key("ｏｐｔｉｏｎ-a") == "optiona"
    for text in ("2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", "20260301", " 2026-3-1 "):
        assert parse_date(text) == date(2026, 3, 1), text
    assert parse_date(datetime(2026, 3, 1, 9)) == date(2026, 3, 1)
    assert parse_date("") is None
    for text in ("2026-02-30", "昨天", "18000101"):
        with pytest.raises(ValueError):
            parse_date(text)


def test_map_header_warns_of_unknown_columns_and_refuses_missing_or_doubled_ones():
    keys = {header_key(name): key for key, name in [("no", "工号"), ("no", "no"), ("name", "姓名")]}
    with translation.override("en"):
        report = ImportReport("a.csv")
        columns = map_header(1, ["NO", "", "备注", date(2026, 1, 1), "姓名"], report, keys, [])
        assert columns == {"no": 0, "name": 4} and report.errors == []
        assert report.warnings == ["Column “备注” is not part of the format and was ignored."]
        report = ImportReport("a.csv")
        map_header(3, ["工号", "no"], report, keys, [("no", "工号/no"), ("name", "姓名/name")])
        assert [row for row, _message in report.errors] == [3, 3]
        assert "姓名/name" in report.errors[1][1]


# --- The flow --------------------------------------------------------------------------------


@dataclass
class CategoryReport(ImportReport):
    created: list = field(default_factory=list)


class CategoryImporter(SpreadsheetImporter):
    """A toy import: one category a row; ``fail`` makes the write fail after its first row."""

    report_class = CategoryReport
    header_keys = {"name": "name"}
    required_columns = [("name", "name")]
    too_many, no_rows = "more than %(max)d rows", "no rows"

    def __init__(self, fail=None, plan_after_row_errors=False):
        self.fail = fail
        self.plan_after_row_errors = plan_after_row_errors
        self.planned = None

    def limits(self):
        return 1024, 5

    def parse_row(self, number, values):
        name = values["name"]
        return ((number, name), []) if name != "bad" else (None, ["bad name"])

    def plan(self, rows, report):
        self.planned = [name for _number, name in rows]
        report.errors.extend((number, "exists") for number, name in rows if name == "exists")
        return self.planned

    def write(self, plan, report):
        for index, name in enumerate(plan):
            if index == 1 and self.fail is not None:
                raise self.fail
            QuestionCategory.objects.create(name=name)
            report.created.append(name)


def names(*rows):
    return "\n".join(["name", *rows]).encode()


@pytest.mark.django_db
def test_the_flow_writes_all_or_nothing():
    with translation.override("en"):
        report = CategoryImporter().run(names("a", "b"), "a.csv", dry_run=True)
        assert report.ok and not report.written and report.rows == 2
        assert not QuestionCategory.objects.exists()

        importer = CategoryImporter()
        report = importer.run(names("a", "bad", "c", "bad"), "a.csv")
        assert report.errors == [(3, "bad name"), (5, "bad name")]
        assert importer.planned is None  # row problems: no plan
        importer = CategoryImporter(plan_after_row_errors=True)
        report = importer.run(names("exists", "bad"), "a.csv")
        assert importer.planned == ["exists"] and report.errors == [(2, "exists"), (3, "bad name")]

        cases = [
            (b"", "The file is empty."),
            (names(), "no rows"),
            (names(*"abcdef"), "more than 5 rows"),
        ]
        for data, message in cases:
            assert CategoryImporter().run(data, "a.csv").errors == [(None, message)]
        assert not QuestionCategory.objects.exists()

        report = CategoryImporter().run(names("a", "b"), "a.csv")
        assert report.written and report.created == ["a", "b"]
        assert QuestionCategory.objects.count() == 2


@pytest.mark.django_db
def test_a_failing_write_leaves_nothing_written():
    with pytest.raises(RuntimeError):
        CategoryImporter(fail=RuntimeError("disk full")).run(names("a", "b"), "a.csv")
    assert not QuestionCategory.objects.exists()

    # A clash with someone else's write is an IntegrityError: it goes through unless the import
    # has a message for it, which it then reports with nothing written.
    clash = IntegrityError("unique")
    with pytest.raises(IntegrityError):
        CategoryImporter(fail=clash).run(names("a", "b"), "a.csv")
    importer = CategoryImporter(fail=clash)
    importer.conflict = lambda: "someone else imported"
    report = importer.run(names("a", "b"), "a.csv")
    assert report.errors == [(None, "someone else imported")] and not report.written
    assert not QuestionCategory.objects.exists()
