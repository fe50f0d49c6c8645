import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.models import OrgUnit
from lms.services.annual.pdf import render_pdf
from lms.services.annual.report import ReportError, build_report, filename, plan_of
from lms.services.annual.xlsx import render_xlsx
from lms.services.compliance.as_of import BadDate, parse_as_of

RENDERERS = {"pdf": render_pdf, "xlsx": render_xlsx}


class Command(BaseCommand):
    help = _(
        "Write the annual consumer-protection training summary (年度消保培训总结) of a plan "
        "year as PDF and XLSX: coverage by staff group, hours against the plan, quizzes, "
        "offline sessions, exemptions and corrections, the record chain, as of a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("The plan year."))
        parser.add_argument("--plan", type=int, help=_("The plan's id, when the year has several."))
        parser.add_argument(
            "--unit",
            help=_("The code of the unit reported on, with the units below it (default: all)."),
        )
        parser.add_argument(
            "--as-of",
            help=_(
                "The day the statuses are of, YYYY-MM-DD (default: the year's last day, or today)."
            ),
        )
        parser.add_argument(
            "--format", choices=["pdf", "xlsx", "both"], default="both", help=_("What to write.")
        )
        parser.add_argument(
            "--verify-chain",
            action="store_true",
            help=_(
                "Verify the whole record chain now, however long (by default a chain of more "
                "than 200,000 records is reported from the newest signed anchor)."
            ),
        )
        parser.add_argument(
            "--output", default=".", help=_("The directory the files go to (default: here).")
        )

    def handle(self, *args, year, plan=None, unit=None, as_of=None, **options):
        try:
            chosen = plan_of(year, plan)
            day = parse_as_of(as_of)
        except (ReportError, BadDate) as error:
            raise CommandError(str(error)) from error
        org_unit = None
        if unit:
            org_unit = OrgUnit.objects.filter(code=unit).first()
            if org_unit is None:
                raise CommandError(_("There is no unit with the code %(code)s.") % {"code": unit})
        directory = Path(options["output"])
        if not directory.is_dir():
            raise CommandError(_("%(dir)s is not a directory.") % {"dir": directory})
        started = time.monotonic()
        try:
            report = build_report(
                chosen, day=day, unit=org_unit, verify_chain=options["verify_chain"] or None
            )
        except BadDate as error:
            raise CommandError(str(error)) from error
        built = time.monotonic()
        formats = ["pdf", "xlsx"] if options["format"] == "both" else [options["format"]]
        for extension in formats:
            path = directory / filename(report, extension)
            path.write_bytes(RENDERERS[extension](report))
            self.stdout.write(_("Wrote %(path)s") % {"path": path})
        self.stdout.write(
            _("Gathered in %(built).1f s, written in %(written).1f s.")
            % {"built": built - started, "written": time.monotonic() - built}
        )
