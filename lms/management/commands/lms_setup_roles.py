from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from courses.models import CourseIndexPage
from lms.services.roles import MANAGERS, OFFICERS, TRAINERS, add_catalog, ensure_roles


class Command(BaseCommand):
    help = _(
        "Create or repair the Trainers, Officers and Managers groups, their permissions and the "
        "course publishing workflow on every course catalog. Safe to run again. A site without "
        "a course catalog gets one under its default site's root page, unless --no-catalog."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-catalog",
            action="store_true",
            help=_("Do not add a course catalog when the site has none."),
        )

    def handle(self, *args, **options):
        if not CourseIndexPage.objects.exists() and not options["no_catalog"]:
            catalog = add_catalog()
            if catalog is not None:
                self.stdout.write(
                    _("Added the course catalog “%(title)s” at %(url)s")
                    % {"title": catalog.title, "url": catalog.url}
                )
        catalogs = list(CourseIndexPage.objects.order_by("path"))
        _trainers, _officers, workflow = ensure_roles()
        self.stdout.write(
            _("Groups ready: %(groups)s; workflow “%(workflow)s”.")
            % {"groups": ", ".join((TRAINERS, OFFICERS, MANAGERS)), "workflow": workflow.name}
        )
        if catalogs:
            self.stdout.write(
                _("Page permissions and the workflow apply to: %(catalogs)s")
                % {"catalogs": ", ".join(page.title for page in catalogs)}
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "There is no course catalog yet: add one in the admin, then run this "
                        "command again to give trainers and officers their page permissions."
                    )
                )
            )
