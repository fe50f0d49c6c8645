"""The spreadsheet reader of all CP-LMS imports: the question bank (``quizzes.services.importing``),
the roster (``lms.services.roster``) and a session's attendance sheet
(``lms.services.learning.attendance``). It lives in quizzes because quizzes is the app every other
app may import; the flow built on it (read → map headers → parse → plan → write → report) is
``quizzes.importing.pipeline``.

A file is an .xlsx workbook (its first sheet) or a .csv text in UTF-8, UTF-8 with BOM or GB18030
(what Excel in a Chinese locale writes), with ``,``, ``;`` or tab between cells; UTF-16 text is
refused with a message saying how to save it. ``read_sheet`` gives the non-blank rows numbered as
the spreadsheet numbers them, each cell as Excel shows it: stripped text, leading zeros of a
zero-padded number format kept (employee number 101 formatted ``000000`` is ``000101``), and a
date cell as a ``date`` (a ``datetime`` when it has a time of day). ``map_header`` finds the
columns of a header row; ``parse_date`` reads the date forms people type.

A file small on disk can be huge inside (10 million blank rows deflate to 90 KB, a row on line
10,000,000 is 5 KB), so reading is bounded for every import (settings in ``quizzes.conf``):
before openpyxl parses an .xlsx, its zip is checked (the total unpacked size, each part's
compression ratio, the number of parts, the cells each worksheet declares); while reading, rows
and cells are counted as openpyxl yields them, blank ones included (never trusting the sheet's
declared size), against the importer's most rows plus a margin and a most cells, and so is the
time spent. Each bound is a clear ``ImportFileError``.
"""

import csv
import io
import os
import re
import time
import unicodedata
import zipfile
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..conf import app_settings

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel in a Chinese locale writes GB18030 (GBK)
DATE_TEXT = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
DATE_DIGITS = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:\.0*)?")
# A number format padding an integer with zeros, maybe after a quoted prefix: 000000, "E"00000.
ZERO_PADDED = re.compile(r'(?:"(?P<prefix>[^"]*)")?(?P<zeros>0+)')
# A cell element of a worksheet's XML, with or without a namespace prefix: <c …>, <c/>, <x:c …>.
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
# Parts smaller than this unpacked are not checked for their compression ratio.
RATIO_CHECKED_FROM = 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is translated and shown as it is."""


def header_key(name):
    """Header (and other format) names compare without case, spaces, underscores, hyphens or
    full-width forms: ``header_key(" Option_A ") == header_key("ｏｐｔｉｏｎ-a")``."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", name)).lower()


def _text(value):
    return str(value).replace("\r\n", "\n").strip()


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
    return _text(value)


def _thousands(number):
    return f"{number:,}"


def too_many_cells(max_cells):
    return _(
        "The file has more than %(max)s cells (blank cells count too): clear the formatting of "
        "unused rows and columns, or split the file."
    ) % {"max": _thousands(max_cells)}


def _declared_cells(archive, item, max_cells):
    """Whether the worksheet part ``item`` declares at most ``max_cells`` cells, read in chunks
    (the zip module never unpacks a part past its declared size)."""
    count = 0
    tail = b""
    with archive.open(item) as part:
        while chunk := part.read(1024 * 1024):
            chunk = tail + chunk
            cut = chunk.rfind(b"<")
            chunk, tail = (chunk[:cut], chunk[cut:]) if cut >= 0 else (chunk, b"")
            count += len(CELL_TAG.findall(chunk))
            if count > max_cells:
                return False
    return count + len(CELL_TAG.findall(tail)) <= max_cells


