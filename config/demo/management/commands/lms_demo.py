from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from config.demo.loader import ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = _("Create the Chinese demo site: courses, lessons, groups and demo accounts.")

    def handle(self, *args, **options):
        # The demo creates a superuser and staff accounts with a published password.
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                _(
                    "lms_demo refuses to run with these settings: it creates a superuser and "
                    "accounts with a known password. It is for the demo and development settings "
                    "only (DEMO_DATA_ALLOWED = True)."
                )
            )
        result = load_demo()
        self.stdout.write(
            _("Demo ready: %(courses)d courses in the catalog at %(url)s")
            % {"courses": len(result["courses"]), "url": result["catalog"].url}
        )
        self.stdout.write(_("Demo logins (password: %(password)s):") % {"password": DEMO_PASSWORD})
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.username:<10} {account.name}  {account.role}")
