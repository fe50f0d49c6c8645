"""Reading a spreadsheet of people (roster, attendance sheet): .xlsx (first sheet) or .csv
(UTF-8, UTF-8 with BOM or GB18030) into rows of cells, keeping what Excel shows — leading zeros
of a zero-padded number format, dates as dates — and parsing the date forms people type."""

import io
import os
import re
import unicodedata
import zipfile
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from quizzes.importing.format import ImportFileError, _key
from quizzes.importing.reading import _csv_rows

DATE_TEXT = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
DATE_DIGITS = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:\.0*)?")
# A number format padding an integer with zeros, maybe after a quoted prefix: 000000, "E"00000.
ZERO_PADDED = re.compile(r'(?:"(?P<prefix>[^"]*)")?(?P<zeros>0+)')


def _number_text(value, number_format):
    """A number as the spreadsheet shows it when that matters: zero-padded formats keep their
    leading zeros (an employee number 000101 stored as 101 with format 000000)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        padded = ZERO_PADDED.fullmatch(number_format or "")
        if padded:
            return (padded["prefix"] or "") + str(value).zfill(len(padded["zeros"]))
    return str(value)


def _cell_value(cell):
    """Text for a cell, except a date cell, which stays a date."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime):
        # A date cell stays a date; a date-and-time cell (a check-in time) keeps its time.
        return value if value.time() != datetime.min.time() else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value, getattr(cell, "number_format", None))
    return str(value).strip()


def _xlsx_rows(data):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise ImportFileError(_("This is not a readable .xlsx workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; read what is there instead.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [_cell_value(cell) for cell in cells]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise ImportFileError(_("This is not a readable .xlsx workbook.")) from error
    finally:
        workbook.close()


def _csv_lines(data):
    for number, cells in _csv_rows(data):
        yield number, [cell.strip() for cell in cells]


def too_big(max_bytes):
    """The message for a file over ``max_bytes``."""
    return _("The file is larger than %(size)d MB.") % {"size": max_bytes // (1024 * 1024)}


def read_rows(file_bytes, filename, *, max_bytes, max_rows):
    """The non-blank rows of the file (first sheet of a workbook) as ``(row_number, [cells])``,
    header included; a cell is text, or a date for an Excel date cell. Raises ImportFileError
    for a file that is too big, too long or unreadable."""
    if len(file_bytes) > max_bytes:
        raise ImportFileError(too_big(max_bytes))
    extension = os.path.splitext(filename or "")[1].lower()
    if extension == ".xlsx":
        source = _xlsx_rows(file_bytes)
    elif extension == ".csv":
        source = _csv_lines(file_bytes)
    else:
        raise ImportFileError(
            _("“%(name)s” is not an .xlsx or .csv file.") % {"name": filename or "?"}
        )
    rows = []
    for number, cells in source:
        if not any(cells):
            continue
        if len(rows) > max_rows:  # the header plus max_rows people are allowed
            raise ImportFileError(
                _("The file has more than %(max)d people: split it into smaller files.")
                % {"max": max_rows}
            )
        rows.append((number, cells))
    return rows


def parse_date(raw):
    """A hire date from a cell: a date, or text in one of the accepted forms. None when blank;
    ValueError when it is not a date."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    match = DATE_TEXT.fullmatch(text) or DATE_DIGITS.fullmatch(text)
    if not match:
        raise ValueError(text)
    value = date(int(match["y"]), int(match["m"]), int(match["d"]))  # ValueError if impossible
    if not 1900 <= value.year <= 2100:
        raise ValueError(text)
    return value


def map_header(number, cells, report, header_keys, required):
    """Column positions by key from the header row ``cells`` (row ``number``). ``header_keys``
    maps normalised header names to keys; ``required`` lists ``(key, label)`` of the columns
    that must be there. Unknown columns become warnings on ``report``, duplicated or missing
    ones errors."""
    columns = {}
    for index, name in enumerate(cells):
        if not isinstance(name, str) or not name:
            continue
        key = header_keys.get(_key(name))
        if key is None:
            report.warnings.append(
                _("Column “%(name)s” is not part of the format and was ignored.") % {"name": name}
            )
        elif key in columns:
            report.errors.append((number, _("Column “%(name)s” appears twice.") % {"name": name}))
        else:
            columns[key] = index
    missing = [label for key, label in required if key not in columns]
    if missing:
        report.errors.append(
            (
                number,
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
    return columns
