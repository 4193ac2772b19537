from django.contrib import admin

from enforcement.models import Case, Finding, Inspection, PerformanceEvaluation, Sanction, ServiceEvaluation
from portal.admin import ReadOnlyAdmin


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["title", "party", "article_breached", "sanctioning_article", "status", "detected_at"]
    list_filter = ["status", "rule"]
    list_select_related = ["party"]


class SanctionInline(admin.TabularInline):
    model = Sanction
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "party_organization",
        "party_person_name",
        "sanctioning_article",
        "status",
        "registered_on",
    ]
    list_filter = ["status", "sanctioning_article"]
    list_select_related = ["party_organization"]
    search_fields = ["number"]
    inlines = [SanctionInline]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["area", "subject", "planned_on", "conducted_on"]
    list_select_related = ["subject"]


@admin.register(PerformanceEvaluation)
class PerformanceEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["year", "agency", "score", "published"]
    list_select_related = ["agency"]


@admin.register(ServiceEvaluation)
class ServiceEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["year", "enterprise", "score", "grade", "published_at"]
    list_select_related = ["enterprise"]
