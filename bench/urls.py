"""The app's own URLs plus one trivial view, for bench/speed.py only (bench/settings.py).

The trivial view goes through the same middleware as every page and does nothing else: its
throughput is the ceiling the framework and server allow on this machine.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cledss.urls import urlpatterns as app_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *app_urlpatterns]
