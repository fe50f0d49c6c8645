"""The classification codes' admin area (JR/T 0169-2018 and the bank's own sub-codes), in the
question bank's menu: the list in tree order, with each code's path, filters by dimension,
standard and in use, search by key and name. The rules of adding, editing and deleting are
``quizzes.services.classification``; the form applies them (``ClassificationCodeForm``)."""

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusFlagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..forms import ClassificationCodeForm
from ..models import ClassificationCode
from ..services.classification import (
    SEPARATOR,
    code_label,
    deletion_blocker,
    grouped_choices,
    tagged_with,
    tree_key,
)

PATH_SEPARATOR = " › "


def code_choices():
    """Every code (active or not: old content keeps its tags) by key, grouped by dimension."""
    codes = ClassificationCode.objects.all()
    return [
        (group, [(label.strip().split(" ", 1)[0], label) for _pk, label in choices])
        for group, choices in grouped_choices(codes)
    ]


class ClassificationCodeFilter(django_filters.ChoiceFilter):
    """A listing filter by code: the content tagged with the code or any of its sub-codes
    (``?classification_code=C.5`` finds content tagged C.5.1 too)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Classification code"))
        kwargs.setdefault("choices", code_choices)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return tagged_with(qs, [value], field=self.field_name)


def codes_column(label=None):
    """The content's codes (keys) in a listing; the queryset prefetches them."""
    return Column(
        "classification_codes",
        label=label or _("Codes"),
        accessor=lambda obj: ", ".join(
            sorted((code.code for code in obj.classification_codes.all()), key=tree_key)
        ),
    )


def flag(name, true_label, false_label):
    return StatusFlagColumn(
        name,
        label=ClassificationCode._meta.get_field(name).verbose_name,
        sort_key=name,
        true_label=true_label,
        false_label=false_label,
    )


class CodeIndexView(generic.IndexView):
    """The codes in tree order (``C.2`` before ``C.10``, sub-codes under their parent) unless
    the user sorts by a column: the lists are short (a few hundred codes), one page."""

    @cached_property
    def names(self):
        return dict(ClassificationCode.objects.values_list("code", "name"))

    def path(self, code):
        parts = code.code.split(SEPARATOR)
        keys = [SEPARATOR.join(parts[:end]) for end in range(2, len(parts) + 1)]
        return PATH_SEPARATOR.join(self.names.get(key, key) for key in keys)

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "code",
                label=ClassificationCode._meta.get_field("code").verbose_name,
                accessor=code_label,
                sort_key="code",
                get_url=self.get_edit_url,
            ),
            Column("path", label=_("Path"), accessor=self.path),
            self._get_custom_column("dimension"),
            flag("standard", _("Standard"), _("Bank's own")),
            flag("is_active", _("In use"), _("Not in use")),
        ]

    def paginate_queryset(self, queryset, page_size):
        if not self.request.GET.get("ordering"):
            queryset = sorted(queryset, key=lambda code: (code.dimension, tree_key(code.code)))
        return super().paginate_queryset(queryset, page_size)


class CodeDeleteView(generic.DeleteView):
    """Deletes a code of the bank's own that nothing refers to, or says why not (a code of the
    standard, tagged content, sub-codes, complaints)."""

    template_name = "quizzes/admin/confirm_delete.html"

    @cached_property
    def blocked_message(self):
        return deletion_blocker(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.blocked_message:
            context["is_protected"] = True
            context["blocked_message"] = self.blocked_message
        return context

    def form_valid(self, form):
        if self.blocked_message:
            return self.get(self.request)
        return super().form_valid(form)


class ClassificationCodeViewSet(ModelViewSet):
    model = ClassificationCode
    icon = "list-ul"
    menu_label = _("Classification codes")
    url_prefix = "quizzes/classification-codes"
    name = "classification_codes"
    index_view_class = CodeIndexView
    delete_view_class = CodeDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_filter = ["dimension", "standard", "is_active"]
    search_fields = ["code", "name"]
    search_backend_name = None
    list_per_page = 1000
    edit_handler = ObjectList(
        [
            FieldPanel("parent"),
            FieldPanel("code"),
            FieldPanel("name"),
            FieldPanel("sort_order"),
            FieldPanel("is_active"),
        ],
        base_form_class=ClassificationCodeForm,
    )
