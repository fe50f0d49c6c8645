from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from lms.forms import StaffLoginForm
from lms.services.learning.home import learner_home
from lms.services.reminders.notifications import unread_count
from lms.services.scope import is_manager


class LoginView(auth_views.LoginView):
    template_name = "lms/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def home(request):
    """The site root: learners go to their learner home, visitors to the login page."""
    if not request.user.is_authenticated:
        return redirect_to_login("/")
    return redirect("lms:learn")


@never_cache
@login_required
def learn(request):
    """The learner home ("我的学习"): what is overdue, due soon, in progress and done, hours
    earned this year and my recent records. Only the logged-in user's own data."""
    context = {
        "home": learner_home(request.user, request=request),
        "manages": is_manager(request.user),  # shows the 团队进度 link
        "unread_notifications": unread_count(request.user),
    }
    return TemplateResponse(request, "lms/learn.html", context)
