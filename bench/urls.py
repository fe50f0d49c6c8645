"""The reference site's URLs plus a bare view (``/bench/bare/``) and a bare page
(``/bench/bare-page/``), for bench/server_settings.py."""

from django.http import HttpResponse, HttpResponseForbidden
from django.urls import path

from config.urls import handler500  # noqa: F401 - the site's error page, as Django looks it up
from config.urls import urlpatterns as site_urlpatterns

# A phone's floor for Largest Contentful Paint (bench/lcp.py): one HTML document, no stylesheet,
# script, font or image, its largest element a paragraph of text. In Chinese like the demo's
# lessons, so the browser picks the same fallback font; not translated: only the benchmark's
# browser reads it.
BARE_PAGE = """<!DOCTYPE html>
<html lang="zh-hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bare page</title>
</head>
<body>
<p>这是一个空白页面：只有一段文字，没有样式表、脚本、字体或图片。学员的课时页面在限速的手机上与它比较。</p>
</body>
</html>
"""


def bare(request):
    """The cheapest answer the stack can give: every middleware, no query of its own."""
    return HttpResponse("ok")


def bare_page(request):
    """The cheapest visible page of a logged-in learner: the session and its user are loaded
    (403 without them), then a fixed HTML document."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    return HttpResponse(BARE_PAGE)


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare-page/", bare_page, name="bench_bare_page"),
    *site_urlpatterns,
]
