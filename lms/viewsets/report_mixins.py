"""What the training reports (``lms.viewsets.reports``) add to Wagtail's ``ReportView``: safe,
streamed spreadsheet exports, and a reading "as of" a past day."""

import csv
import datetime
from collections import OrderedDict

from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.views.mixins import Echo

from lms.services.exports import BOM, in_current_locale, local_text, neutralise
from lms.services.reports import streamed

EXPORT_CHUNK = 2000


def _local_naive(value):
    return timezone.make_naive(timezone.localtime(value))


class SafeExportMixin:
    """ReportView exports that neutralise formula-like text (see ``services.exports``), stream
    the CSV from a database iterator with a BOM (Excel opens the Chinese intact) and write
    times in the site's time zone. Rows come from ``export_values``: ``{field: callable}``."""

    export_values = {}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_value_preprocess = {
            **self.custom_value_preprocess,
            datetime.datetime: {self.FORMAT_XLSX: _local_naive, self.FORMAT_CSV: local_text},
        }

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the export: the listing context would load every row (items_count).
            return self.as_spreadsheet(self.get_filtered_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def get_export_values(self):
        return self.export_values

    @property
    def list_export(self):
        return list(self.get_export_values())

    def to_row_dict(self, item):
        values = self.get_export_values()
        return OrderedDict((field, get(item)) for field, get in values.items())

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))

    def stream_csv(self, queryset):
        return in_current_locale(self._stream_csv(queryset))

    def _stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        headings = {field: self.get_heading(queryset, field) for field in self.list_export}
        yield BOM.encode() + writer.writerow(headings)
        for item in streamed(queryset, EXPORT_CHUNK):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y%m%d}"


class AsOfReportMixin:
    """A report read as of a past day: its filter set's ``as_of`` field (a past day or today;
    blank: today's report). The view builds its queryset for ``self.as_of``, shows
    ``columns_as_of`` and exports ``export_values_as_of`` (if given), says so above the rows
    (``as_of_note``, ``%(date)s``) and names the export after the day. A day that does not
    validate (a future day) is shown as an error on the filter form; an export with it is
    refused (back to the form), never today's rows exported for a past day's."""

    results_template_name = "lms/admin/reports/as_of_results.html"
    as_of_note = ""
    columns_as_of = None
    export_values_as_of = None

    @cached_property
    def as_of(self):
        filters = self.filters
        if filters is not None and filters.is_valid():
            return filters.form.cleaned_data.get("as_of")
        return None

    def get(self, request, *args, **kwargs):
        if self.is_export and self._as_of_refused():
            query = request.GET.copy()
            query.pop("export", None)
            return redirect(f"{self.index_url}?{query.urlencode()}")
        return super().get(request, *args, **kwargs)

    def _as_of_refused(self):
        filters = self.filters
        return filters is not None and not filters.is_valid() and "as_of" in filters.form.errors

    def get_table(self, object_list):
        if self.as_of and self.columns_as_of is not None:
            return self.table_class(self.columns_as_of, object_list, **self.get_table_kwargs())
        return super().get_table(object_list)

    def get_export_values(self):
        if self.as_of and self.export_values_as_of is not None:
            return self.export_values_as_of
        return super().get_export_values()

    def get_filename(self):
        if self.as_of:
            return f"{self.export_filename}-as-of-{self.as_of:%Y%m%d}"
        return super().get_filename()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.as_of:
            context["as_of"] = self.as_of
            context["as_of_note"] = self.as_of_note % {"date": self.as_of.isoformat()}
        return context
