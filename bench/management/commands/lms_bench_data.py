import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bench.dataset import PREFIX, build
from lms.models import OrgUnit, StaffProfile


class Command(BaseCommand):
    help = _(
        "Build a realistic data set at bank scale for the benchmarks (org tree, staff, a "
        "published plan, assignments, hash-chained completion records). Refuses to run on a "
        "database that already holds staff unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=20000)
        parser.add_argument("--units", type=int, default=300)
        parser.add_argument("--items", type=int, default=30)
        parser.add_argument(
            "--records", type=int, default=1_000_000, help=_("Total completion records.")
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Add the data set even though the database already holds staff."),
        )

    def handle(self, *args, **options):
        for name in ("staff", "units", "items"):
            if options[name] < 1:
                raise CommandError(_("--%(name)s must be at least 1.") % {"name": name})
        if options["units"] < 3:
            raise CommandError(_("--units must be at least 3 (a branch, a sub-branch, an outlet)."))
        if OrgUnit.objects.filter(code=PREFIX).exists():
            raise CommandError(_("This database already holds a benchmark data set."))
        if StaffProfile.objects.exists() and not options["force"]:
            raise CommandError(
                _(
                    "This database already holds %(count)d staff: the benchmark data would be "
                    "mixed with them. Use an empty database, or --force to add it anyway."
                )
                % {"count": StaffProfile.objects.count()}
            )
        started = time.perf_counter()
        built = build(
            staff=options["staff"],
            units=options["units"],
            items=options["items"],
            records=options["records"],
            seed=options["seed"],
            log=lambda message: self.stdout.write(
                f"{time.perf_counter() - started:7.1f} s  {message}"
            ),
        )
        self.stdout.write(
            _(
                "Built %(units)d units, %(staff)d staff, %(assignments)d assignments "
                "(%(completed)d completed, %(overdue)d overdue, %(withdrawn)d withdrawn) and "
                "%(records)d completion records in %(seconds).1f s."
            )
            % {**vars(built), "seconds": time.perf_counter() - started}
        )
