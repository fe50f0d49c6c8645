"""First-login activation codes at /admin/activation-codes/: the officer picks a unit, sees who
in it (and below it) cannot sign in yet, and issues them one-time codes; the answer is the
printable slips (A4, one per person), the only place the codes ever appear in clear. The rules
are in ``lms.services.identity.activation``."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from lms.conf import app_settings
from lms.services.identity import activation


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = activation.issuable_units(user).order_by("path")
        self.fields["unit"].label_from_instance = lambda unit: (
            f"{'— ' * (unit.depth - 1)}{unit.name} ({unit.code})"
        )


class IssuePermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not activation.may_issue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def sign_in_address(request):
    """Where the slip sends people: the activation page, on the address the officer uses."""
    try:
        return request.build_absolute_uri(reverse("lms_site:activate"))
    except NoReverseMatch:  # a host site without lms.site_urls
        return request.build_absolute_uri("/")


class ActivationCodesView(IssuePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: choose a unit and see who awaits activation. POST: issue codes (to everyone listed,
    or to those ticked) and answer with the slips to print."""

    template_name = "lms/admin/activation_codes.html"
    page_title = gettext_lazy("Activation codes")
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        form = UnitForm(self.request.GET or None, user=self.request.user)
        unit = form.cleaned_data["unit"] if form.is_valid() else None
        people, codes, history = [], {}, []
        if unit is not None:
            people = list(activation.awaiting_activation(unit))
            codes = activation.open_codes(person.pk for person in people)
            history = activation.history(unit)
        rows = [(person, codes.get(person.pk)) for person in people]
        return super().get_context_data(
            form=form,
            unit=unit,
            rows=rows,
            history=history,
            now=timezone.now(),
            code_days=app_settings.LMS_ACTIVATION_CODE_DAYS,
            **kwargs,
        )

    def post(self, request):
        form = UnitForm(request.POST, user=request.user)
        if not form.is_valid():
            context = self.get_context_data()
            context["form"] = form
            return self.render_to_response(context, status=400)
        staff_ids = None
        unit = form.cleaned_data["unit"]
        if request.POST.get("scope") == "selected":
            staff_ids = [value for value in request.POST.getlist("staff") if value.isdigit()]
            if not staff_ids:
                messages.warning(request, _("Select the people to issue codes to."))
                return redirect(f"{reverse('lms_activation:index')}?unit={unit.pk}")
        issued = activation.issue_codes(unit, issued_by=request.user, staff_ids=staff_ids)
        context = {
            "unit": unit,
            "issued": issued,
            "address": sign_in_address(request),
            "back_url": f"{reverse('lms_activation:index')}?unit={unit.pk}",
        }
        response = render(request, "lms/admin/activation_slips.html", context)
        response["Cache-Control"] = "no-store"  # the codes in clear: never kept by a cache
        return response


class IssueMenuItem(MenuItem):
    def is_shown(self, request):
        return activation.may_issue(request.user)


class ActivationCodesViewSet(ViewSet):
    name = "lms_activation"
    url_prefix = "activation-codes"
    add_to_admin_menu = True
    menu_label = gettext_lazy("Activation codes")
    menu_name = "activation-codes"
    menu_icon = "key"
    menu_order = 265
    menu_item_class = IssueMenuItem

    def get_urlpatterns(self):
        return [path("", ActivationCodesView.as_view(), name="index")]
