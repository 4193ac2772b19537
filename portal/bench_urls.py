"""The portal's URLs plus the bare Django view the throughput benchmark compares every page with."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

BARE_PAGE = b"<!doctype html><html><head><title>bench</title></head><body><p>bare</p></body></html>"


def bare(request):
    return HttpResponse(BARE_PAGE)


urlpatterns = [path("_bench/bare/", bare), *portal_urlpatterns]
