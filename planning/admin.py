from django.contrib import admin

from planning.models import Achievement, Commendation, Plan, PlanVersion, StaffDevelopmentRecord, Standard
from portal.admin import ReadOnlyAdmin


# Every write goes through the services (timeline, deadlines, notifications): the admin only reads.
@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "organization", "status", "published_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "note", "created_at"]


@admin.register(Standard)
class StandardAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "category", "status", "effective_on", "withdrawn_on"]
    list_filter = ["category", "status"]
    search_fields = ["code", "title"]


@admin.register(StaffDevelopmentRecord)
class StaffDevelopmentRecordAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "kind", "held_on", "participants"]
    list_filter = ["kind", "year"]


@admin.register(Commendation)
class CommendationAdmin(ReadOnlyAdmin):
    list_display = ["title", "awardee_kind", "conferred_on", "published_at"]


@admin.register(Achievement)
class AchievementAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "category", "showcased_on", "published_at"]
