"""Spreadsheets the lms app reads: the roster (staff list) format and its reading. The import
itself (planning and writing) is ``lms.services.roster``."""

from .roster import (
    COLUMNS,
    RosterReport,
    RosterRow,
    StaffChange,
    parse_row,
    read_rows,
    template_workbook,
)
from .sheets import ImportFileError

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "RosterReport",
    "RosterRow",
    "StaffChange",
    "parse_row",
    "read_rows",
    "template_workbook",
]
