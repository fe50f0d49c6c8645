"""Personal data out of a complaint's summary: the register keeps no customer ID, phone or card
number, so every summary is masked before it is saved (import, API and admin alike).

What is masked, each found as a run of digits standing alone (no digit right before or after it,
so a number inside a longer run — an order or serial number — is left alone; a letter or a
Chinese character next to it does not matter: ``客户13812345678反映`` is masked):

- an 18-character resident ID number: 17 digits and a digit or X (``11010519491231002X``), the
  X also when a letter follows it;
- an 11-digit mainland mobile number, ``1[3-9]`` and nine digits, also written 3-4-4 with spaces
  or hyphens (``138 1234 5678``, ``138-1234-5678``);
- a bank card number of 16 to 19 digits, also written in groups of four separated by a space or
  a hyphen (``6222 0212 3456 7890 123``).

Dates (``2026-03-01``, ``20260301``), amounts (``12,345.67``, ``5000元``), short numbers and
runs of 12–15 or 20+ digits are not personal data of these kinds and are kept.

How: every digit (and the X) of a match becomes ``*``, separators stay, so the text keeps its
length and shape (``手机***********``) and a reader sees that a number was there. Nothing of the
number is kept — not the first or last digits some systems show: with the date and the outlet,
a phone number's last four digits can be enough to find the customer, and the register never
needs them. Masking a masked text finds nothing more (``*`` is not a digit)."""

import re

DIGIT = r"[0-9０-９]"
ID_LAST = r"[0-9０-９XxＸｘ]"
# Not preceded or followed by a digit (or, for the X, by a Latin letter): a run standing alone.
BEFORE = rf"(?<!{DIGIT})"
AFTER = rf"(?!{DIGIT})"
SEPARATOR = r"[ \-－]"

PATTERNS = [
    # A resident ID number: 17 digits and a check character.
    rf"{BEFORE}{DIGIT}{{17}}{ID_LAST}{AFTER}",
    # A card number written in groups of four (16 to 19 digits), one separator kind throughout.
    rf"{BEFORE}(?<!{DIGIT}{SEPARATOR}){DIGIT}{{4}}(?P<sep>{SEPARATOR})"
    rf"{DIGIT}{{4}}(?P=sep){DIGIT}{{4}}(?P=sep){DIGIT}{{4}}(?:(?P=sep){DIGIT}{{1,3}})?"
    rf"{AFTER}(?!{SEPARATOR}{DIGIT})",
    # A card number in one run.
    rf"{BEFORE}{DIGIT}{{16,19}}{AFTER}",
    # A mobile number, in one run or written 3-4-4, maybe after the country code (+86).
    rf"{BEFORE}(?<!{DIGIT}{SEPARATOR})(?:[+＋]?[8８][6６]{SEPARATOR}?)?[1１][3-9３-９]{DIGIT}(?P<msep>{SEPARATOR}?)"
    rf"{DIGIT}{{4}}(?P=msep){DIGIT}{{4}}{AFTER}(?!{SEPARATOR}{DIGIT})",
]
PERSONAL_NUMBER = re.compile("|".join(f"(?:{pattern})" for pattern in PATTERNS))
MASKED_CHARACTER = re.compile(r"[0-9０-９XxＸｘ]")


def _masked(match):
    return MASKED_CHARACTER.sub("*", match.group(0))


def mask_personal_data(text):
    """``(masked text, how many numbers were masked)`` for ``text`` (see the module docstring)."""
    if not text:
        return text or "", 0
    return PERSONAL_NUMBER.subn(_masked, text)
