from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.services.records.legacy import SealRefused, seal_legacy_chain


class Command(BaseCommand):
    help = _(
        "Once, after upgrading: verify the records written before the chain was keyed and, if "
        "they are intact, seal them under LMS_RECORD_CHAIN_KEY (nothing is rewritten)."
    )

    def handle(self, *args, **options):
        try:
            legacy, certificates, count = seal_legacy_chain()
        except SealRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"[{problem.label}] {problem.message}")
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            _(
                "Sealed: %(legacy)d records written before the chain was keyed and "
                "%(certificates)d certificates; the sealed head counts %(count)d records."
            )
            % {"legacy": legacy, "certificates": certificates, "count": count}
        )
