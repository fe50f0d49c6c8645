"""Copy a training plan to another year as a draft: the officer's start on next year's plan.

The copy keeps what the plan asks (required hours, per-position hours, every item with its
audience, targets, validity and order) and moves every date by the number of years between
the two plans; nothing that happened under the old plan (assignments, records, publication,
closing) comes along. A handful of queries, whatever the number of items."""

import re
from copy import deepcopy
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import ReferenceIndex

from lms.models import PlanItem, PositionHours, TrainingPlan

#: Item fields copied as they are (dates are shifted, the plan is the copy, the rest is m2m).
ITEM_FIELDS = (
    "title",
    "kind",
    "course_id",
    "quiz_id",
    "page_id",
    "statement",
    "everyone",
    "new_hires_only",
    "credit_hours",
    "mandatory",
    "validity_kind",
    "validity_months",
    "quarterly_targets",
    "sort_order",
)
MIN_YEAR, MAX_YEAR = 2000, 2100  # TrainingPlan.year's validators
TITLE_LENGTH = TrainingPlan._meta.get_field("title").max_length


class PlanCopyError(ValueError):
    """The copy cannot be made; the message (translated) says why."""


def shift_date(day, years):
    """``day`` moved by ``years`` calendar years; 29 February becomes 28 February in a year
    that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → a common year
        return date(day.year + years, 2, 28)


def copy_title(title, old_year, new_year):
    """``title`` with the old year (as a number of its own, not inside a longer one) replaced
    by the new year: 2026年度消保与服务培训计划 → 2027年度消保与服务培训计划; without it, the
    title with `` (2027)`` appended (cut so as to fit the field)."""
    pattern = re.compile(rf"(?<!\d){old_year}(?!\d)")
    if pattern.search(title):
        return pattern.sub(str(new_year), title)[:TITLE_LENGTH]
    suffix = f" ({new_year})"
    return title[: TITLE_LENGTH - len(suffix)] + suffix


def _check(plan, year, title):
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PlanCopyError(
            _("A plan's year must be between %(min)s and %(max)s.")
            % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    if year == plan.year:
        raise PlanCopyError(_("A plan is copied to another year, not to its own."))
    # Titles are not unique in the database, but two plans of one year with one title cannot be
    # told apart in the admin, the reports or the exports: a second copy is refused.
    if TrainingPlan.objects.filter(year=year, title=title).exists():
        raise PlanCopyError(
            _("There is already a plan “%(title)s” for %(year)s.") % {"title": title, "year": year}
        )


def _copy_m2m(field_name, old_to_new):
    """Copy the rows of ``PlanItem.<field_name>``'s through table of the old items to the new
    ones: one SELECT and one INSERT."""
    field = PlanItem._meta.get_field(field_name)
    through = field.remote_field.through
    source, target = field.m2m_column_name(), field.m2m_reverse_name()  # planitem_id, position_id
    rows = through.objects.filter(**{f"{source}__in": list(old_to_new)}).values_list(source, target)
    through.objects.bulk_create(
        [through(**{source: old_to_new[item_id], target: other}) for item_id, other in rows]
    )


def _index_references(plan, items):
    """Wagtail's reference index (the "usage" of a course, quiz or page) for the copy, as saving
    one by one would have kept it: ``bulk_create`` sends no signals. The plan (with its position
    hours) is indexed as Wagtail does it; the items' rows go in one INSERT. Nothing for a model
    Wagtail does not index (it indexes those the admin's ViewSets register)."""
    if ReferenceIndex.is_indexed(TrainingPlan):
        ReferenceIndex.create_or_update_for_object(plan)
    if not items or not ReferenceIndex.is_indexed(PlanItem):
        return
    content_type = ContentType.objects.get_for_model(PlanItem)
    ReferenceIndex.objects.bulk_create(
        [
            ReferenceIndex(
                content_type=content_type,
                base_content_type=content_type,
                object_id=item.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for item in items
            for to_content_type_id, to_object_id, model_path, content_path in set(
                ReferenceIndex._extract_references_from_object(item)
            )
        ],
        ignore_conflicts=True,
    )


def copy_plan(plan, year=None):
    """A new draft ``TrainingPlan`` for ``year`` (default: the next one) with ``plan``'s required
    hours, per-position hours and items (every field, positions and units included), every
    date moved by the difference in years. All or nothing; raises ``PlanCopyError`` when the
    year is out of range or the new title is already taken for that year. Returns the copy."""
    with transaction.atomic():
        # Locks the original (on PostgreSQL): two copies of one plan at once run one after the
        # other, and the second finds the first's title taken.
        plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        year = plan.year + 1 if year is None else int(year)
        title = copy_title(plan.title, plan.year, year)
        _check(plan, year, title)
        years = year - plan.year
        copy = TrainingPlan.objects.create(
            year=year,
            title=title,
            status=TrainingPlan.DRAFT,
            required_hours=plan.required_hours,
        )
        PositionHours.objects.bulk_create(
            [
                PositionHours(
                    plan=copy,
                    position_id=rule.position_id,
                    hours=rule.hours,
                    sort_order=rule.sort_order,
                )
                for rule in plan.position_hours.all()
            ]
        )
        items = list(PlanItem.objects.filter(plan=plan).order_by("sort_order", "pk"))
        copies = [
            PlanItem(
                plan=copy,
                open_date=shift_date(item.open_date, years),
                due_date=shift_date(item.due_date, years),
                **{name: deepcopy(getattr(item, name)) for name in ITEM_FIELDS},
            )
            for item in items
        ]
        PlanItem.objects.bulk_create(copies)
        old_to_new = {item.pk: new.pk for item, new in zip(items, copies, strict=True)}
        if old_to_new:
            _copy_m2m("positions", old_to_new)
            _copy_m2m("org_units", old_to_new)
        _index_references(copy, copies)
    return copy
