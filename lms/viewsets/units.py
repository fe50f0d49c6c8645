"""Organisation units (branch → sub-branch → outlet) in the training menu: the tree in order,
placed and moved by the form, never deleted while staff or evidence refer to them."""

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from lms.models import OrgUnit, StaffProfile
from lms.services.scope import ScopedQuerysetMixin
from lms.viewsets.base import ProtectedDeleteView, TrainingViewSet, flag_column, title_column
from lms.viewsets.forms import OrgUnitForm, unit_path_labels


class OrgUnitDeleteView(ScopedQuerysetMixin, ProtectedDeleteView):
    def delete_targets(self):
        # treebeard deletes the whole subtree.
        return OrgUnit.objects.filter(path__startswith=self.object.path)

    def blocked_message(self, error):
        staff = StaffProfile.objects.filter(org_unit__path__startswith=self.object.path).count()
        if staff:
            return _(
                "“%(unit)s” cannot be deleted: %(count)d staff members belong to it or to a unit "
                "below it. Move them to another unit first, or mark this unit inactive."
            ) % {"unit": self.object, "count": staff}
        return _(
            "“%(unit)s” cannot be deleted: assignments or completion records are credited to it "
            "or to a unit below it, and they are kept as evidence. Mark the unit inactive instead."
        ) % {"unit": self.object}


class OrgUnitIndexView(ScopedQuerysetMixin, generic.IndexView):
    """The tree in order, each unit indented under its parent and with its full path."""

    default_ordering = "path"

    @cached_property
    def path_labels(self):
        return unit_path_labels()

    @staticmethod
    def indented_name(unit):
        if unit.depth <= 1:
            return unit.name
        return "\u3000" * (unit.depth - 2) + "└ " + unit.name

    @cached_property
    def columns(self):
        return [
            title_column(
                self,
                "name",
                label=pgettext_lazy("org unit", "name"),
                accessor=self.indented_name,
                sort_key="path",
            ),
            Column(
                "full_path",
                label=gettext_lazy("Full path"),
                accessor=lambda unit: self.path_labels.get(unit.path, unit.name),
            ),
            Column("code", label=gettext_lazy("code"), sort_key="code"),
            Column("kind", label=gettext_lazy("kind"), accessor="get_kind_display"),
            flag_column(OrgUnit, "is_active", gettext_lazy("In use"), gettext_lazy("Not in use")),
        ]


class OrgUnitEditView(ScopedQuerysetMixin, generic.EditView):
    pass


class OrgUnitViewSet(TrainingViewSet):
    model = OrgUnit
    name = "lms_orgunit"
    url_prefix = "training/units"
    icon = "site"
    menu_label = gettext_lazy("Organisation units")
    index_view_class = OrgUnitIndexView
    edit_view_class = OrgUnitEditView
    delete_view_class = OrgUnitDeleteView
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    list_per_page = 100
    edit_handler = ObjectList(
        [
            FieldPanel("parent"),
            FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("is_active")]),
        ],
        base_form_class=OrgUnitForm,
    )
