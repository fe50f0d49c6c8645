from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.services import verify_chain


class Command(BaseCommand):
    help = _("Check the hash chain of completion records; fails if any record was changed.")

    def handle(self, *args, **options):
        ok, checked, problem = verify_chain()
        if not ok:
            raise CommandError(
                _("Records were tampered with: %(problem)s (after %(count)d good records).")
                % {"problem": problem, "count": checked}
            )
        self.stdout.write(
            _("%(count)d completion records verified; the chain is intact.") % {"count": checked}
        )
