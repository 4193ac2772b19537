from django.http import Http404


def open_catalog(request, *args, **kwargs):
    raise Http404


def open_catalog_dcat(request, *args, **kwargs):
    raise Http404


def open_resource(request, *args, **kwargs):
    raise Http404
