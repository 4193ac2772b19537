"""Violation detectors of Chapter 3, registered from ResourcesConfig.ready() (DESIGN.md "Findings").

- Art. 17 -> Art. 46(1): collecting again, without a justification the authority accepts, information the
  catalog already holds. Offenders: submitted or published resources whose duplicate-collection
  justification the authority found unfounded (partial index ``res_duplicates_idx``).
- Art. 21 (国发〔2016〕51号): a provider letting the 10-working-day reply period pass is recorded by the
  deadline engine as an overdue ``sharing_reply`` deadline, which enforcement reads from the deadlines.
"""

from django.utils.translation import gettext_noop

from portal.detectors import Detector, register


def _duplicate_offenders():
    from resources.models import CatalogResource, JustificationStatus, ResourceStatus

    return (
        CatalogResource.objects.filter(
            has_duplicates=True,
            justification_status=JustificationStatus.REJECTED,
            status__in=(ResourceStatus.SUBMITTED, ResourceStatus.PUBLISHED),
        )
        .select_related("provider")
        .order_by("-submitted_at", "-id")
    )


def _duplicate_evidence(resource) -> str:
    names = "、".join(m.get("name", "") for m in resource.duplicate_matches[:3])
    return (
        f"{resource.provider.name}登记的“{resource.name}”与已发布资源（{names}）重复采集，"
        f"所述理由经审核不成立：{resource.duplicate_justification[:200]}"
    )


DUPLICATE_COLLECTION = Detector(
    rule="art17-duplicate-collection",
    title=gettext_noop("没有正当理由重复采集政务信息资源目录内的信息"),
    article_breached="17",
    sanctioning_article="46(1)",
    offenders=_duplicate_offenders,
    party=lambda resource: resource.provider,
    evidence=_duplicate_evidence,
)


def register_all() -> None:
    register(DUPLICATE_COLLECTION)
