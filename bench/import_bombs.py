"""Spreadsheets small on disk but huge inside: time and peak memory of a roster dry run.

Run on demand: `python bench/import_bombs.py` (SQLite in a temp file). Each file is read in a
child process of its own (so each peak RSS is its own), killed after BENCH_TIMEOUT seconds
(default 150); BENCH_CASES picks some of the files by name (comma-separated). The files,
built here:

- ``blank-rows``: a header and 10,000,000 blank rows (``<row/>``, deflated);
- ``row-gap``: a header and one cell on row 10,000,000 (openpyxl yields the 9,999,998 rows
  between as blank rows);
- ``empty-cells``: a header and a row of 2,000,000 empty cells (``<c/>``);
- ``wide-cells``: a header and 122 rows each with one empty cell in column XFD (16,384 cells a
  row as openpyxl reads it, 2M in all).

Columns: file size on disk, the sheet's uncompressed size, wall time, peak RSS of the child
(``resource.getrusage`` maxrss) and the import's first error.
"""

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "150"))
ONLY = [name for name in os.environ.get("BENCH_CASES", "").split(",") if name]
SHEET = "xl/worksheets/sheet1.xml"
HEADER_ROW = (
    '<row r="1">'
    + "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip(
            "ABCDEF", ["工号", "姓名", "机构", "岗位", "入职日期", "状态"], strict=True
        )
    )
    + "</row>"
)
HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
TAIL = "</sheetData></worksheet>"


def base_workbook():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def workbook_with_sheet(chunks):
    """A workbook whose first sheet's XML is the text of ``chunks`` (streamed, deflated)."""
    source = zipfile.ZipFile(io.BytesIO(base_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as sheet:
                    for chunk in chunks:
                        sheet.write(chunk.encode())
            else:
                target.writestr(item.filename, source.read(item.filename))
    return buffer.getvalue()


def repeated(text, count, block=100_000):
    for start in range(0, count, block):
        yield text * min(block, count - start)


def blank_rows():
    yield HEAD + HEADER_ROW
    yield from repeated("<row/>", 10_000_000)
    yield TAIL


def row_gap():
    yield HEAD + HEADER_ROW
    yield '<row r="10000000"><c r="A10000000" t="inlineStr"><is><t>x</t></is></c></row>'
    yield TAIL


def empty_cells():
    yield HEAD + HEADER_ROW + "<row>"
    yield from repeated("<c/>", 2_000_000)
    yield "</row>" + TAIL


def wide_cells():
    yield HEAD + HEADER_ROW
    for row in range(2, 2 + 122):
        yield f'<row r="{row}"><c r="XFD{row}"/></row>'
    yield TAIL


CASES = {
    "blank-rows": blank_rows,
    "row-gap": row_gap,
    "empty-cells": empty_cells,
    "wide-cells": wide_cells,
}


def child(path):
    import django

    django.setup()
    from lms.services.roster import import_roster

    data = Path(path).read_bytes()
    start = time.perf_counter()
    report = import_roster(data, "花名册.xlsx", dry_run=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    error = report.errors[0][1] if report.errors else "no error"
    print(f"{elapsed:.2f}\t{peak:.0f}\t{error}")


def main():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    folder = Path(tempfile.mkdtemp())
    print(f"{'file':<12} {'on disk':>9} {'sheet xml':>10} {'time':>9} {'peak RSS':>9}  error")
    for name, make in CASES.items():
        if ONLY and name not in ONLY:
            continue
        data = workbook_with_sheet(make())
        path = folder / f"{name}.xlsx"
        path.write_bytes(data)
        inside = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).file_size
        sizes = f"{name:<12} {len(data) / 1024:>6.0f} KB {inside / 2**20:>7.1f} MB"
        start = time.perf_counter()
        try:
            result = subprocess.run(  # noqa: S603 (this script, a file it wrote)
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                env=os.environ,
            )
        except subprocess.TimeoutExpired:
            print(f"{sizes} {'>' + format(TIMEOUT, '.0f'):>8}s {'?':>9}  killed after the timeout")
            continue
        if result.returncode:
            wall = time.perf_counter() - start
            print(f"{sizes} {wall:>8.1f}s {'?':>9}  failed: {result.stderr.strip()[-300:]}")
            continue
        elapsed, peak, error = result.stdout.strip().splitlines()[-1].split("\t", 2)
        print(f"{sizes} {float(elapsed):>8.2f}s {float(peak):>6.0f} MB  {error}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
