"""The open part of the catalog, for the public without logging in (Art. 22), and its DCAT-AP JSON-LD."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from resources.selectors import public_items, resources_visible_to
from resources.views.catalog import catalog_page


def open_catalog(request):
    return catalog_page(
        request,
        resources_visible_to(AnonymousUser()),
        template="resources/open_catalog.html",
        extra={"public": True},
    )


def open_resource(request, uuid):
    resource = resources_visible_to(AnonymousUser()).filter(uuid=uuid).first()
    if resource is None:
        raise Http404("该信息资源不在开放目录中。")
    return render(request, "resources/open_resource.html", {"resource": resource, "items": public_items(resource)})


@cache_control(public=True, max_age=600)
def open_catalog_dcat(request):
    """DCAT-AP 2 JSON-LD of the open catalog, at a stable URL for re-use (Art. 22)."""
    from resources.dcat import open_catalog_jsonld  # rdflib (17 MB) is loaded for this page only

    return HttpResponse(open_catalog_jsonld(request), content_type="application/ld+json; charset=utf-8")
