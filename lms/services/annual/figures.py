"""An annual report's tables and the values they hold besides text and whole numbers: a rate
(part of a whole, shown as a percentage) and an average, each "—" when there is nothing to
divide by."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

NOTHING = "—"


@dataclass(frozen=True)
class Rate:
    """``part`` of ``whole``: a percentage with one decimal in the PDF, a fraction formatted
    as a percentage in the workbook."""

    part: int
    whole: int

    @property
    def value(self):
        return self.part / self.whole if self.whole else None

    def __str__(self):
        if not self.whole:
            return NOTHING
        percent = Decimal(self.part * 100) / Decimal(self.whole)
        return f"{percent.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def average(total, count, places="0.1"):
    """``total / count`` rounded half up to ``places`` (a Decimal), None when ``count`` is 0."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal(places), ROUND_HALF_UP)


def cell_text(value):
    """A value as the PDF prints it."""
    if value is None:
        return NOTHING
    if value is True or value is False:
        raise TypeError("say yes or no in words")
    return str(value)


@dataclass
class Table:
    """One table of the report: ``rows`` of values (text, numbers, ``Rate``s, None), and a
    ``total`` row if it has one. ``key`` names it for the workbook's sheets and the tests."""

    key: str
    title: str
    headings: list
    rows: list
    total: list | None = None
    note: str = ""
