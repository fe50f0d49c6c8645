"""The complaint loop (投诉溯源整改) in the admin's Reports menu, for officers and managers (their
units only): the year's loops with the overdue first and their counts, the complaints by month on
a dimension, and — for a unit — its mapped training with the complaints before and after it.
The same numbers as ``/learn/team/complaints/`` (``lms.services.complaints``)."""

from functools import partial

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from lms.services.complaints import analysis, listing, loop
from lms.services.scope import ManagerRequiredMixin, visible_units
from lms.viewsets.base import ManagerMenuItem

PER_PAGE = 50


def _number(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


class ComplaintLoopView(ManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "lms/admin/complaint_loop.html"
    page_title = gettext_lazy("Complaint loop")
    header_icon = "link"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET
        year = _number(query.get("year"), timezone.localdate().year, 2000, 2100)
        dimension = query.get("dim") if query.get("dim") in analysis.FIELDS else "C"
        state = query.get("state") if query.get("state") in loop.ORDER else None
        mine = loop.visible_complaints(self.request.user)
        units = visible_units(self.request.user).order_by("path")
        unit = None
        if query.get("unit"):
            unit = get_object_or_404(units, pk=_number(query.get("unit"), 0, 0, 2**62))
            mine = mine.filter(org_unit__path__startswith=unit.path)
        of_year = mine.filter(received_on__year=year)
        index = listing.loop_index(of_year)
        page = Paginator(listing.LoopSequence(of_year, index, state), PER_PAGE).get_page(
            query.get("p")
        )
        codes, counts, totals = analysis.by_month(mine, year, dimension)
        context.update(
            year=year,
            dimension=dimension,
            state=state or "",
            unit=unit,
            units=units[:200],
            states=[(key, loop.STATE_LABELS[key]) for key in loop.ORDER],
            counts=listing.state_counts(of_year, index),
            page=page,
            rows=listing.page_rows(page.object_list, index),
            months=range(1, 13),
            by_month=[(code, counts.get(code.pk, [0] * 12)) for code in codes],
            totals=totals,
            mapped=analysis.mapped_completion(unit, timezone.localdate()) if unit else [],
            window=analysis.WINDOW_MONTHS,
        )
        return context


class ComplaintLoopViewSet(ViewSet):
    """/admin/training/complaint-loop/ and its item in the Reports menu (officers, managers)."""

    name = "lms_complaint_loop"
    url_prefix = "training/complaint-loop"

    def get_urlpatterns(self):
        return [path("", never_cache(ComplaintLoopView.as_view()), name="index")]

    def register_menu_item(self):
        hooks.register(
            "register_reports_menu_item",
            partial(
                ManagerMenuItem,
                gettext_lazy("Complaint loop"),
                reverse_lazy(self.get_url_name("index")),
                name="training-complaint-loop",
                icon_name="link",
                order=1340,
            ),
        )
