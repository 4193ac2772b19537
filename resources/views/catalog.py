from django.http import Http404


def resource_list(request, *args, **kwargs):
    raise Http404


def resource_new(request, *args, **kwargs):
    raise Http404


def resource_import(request, *args, **kwargs):
    raise Http404


def resource_import_status(request, *args, **kwargs):
    raise Http404


def stale_list(request, *args, **kwargs):
    raise Http404


def duplicate_list(request, *args, **kwargs):
    raise Http404


def resource_detail(request, *args, **kwargs):
    raise Http404


def resource_edit(request, *args, **kwargs):
    raise Http404


def resource_action(request, *args, **kwargs):
    raise Http404
