from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.models import TrainingPlan
from lms.services.plan_copy import PlanCopyError, copy_plan


class Command(BaseCommand):
    help = _(
        "Copy a training plan to another year (by default the next) as a draft: its items, "
        "audiences, targets and required hours, with every date moved by as many years."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, help=_("The id of the plan to copy."))
        parser.add_argument(
            "--year", type=int, help=_("The year of the copy (default: the plan's year + 1).")
        )

    def handle(self, *args, plan_id, year=None, **options):
        plan = TrainingPlan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(_("There is no training plan %(id)s.") % {"id": plan_id})
        try:
            copy = copy_plan(plan, year=year)
        except PlanCopyError as error:
            raise CommandError(str(error)) from error
        count = copy.items.count()
        self.stdout.write(
            ngettext(
                "Created the draft plan “%(plan)s” (id %(id)s) for %(year)s with %(count)d item.",
                "Created the draft plan “%(plan)s” (id %(id)s) for %(year)s with %(count)d items.",
                count,
            )
            % {"plan": copy, "id": copy.pk, "year": copy.year, "count": count}
        )
