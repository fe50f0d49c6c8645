from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from quizzes.services import expire_due_attempts


class Command(BaseCommand):
    help = _("Finalize quiz attempts whose time limit has passed, with the answers saved in time.")

    def handle(self, *args, **options):
        count = expire_due_attempts()
        self.stdout.write(_("%(count)d expired attempt(s) finalized.") % {"count": count})
