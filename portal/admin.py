from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.models import Attachment, Membership, Organization, TimelineEvent, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("门户", {"fields": ("full_name", "phone")}))
    list_display = ["username", "full_name", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]


@admin.register(Organization)
class OrganizationAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "level", "district", "uscc", "is_active"]
    list_filter = ["kind", "level", "district", "is_active"]
    search_fields = ["name", "short_name", "uscc"]
    autocomplete_fields = ["parent"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    """Read-only: the timeline is append-only."""

    list_display = ["created_at", "content_type", "object_id", "action", "from_state", "to_state", "actor"]
    list_filter = ["content_type", "action"]
    list_select_related = ["content_type", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "object_id", "size", "sha256", "uploaded_by", "uploaded_at"]
    list_select_related = ["content_type", "uploaded_by"]
    readonly_fields = ["sha256", "size", "mime_type", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False  # uploads go through attachment_create, which checks the file
