"""The ``dbid`` path converter: a database id in a URL, digits up to the largest 64-bit signed
integer. A longer number does not match (a 404) instead of reaching the database, where SQLite
raises OverflowError and PostgreSQL "value out of range" (a 500). Used by the apps' page, admin
and API URLs (``<dbid:attempt_id>``, ``{dbid:attempt_id}``); importing this module registers it.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class DatabaseIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)


register_converter(DatabaseIdConverter, "dbid")