def check_workbook_zip(data):
    """Refuse an .xlsx that unpacks to too much, has a part compressed absurdly (a zip bomb),
    too many parts, or a worksheet declaring too many cells: before openpyxl parses anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        items = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportFileError(_("This is not a readable .xlsx workbook.")) from error
    max_parts = app_settings.LMS_IMPORT_MAX_ZIP_PARTS
    if len(items) > max_parts:
        raise ImportFileError(
            _(
                "This workbook has more than %(max)d parts, which an ordinary workbook never has: "
                "save it again in Excel or WPS."
            )
            % {"max": max_parts}
        )
    max_unpacked = app_settings.LMS_IMPORT_MAX_UNCOMPRESSED_BYTES
    if sum(item.file_size for item in items) > max_unpacked:
        raise ImportFileError(
            _(
                "This workbook unpacks to more than %(size)d MB: remove empty rows, formatting "
                "and pictures, or split the file."
            )
            % {"size": max_unpacked // (1024 * 1024)}
        )
    max_ratio = app_settings.LMS_IMPORT_MAX_COMPRESSION_RATIO
    for item in items:
        if item.file_size >= RATIO_CHECKED_FROM and (
            item.file_size > max_ratio * max(item.compress_size, 1)
        ):
            raise ImportFileError(
                _(
                    "Part “%(name)s” of this workbook is compressed more than %(max)d to 1, which "
                    "an ordinary workbook never is: save it again in Excel or WPS."
                )
                % {"name": item.filename, "max": max_ratio}
            )
    max_cells = app_settings.LMS_IMPORT_MAX_CELLS
    try:
        for item in items:
            name = item.filename.lower()
            sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            if sheet and not _declared_cells(archive, item, max_cells):
                raise ImportFileError(too_many_cells(max_cells))
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as error:
        raise ImportFileError(_("This is not a readable .xlsx workbook.")) from error


def _xlsx_rows(data):
    check_workbook_zip(data)
    # A damaged part of the zip fails as XML (ParseError and lxml's XMLSyntaxError are both
    # SyntaxErrors), a missing one as KeyError.
    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (*unreadable, SyntaxError, TypeError, IndexError) as error:
        raise ImportFileError(_("This is not a readable .xlsx workbook.")) from error
    number = 0
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; read what is there instead.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [_cell_value(cell) for cell in cells]
    except (*unreadable, SyntaxError, TypeError) as error:
        if number:
            message = _(
                "This workbook cannot be read after row %(row)d: the sheet is damaged. Save it "
                "again in Excel or WPS and retry."
            ) % {"row": number}
        else:
            message = _("This is not a readable .xlsx workbook.")
        raise ImportFileError(message) from error
    finally:
        workbook.close()


def _csv_rows(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(_("UTF-16 text is not supported: save the file as “CSV UTF-8”."))
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("The file is neither UTF-8 nor GB18030 text."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    # Every cell but the first of a line follows a delimiter: refuse a file of (many) more cells
    # than allowed before the csv module builds a row of millions of them.
    max_cells = app_settings.LMS_IMPORT_MAX_CELLS
    if text.count(delimiter) > max_cells:
        raise ImportFileError(too_many_cells(max_cells))
    try:
        for number, cells in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        ):
            yield number, [_text(cell) for cell in cells]
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from error


def too_big(max_bytes):
    """The message for a file over ``max_bytes``."""
    return _("The file is larger than %(size)d MB.") % {"size": max_bytes // (1024 * 1024)}


def read_sheet(file_bytes, filename, *, max_bytes, max_rows, too_many):
    """The non-blank rows of the file (first sheet of a workbook) as ``(row_number, [cells])``,
    header included; a cell is stripped text, or a date for an Excel date cell (see the module
    docstring). The header and at most ``max_rows`` rows below it are allowed: ``too_many`` is
    the message for more, ``%(max)d`` in it standing for ``max_rows`` (or a callable making the
    message from ``max_rows``). Raises ImportFileError for a file that is too big, too long or
    unreadable."""
    if len(file_bytes) > max_bytes:
        raise ImportFileError(too_big(max_bytes))
    extension = os.path.splitext(filename or "")[1].lower()
    if extension == ".xlsx":
        source = _xlsx_rows(file_bytes)
    elif extension == ".csv":
        source = _csv_rows(file_bytes)
    else:
        raise ImportFileError(
            _("“%(name)s” is not an .xlsx or .csv file.") % {"name": filename or "?"}
        )
    rows = []
    for number, cells in _bounded(source, max_rows):
        if not any(cells):
            continue
        if len(rows) > max_rows:
            message = too_many(max_rows) if callable(too_many) else too_many % {"max": max_rows}
            raise ImportFileError(str(message))
        rows.append((number, cells))
    return rows


def _bounded(source, max_rows):
    """The rows of ``source``, stopping with an ImportFileError past the header, ``max_rows``
    rows and the margin, past the most cells, or past the time allowed; blank rows and cells
    count, as the file has them."""
    last_row = max_rows + 1 + app_settings.LMS_IMPORT_BLANK_ROW_MARGIN
    max_cells = app_settings.LMS_IMPORT_MAX_CELLS
    max_seconds = app_settings.LMS_IMPORT_MAX_SECONDS
    deadline = time.monotonic() + max_seconds
    cells_read = 0
    for number, cells in source:
        if number > last_row:
            raise ImportFileError(
                _(
                    "Row %(row)s of the file is past the limit of %(max)s rows (blank rows count "
                    "too): delete the empty rows below the data, or split the file."
                )
                % {"row": _thousands(number), "max": _thousands(last_row)}
            )
        cells_read += len(cells)
        if cells_read > max_cells:
            raise ImportFileError(too_many_cells(max_cells))
        if time.monotonic() >= deadline:
            raise ImportFileError(
                _(
                    "Reading the file took more than %(seconds)d seconds and stopped at row "
                    "%(row)s: delete empty rows and formatting, or split the file."
                )
                % {"seconds": max_seconds, "row": _thousands(number)}
            )
        yield number, cells


def parse_date(raw):
    """A date from a cell: a date, or text in one of the accepted forms (2026-03-01, 2026/3/1,
    2026.3.1, 2026年3月1日, 20260301). None when blank; ValueError when it is not a date."""
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
    maps ``header_key`` names to keys; ``required`` lists ``(key, label)`` of the columns that
    must be there. Unknown columns become warnings on ``report``, duplicated or missing ones
    errors ``(number, message)``."""
    columns = {}
    for index, name in enumerate(cells):
        if not isinstance(name, str) or not name:
            continue
        key = header_keys.get(header_key(name))
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
