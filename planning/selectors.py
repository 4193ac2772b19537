"""Permissioned reads of plans, standards and the Art. 28/40 records. Scope in SQL; no per-row checks."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from planning.models import Achievement, Commendation, Plan, PlanStatus, PlanVersion, StaffDevelopmentRecord, Standard
from planning.rules import DevelopmentKind, StandardStatus, development_minimum_per_year
from portal.access import organization_scope_q, scope_for
from portal.models import Attachment, Organization, OrganizationKind

# --- plans (Art. 6)


def plans_visible_to(user) -> QuerySet[Plan]:
    """Published plans to everyone; drafts to the drafting unit's scope (the city authority sees all)."""
    qs = Plan.objects.select_related("organization", "conforms_to", "published_version")
    if not user.is_authenticated:
        return qs.filter(status=PlanStatus.PUBLISHED)
    scope = scope_for(user)
    if scope.city_wide:
        return qs
    return qs.filter(Q(status=PlanStatus.PUBLISHED) | organization_scope_q(user, prefix="organization__"))


def plan_get_for(*, user, uuid) -> Plan:
    try:
        return plans_visible_to(user).get(uuid=uuid)
    except (Plan.DoesNotExist, ValueError) as exc:
        raise Http404("未找到该规划。") from exc


def published_plans() -> QuerySet[Plan]:
    """What the public reads (Art. 6: 公布实施): only plans whose publication is recorded."""
    return (
        Plan.objects.filter(status=PlanStatus.PUBLISHED)
        .select_related("organization", "conforms_to", "published_version")
        .order_by("-published_on", "-id")
    )


def published_plan_get(*, uuid) -> Plan:
    try:
        return published_plans().get(uuid=uuid)
    except (Plan.DoesNotExist, ValueError) as exc:
        raise Http404("未找到该规划。") from exc


def city_plans_to_conform_to() -> QuerySet[Plan]:
    """Art. 6 paras. 2-3: district and departmental plans follow the published city plan."""
    return Plan.objects.filter(kind="city", status=PlanStatus.PUBLISHED).order_by("-period_start", "id")


def plan_versions(plan: Plan) -> list[PlanVersion]:
    """The plan's versions, newest first, each with its documents (two queries whatever the count)."""
    versions = list(PlanVersion.objects.filter(plan=plan).select_related("created_by").order_by("-number"))
    documents = defaultdict(list)
    if versions:
        content_type = ContentType.objects.get_for_model(PlanVersion)
        for attachment in Attachment.objects.filter(
            content_type=content_type, object_id__in=[v.pk for v in versions]
        ).order_by("uploaded_at", "id"):
            documents[attachment.object_id].append(attachment)
    for version in versions:
        version.documents = documents[version.pk]
    return versions


def published_version_documents(plan: Plan) -> list[Attachment]:
    if plan.published_version_id is None:
        return []
    content_type = ContentType.objects.get_for_model(PlanVersion)
    return list(
        Attachment.objects.filter(content_type=content_type, object_id=plan.published_version_id).order_by(
            "uploaded_at", "id"
        )
    )


def public_plan_document_get(*, uuid) -> Attachment:
    """A document of the published version of a published plan; 404 for anything else (drafts stay private)."""
    content_type = ContentType.objects.get_for_model(PlanVersion)
    published_versions = Plan.objects.filter(status=PlanStatus.PUBLISHED).values("published_version_id")
    try:
        return Attachment.objects.get(uuid=uuid, content_type=content_type, object_id__in=published_versions)
    except (Attachment.DoesNotExist, ValueError) as exc:
        raise Http404("未找到该文件。") from exc


def plan_versions_visible_to(user) -> QuerySet[PlanVersion]:
    """Attachment downloads of versions follow the plan's visibility."""
    return PlanVersion.objects.filter(plan__in=plans_visible_to(user).values("pk"))


# --- standards (Art. 7)


def standards_search(*, q: str = "", category: str = "", status: str = "") -> QuerySet[Standard]:
    """The public register, searched by code or title. The register is small (thousands), so a scan is fine."""
    qs = Standard.objects.select_related("replaced_by").order_by("code")
    if q:
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(title__icontains=q.strip()))
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    return qs


def standard_get(*, uuid) -> Standard:
    try:
        return Standard.objects.select_related("replaced_by").get(uuid=uuid)
    except (Standard.DoesNotExist, ValueError) as exc:
        raise Http404("未找到该标准。") from exc


def standards_by_code(codes) -> dict[str, Standard]:
    return {s.code: s for s in Standard.objects.filter(code__in=list(codes))}


def current_standards() -> QuerySet[Standard]:
    return Standard.objects.filter(status=StandardStatus.CURRENT).order_by("code")


# --- training and assessments (Arts. 28, 40)


def development_records_visible_to(user) -> QuerySet[StaffDevelopmentRecord]:
    if not user.is_authenticated:
        return StaffDevelopmentRecord.objects.none()
    return StaffDevelopmentRecord.objects.select_related("organization").filter(
        organization_scope_q(user, prefix="organization__")
    )


def agencies_in_scope(user) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(organization_scope_q(user), kind=OrganizationKind.AGENCY, is_active=True)


def development_summary(user, *, year: int) -> QuerySet[Organization]:
    """Per agency in scope, that year's training sessions, participant-hours and assessments (one query)."""
    in_year = Q(staff_development_records__year=year)
    training = in_year & Q(staff_development_records__kind=DevelopmentKind.TRAINING)
    assessment = in_year & Q(staff_development_records__kind=DevelopmentKind.ASSESSMENT)
    return (
        agencies_in_scope(user)
        .annotate(
            training_count=Count("staff_development_records", filter=training),
            training_participants=Sum("staff_development_records__participants", filter=training, default=0),
            assessment_count=Count("staff_development_records", filter=assessment),
            assessed=Sum("staff_development_records__participants", filter=assessment, default=0),
            assessment_passed=Sum("staff_development_records__passed", filter=assessment, default=0),
        )
        .order_by("level", "district", "name", "id")
    )


def agencies_missing_development(user, *, year: int) -> QuerySet[Organization]:
    """Agencies that held fewer trainings (Art. 28) or assessments (Art. 40) than the yearly minimum."""
    minimum = development_minimum_per_year()
    return development_summary(user, year=year).filter(Q(training_count__lt=minimum) | Q(assessment_count__lt=minimum))


# --- commendations and achievements (Arts. 8, 31)


def published_commendations() -> QuerySet[Commendation]:
    return (
        Commendation.objects.filter(published_at__isnull=False)
        .select_related("organization")
        .order_by("-conferred_on", "-id")
    )


def published_achievements() -> QuerySet[Achievement]:
    return (
        Achievement.objects.filter(published_at__isnull=False)
        .select_related("organization")
        .order_by("-showcased_on", "-id")
    )


def commendations_for_staff() -> QuerySet[Commendation]:
    return Commendation.objects.select_related("organization").order_by("-conferred_on", "-id")


def achievements_for_staff() -> QuerySet[Achievement]:
    return Achievement.objects.select_related("organization").order_by("-showcased_on", "-id")
