"""Backup and restore of the reference site (``deploy/backup``, ``deploy/restore``).

A backup is one directory, ``BACKUP_DIR/<UTC timestamp>/``: the database (``database.dump``,
``pg_dump -Fc``, or ``database.sqlite3``, SQLite's online backup), the media (``media.tar``:
MEDIA_ROOT, PRIVATE_MEDIA_ROOT and the chain anchors) and ``manifest.json`` (what, when, the
database's counts and chain head read in the dump's own snapshot, the chain key's fingerprint, the
sha256 of every file). It is written under a temporary name and renamed when whole, so a
directory with a timestamp name is always a complete backup.
"""
