"""Course documents (Wagtail documents in lessons): who may download them."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from courses.services.documents import may_download


def require_login_for_document(document, request):
    """``before_serve_document`` hook: documents are for logged-in staff who may read a live
    page linking them, or who may manage them in the admin (``courses.services.documents``);
    anyone else gets a 404, as for a document that does not exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_download(request.user, document):
        raise Http404
    return None
