"""Views for the page cache's tests (crowdsci.core.pagecache): each counts how often it really ran."""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_protect

RUNS: dict[str, int] = {}

PAGE = Template(
    '<body hx-headers=\'{"X-CSRFToken": "{{ csrf_token }}"}\'>'
    "<p>{{ language }} {{ runs }} {{ htmx }}</p>"
    '<form method="post" action="/post/">{% csrf_token %}<button>go</button></form></body>'
)


def _ran(name: str) -> int:
    RUNS[name] = RUNS.get(name, 0) + 1
    return RUNS[name]


def page(request):
    runs = _ran("page")
    # The site's pages get csrf_token from the context processor (one token per rendering); the same here, without
    # the site's other context processors, which need the apps' URLs.
    return HttpResponse(PAGE.render(Context({"language": get_language(), "runs": runs, "csrf_token": get_token(request),
                                             "htmx": request.headers.get("HX-Request", "")})))


def with_message(request):
    _ran("with_message")
    messages.info(request, "Saved.")
    return HttpResponse("a message is waiting")


def private(request):
    _ran("private")
    response = HttpResponse("for one person")
    response["Cache-Control"] = "private"
    return response


def not_found(request):
    _ran("not_found")
    return HttpResponse("missing", status=404)


def data(request):
    return JsonResponse({"runs": _ran("data")})


@csrf_protect
def post(request):
    return HttpResponse("posted")


urlpatterns = [
    path("page/", page, name="cached-page"),
    path("unlisted/", page, name="unlisted-page"),
    path("message/", with_message, name="cached-message"),
    path("private/", private, name="cached-private"),
    path("missing/", not_found, name="cached-missing"),
    path("data.json", data, name="cached-data"),
    path("post/", post, name="post"),
]
