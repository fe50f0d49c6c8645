"""The backup drill's write load (bench/backup_drill.py starts it): completions added through the
lms services at a steady rate, each logged with the time its commit was acknowledged.

    python bench/backup_writer.py --log FILE --tag TAG [--rate 20]

Runs in the site's environment (the drill passes it). Each completion is a record titled
``backup drill TAG #n`` for one of the first 200 staff, written by ``record_completion`` (its own
transaction, the chain head locked like any learner's completion). After the call returns the
line ``n <unix time>`` is appended to FILE and flushed: a write the site acknowledged. Stops
cleanly on SIGTERM or SIGINT, after the write in progress."""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TITLE = "backup drill {tag} #{n}"


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--log", required=True)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--rate", type=float, default=20.0, help="completions per second")
    return parser.parse_args(argv)


def main(argv=None):
    options = parse(sys.argv[1:] if argv is None else argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()
    from django.utils import timezone

    from lms.models import StaffProfile
    from lms.services import record_completion

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    staff = list(StaffProfile.objects.select_related("user").order_by("pk")[:200])
    if not staff:
        sys.exit("backup_writer: no staff in this database")
    interval, n = 1.0 / options.rate, 0
    with open(options.log, "a", encoding="utf-8") as log:
        log.write(f"# ready {time.time():.6f}\n")
        log.flush()
        next_at = time.monotonic()
        while not stop:
            n += 1
            person = staff[n % len(staff)]
            record_completion(
                person.user,
                staff=person,
                kind="course",
                title=TITLE.format(tag=options.tag, n=n),
                completed_at=timezone.now(),
                method="online",
            )
            log.write(f"{n} {time.time():.6f}\n")
            log.flush()
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))


if __name__ == "__main__":
    main()
