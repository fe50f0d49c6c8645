"""Snippet choosers that only answer people who may work with the model.

Wagtail's generic chooser views (``/admin/snippets/choose/<app>/<model>/``: the modal, its
search results, ``chosen/<pk>/`` and ``chosen-multiple/``) check nothing beyond admin access:
any admin user (a manager who only reads training reports) could page through the question
bank or read any question's text by id. These refuse (``PermissionDenied``) a user without at
least one of the model's add, change, delete or view permissions; Trainers and Officers have
them through ``lms.services.roles``."""

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)

CHOOSER_ACTIONS = ["add", "change", "delete", "view"]


def may_choose(user, model):
    """Whether ``user`` may see ``model``'s objects in a chooser."""
    policy = policy_registry.get_by_type(model) or ModelPermissionPolicy(model)
    return policy.user_has_any_permission(user, CHOOSER_ACTIONS)


class ChooserPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_choose(request.user, self.model_class):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CheckedChooseView(ChooserPermissionMixin, ChooseView):
    pass


class CheckedChooseResultsView(ChooserPermissionMixin, ChooseResultsView):
    pass


class CheckedChosenView(ChooserPermissionMixin, SnippetChosenView):
    pass


class CheckedChosenMultipleView(ChooserPermissionMixin, SnippetChosenMultipleView):
    pass


class CheckedCreateView(ChooserPermissionMixin, SnippetCreateView):
    pass


class PermissionCheckedChooserViewSet(SnippetChooserViewSet):
    """``chooser_viewset_class`` of the question bank's snippets (see the module docstring)."""

    choose_view_class = CheckedChooseView
    choose_results_view_class = CheckedChooseResultsView
    chosen_view_class = CheckedChosenView
    chosen_multiple_view_class = CheckedChosenMultipleView
    create_view_class = CheckedCreateView
