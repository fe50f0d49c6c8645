from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.services.compliance import credits
from lms.services.dashboard import tallies

#: Differences printed before the count of the rest.
SHOWN = 20


class Command(BaseCommand):
    help = _(
        "Compare the dashboards' assignment tallies with a live count of the assignments, and "
        "check that every completed assignment's record is credited (for counts as of a past "
        "day); with --repair, recount them and credit what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help=_("Recount the tallies from the assignments (writers wait meanwhile)."),
        )

    def handle(self, *args, repair=False, **options):
        if repair:
            with transaction.atomic():
                tallies.rebuild()
                credits.install()
                credits.backfill()
            self.stdout.write(_("The tallies were recounted from the assignments."))
        uncredited = credits.missing()
        if uncredited:
            raise CommandError(
                _(
                    "%(count)d completed assignments have no credited completion; "
                    "run lms_check_tallies --repair."
                )
                % {"count": uncredited}
            )
        problems = tallies.drift()
        if problems:
            for table, key, counted, live in problems[:SHOWN]:
                self.stderr.write(
                    _("%(table)s %(key)s: tally %(counted)d, live count %(live)d")
                    % {"table": table, "key": "/".join(key), "counted": counted, "live": live}
                )
            raise CommandError(
                _(
                    "The tallies disagree with the assignments in %(count)d places; "
                    "run lms_check_tallies --repair."
                )
                % {"count": len(problems)}
            )
        self.stdout.write(_("The tallies agree with the assignments."))
