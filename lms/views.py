from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from courses.services import catalog_for_request

from .forms import StaffLoginForm


class LoginView(auth_views.LoginView):
    template_name = "lms/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def home(request):
    """The site root: learners go to their courses (the learner home arrives with plans)."""
    if not request.user.is_authenticated:
        return redirect_to_login("/")
    catalog = catalog_for_request(request)
    if catalog is not None:
        return redirect(catalog.get_url(request))
    return redirect("wagtailadmin_home")
