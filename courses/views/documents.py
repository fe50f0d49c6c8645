"""Course documents (Wagtail documents in lessons): who may download them."""

from django.contrib.auth.views import redirect_to_login


def require_login_for_document(document, request):
    """``before_serve_document`` hook: course documents are for logged-in staff only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None
