"""Move roster files and Wagtail documents stored under ``MEDIA_ROOT`` by an older version to the
storage their field names now (the site's private root, which no URL serves). File names stay
the same, so no row changes. Idempotent: files already in place are left alone, and running it
where private files share the default storage does nothing."""

import filecmp
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.management.base import BaseCommand
from django.utils._os import safe_join
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from lms.models import RosterImport


def models_with_private_files():
    return [RosterImport, get_document_model()]


def move_file(storage, name, dry_run=False):
    """Move ``name`` from MEDIA_ROOT into ``storage``: "moved", "in place" or "missing"."""
    try:
        legacy = Path(safe_join(settings.MEDIA_ROOT, name))
    except SuspiciousFileOperation:
        return "missing"
    try:
        target = Path(storage.path(name))
    except NotImplementedError:  # a remote storage
        target = None
    if target is not None and target.resolve() == legacy.resolve():
        return "in place"  # this site keeps private files under MEDIA_ROOT
    if not legacy.is_file():
        return "in place" if storage.exists(name) else "missing"
    if storage.exists(name):
        if target is None or not filecmp.cmp(legacy, target, shallow=False):
            return "in place"  # a different file of the same name: keep both, touch neither
        if not dry_run:
            legacy.unlink()  # the copy left under MEDIA_ROOT by an interrupted move
        return "moved"
    if dry_run:
        return "moved"
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(legacy, target)
    else:
        with legacy.open("rb") as source:
            saved = storage.save(name, File(source))
        if saved != name:  # never re-point a row: leave the old file where it was
            storage.delete(saved)
            return "in place"
        legacy.unlink()
    return "moved"


class Command(BaseCommand):
    help = _(
        "Move roster files and documents stored under MEDIA_ROOT by an older version to the "
        "private storage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Only count the files to move.")
        )

    def handle(self, *args, dry_run=False, **options):
        for model in models_with_private_files():
            storage = model._meta.get_field("file").storage
            names = model.objects.exclude(file="").values_list("file", flat=True).distinct()
            counts = {"moved": 0, "in place": 0, "missing": 0}
            for name in names.iterator():
                counts[move_file(storage, name, dry_run=dry_run)] += 1
            self.stdout.write(
                _("%(model)s: %(moved)d moved, %(kept)d in place, %(missing)d missing.")
                % {
                    "model": model._meta.verbose_name_plural,
                    "moved": counts["moved"],
                    "kept": counts["in place"],
                    "missing": counts["missing"],
                }
            )
