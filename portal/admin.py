from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from portal.models import (
    Attachment,
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineKind,
    DeadlineReminder,
    Membership,
    Notification,
    NotificationPreference,
    Organization,
    TimelineEvent,
    User,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only services write (append-only history, the calendar, deadlines)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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

    def get_readonly_fields(self, request, obj=None):
        # An organization's level and district are copied into its filings, systems, gradings, disclosure
        # applications and deadlines, whose scope and lists read the copies: set when it is created, then
        # fixed (``organization_update`` does not edit them either).
        fixed = ["level", "district"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    """Read-only: the timeline is append-only."""

    list_display = ["created_at", "content_type", "object_id", "action", "from_state", "to_state", "actor"]
    list_filter = ["content_type", "action"]
    list_select_related = ["content_type", "actor"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "object_id", "size", "sha256", "uploaded_by", "uploaded_at"]
    list_select_related = ["content_type", "uploaded_by"]
    readonly_fields = ["sha256", "size", "mime_type", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False  # uploads go through attachment_create, which checks the file


# --- Working-day calendar, deadlines, notifications ------------------------------------------------


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ["day", "is_working_day", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["day"]

    def get_queryset(self, request):
        # Only the exceptions: holidays on weekdays and make-up working weekends, plus noted days.
        return super().get_queryset(request).exclude(note="")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Loaded years; a year is loaded (or replaced) from the State Council notice with "导入年度日历"."""

    list_display = ["year", "source", "note", "loaded_at", "loaded_by"]
    readonly_fields = ["year", "source", "note", "loaded_at", "loaded_by"]
    inlines = [CalendarDayInline]
    change_list_template = "deadlines/admin_calendar_changelist.html"

    def has_add_permission(self, request):
        return False  # through the upload, which writes every day of the year

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="portal_calendaryear_upload"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        from portal.workdays import loaded_years, years_label

        extra_context = {**(extra_context or {}), "loaded_years": years_label(loaded_years())}
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        from portal.forms.deadlines import CalendarUploadForm
        from portal.services import calendar_csv_parse, calendar_year_load
        from portal.services.calendar import CSV_HELP

        if not request.user.has_perm("portal.add_calendarday"):
            raise PermissionDenied
        form = CalendarUploadForm(request.POST or None, request.FILES or None)
        row_errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            try:
                entries = calendar_csv_parse(form.cleaned_data["text"], year=year)
            except ValidationError as exc:
                row_errors = exc.messages
            else:
                calendar_year_load(
                    year=year, entries=entries, actor=request.user, note=form.cleaned_data.get("note", "")
                )
                messages.success(request, f"已载入 {year} 年工作日历（{len(entries)} 个节假日或调休日）。")
                return redirect(reverse("admin:portal_calendaryear_change", args=[year]))
        context = {
            **self.admin_site.each_context(request),
            "title": "导入年度工作日历",
            "form": form,
            "row_errors": row_errors,
            "csv_help": CSV_HELP,
            "opts": self.model._meta,
        }
        return render(request, "deadlines/admin_calendar_upload.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "is_working_day", "note", "year"]
    list_filter = ["is_working_day", "year"]
    search_fields = ["note"]
    date_hierarchy = "day"


@admin.register(DeadlineKind)
class DeadlineKindAdmin(admin.ModelAdmin):
    """The reminder plan of each kind; rows are created from settings.DEADLINE_KINDS."""

    list_display = ["code", "label", "legal_basis", "reminder_offsets", "reminder_unit", "on_due", "updated_at"]
    list_filter = ["reminder_unit", "on_due"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False  # add kinds in settings.DEADLINE_KINDS


class DeadlineReminderInline(admin.TabularInline):
    model = DeadlineReminder
    fields = ["stage", "scheduled_for", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    """Read-only: deadlines change only through their services."""

    list_display = ["title", "kind", "organization", "due_date", "state", "next_action_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["kind", "organization"]
    search_fields = ["title", "uuid"]
    date_hierarchy = "due_date"
    inlines = [DeadlineReminderInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_state", "attempts"]
    list_filter = ["kind", "email_state"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_email"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="重新发送邮件")
    def retry_email(self, request, queryset):
        from portal.models import EmailState
        from portal.services.notifications import notifications_send_email

        ids = list(queryset.filter(email_state=EmailState.FAILED).values_list("pk", flat=True))
        counts = notifications_send_email(ids)
        messages.info(request, f"已重试 {len(ids)} 封：{counts}")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email", "digest"]
    list_filter = ["kind", "email", "digest"]
    list_select_related = ["user"]
