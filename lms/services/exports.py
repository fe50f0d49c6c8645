"""Spreadsheet output shared by every export (the evidence CSV, the admin reports' CSV/XLSX,
the transcript workbook): formula neutralisation, local times and a streamed CSV writer.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
by Excel or WPS as a formula (spreadsheet formula injection: a person named
``=HYPERLINK(...)``). Such text is prefixed with ``'`` so it shows as typed. Only text is
touched: numbers, dates and ``None`` pass through unchanged.
"""

import csv
from decimal import Decimal

from django.utils import timezone, translation

#: Excel opens a CSV as UTF-8 (Chinese intact) only when it starts with a byte order mark.
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Rows written per streamed chunk: large enough to keep the per-chunk overhead small, small
#: enough that the first bytes leave at once.
ROWS_PER_CHUNK = 500


def person_label(first_name, last_name, username):
    """A user as reports name them: the full name, else the login name."""
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


def neutralise(value):
    """``value`` made safe for a spreadsheet cell (see the module docstring)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def local_text(value):
    """A datetime as ``YYYY-MM-DD HH:MM:SS`` in the site's time zone (Asia/Shanghai); a date
    as ``YYYY-MM-DD``; ``""`` for ``None``."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return value.isoformat()


def cell_text(value):
    """A value as CSV text: ``None`` empty, decimals as stored (``90.00``), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return neutralise(value)


class _Echo:
    """The file-like object csv.writer writes to: hands the line straight back."""

    def write(self, value):
        return value


def stream_csv(headings, rows, rows_per_chunk=ROWS_PER_CHUNK):
    """Yield a UTF-8 CSV (with BOM) as bytes: the headings at once, then ``rows`` (iterables of
    values, converted with :func:`cell_text`) in chunks of ``rows_per_chunk`` lines. ``rows``
    is consumed lazily, so a queryset iterator streams with flat memory."""
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow([neutralise(str(h)) for h in headings])).encode()
    lines = []
    for row in rows:
        lines.append(writer.writerow([cell_text(value) for value in row]))
        if len(lines) >= rows_per_chunk:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


def in_current_locale(iterable):
    """Iterate ``iterable`` later (a streamed response's body runs after the view has
    returned) in the language and time zone active now: the admin activates the user's
    language only while the view runs."""
    language, zone = translation.get_language(), timezone.get_current_timezone()
    return _iterate_in(iter(iterable), language, zone)


def _iterate_in(iterator, language, zone):
    while True:
        with translation.override(language), timezone.override(zone):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk
