from django.conf import settings
from django.utils.translation import gettext as _

from portal.access import scope_for


def portal(request):
    user = getattr(request, "user", None)
    scope = scope_for(user) if user is not None else None
    return {
        "portal_name": _("信息化促进门户"),
        "portal_scope": scope,
        "is_official": bool(scope and scope.is_staff_official),
        "support_contact": settings.PORTAL_SUPPORT_CONTACT or _("本单位的门户管理员"),
    }
