from django.http import Http404


def sharing_new(request, *args, **kwargs):
    raise Http404


def sharing_list(request, *args, **kwargs):
    raise Http404


def sharing_detail(request, *args, **kwargs):
    raise Http404


def sharing_action(request, *args, **kwargs):
    raise Http404


def grant_revoke(request, *args, **kwargs):
    raise Http404
