"""The officer's list of loops at register scale: overdue first, then in progress, then those
with no training, then the rectified, each newest first — without annotating every complaint.

Only complaints that caused training have a loop to count, and those are few beside the
register (a fifth, say). ``loop_index`` reads their links once, grouped by complaint (one query
over the links and their assignments); every other complaint of the scope is "no training".
``LoopSequence`` is the ordered list as Django's ``Paginator`` wants it (a length and slices):
a page is cut from the three counted groups in memory and from the uncounted complaints by the
database (``OFFSET``/``LIMIT`` over an index), so a page costs the same whatever the register's
size beyond the linked few.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from lms.models import Assignment, Complaint, ComplaintTraining
from lms.services.complaints.loop import CLOSED, DONE, IN_PROGRESS, NO_TRAINING, ORDER, OVERDUE


@dataclass
class Stats:
    """One complaint's loop: ``links`` (trainings caused), ``done``, ``overdue``, the last
    completion, and its ``received_on`` (to order the groups)."""

    received_on: object
    links: int
    done: int
    overdue: int
    last_done: object

    @property
    def state(self):
        if not self.links:
            return NO_TRAINING
        if self.overdue:
            return OVERDUE
        return IN_PROGRESS if self.done < self.links else CLOSED

    @property
    def closed_on(self):
        if self.state != CLOSED or self.last_done is None:
            return None
        return timezone.localdate(self.last_done)


def loop_index(complaints, today=None):
    """``{complaint id: Stats}`` for the complaints among ``complaints`` that caused training
    (one grouped query over their links)."""
    today = today or timezone.localdate()
    to_do = Q(assignment__status__in=Assignment.TO_DO)
    rows = (
        ComplaintTraining.objects.filter(complaint__in=complaints)
        .values("complaint_id", "complaint__received_on")
        .annotate(
            links=Count("pk"),
            done=Count("pk", filter=Q(assignment__status__in=DONE)),
            overdue=Count("pk", filter=to_do & Q(assignment__due_date__lt=today)),
            last_done=Max("assignment__completed_at"),
        )
        .order_by()
        .values_list(
            "complaint_id", "complaint__received_on", "links", "done", "overdue", "last_done"
        )
    )
    return {pk: Stats(*values) for pk, *values in rows}


def state_counts(complaints, index):
    """``{state: number}``: the counted groups from ``index``, the rest "no training"."""
    counts = dict.fromkeys(ORDER, 0)
    for stats in index.values():
        counts[stats.state] += 1
    counts[NO_TRAINING] += complaints.count() - len(index)
    return counts


class LoopSequence:
    """The complaints of ``complaints`` in the loop order (only ``state`` if given), as ids."""

    def __init__(self, complaints, index, state=None):
        def newest_first(state_):
            found = [(s.received_on, pk) for pk, s in index.items() if s.state == state_]
            return [pk for _day, pk in sorted(found, reverse=True)]

        uncounted = (
            complaints.exclude(Exists(ComplaintTraining.objects.filter(complaint=OuterRef("pk"))))
            .order_by("-received_on", "-pk")
            .values_list("pk", flat=True)
        )
        segments = {
            OVERDUE: newest_first(OVERDUE),
            IN_PROGRESS: newest_first(IN_PROGRESS),
            NO_TRAINING: _Uncounted(uncounted),
            CLOSED: newest_first(CLOSED),
        }
        self.segments = [segments[state]] if state in segments else list(segments.values())

    def __len__(self):
        return sum(len(segment) for segment in self.segments)

    def count(self):
        return len(self)

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        found = []
        for segment in self.segments:
            size = len(segment)
            if start < size and stop > 0:
                found.extend(segment[max(start, 0) : min(stop, size)])
            start, stop = start - size, stop - size
        return found


class _Uncounted:
    """The complaints with no link, sliced by the database; their number read once."""

    def __init__(self, queryset):
        self.queryset = queryset
        self._size = None

    def __len__(self):
        if self._size is None:
            self._size = self.queryset.count()
        return self._size

    def __getitem__(self, window):
        return list(self.queryset[window.start : window.stop])


def page_rows(ids, index):
    """The complaints of a page (ids in order) with their reason and unit, each with
    ``stats`` (a complaint with no training gets an empty one). One query."""
    rows = Complaint.objects.filter(pk__in=ids).select_related("reason", "org_unit")
    by_id = {row.pk: row for row in rows}
    result = []
    for pk in ids:
        row = by_id[pk]
        row.stats = index.get(pk) or Stats(row.received_on, 0, 0, 0, None)
        result.append(row)
    return result
