"""Chapter 2 at city scale: 100,000 project filings across 500 agencies, every district and state."""

from portal.scale import ScalePlan, clone_rows, register

TAG_FILING = 0x101
FILINGS = 100_000


@register("project filings", order=20)
def filings(plan: ScalePlan) -> int:
    """Copies of the demo filings (so every workflow state appears in the demo's proportions) spread
    round-robin over 500 agencies (the demo agencies first); level and district follow the agency,
    creation dates over the last three years, review due dates around today."""
    agencies = plan.filing_agencies()
    return clone_rows(
        "projects_projectfiling",
        tag=TAG_FILING,
        target=plan.n(FILINGS),
        joins="JOIN portal_organization a ON a.id = (%(agencies)s::bigint[])[1 + (g - 1) %% %(na)s]",
        overrides={
            "agency_id": "a.id",
            "level": "a.level",
            "district": "a.district",
            "title": "s.title || '（' || g || '）'",
            "opinion_number": "CASE WHEN s.opinion_number = '' THEN '' ELSE s.opinion_number || '-' || g END",
            "review_due_date": "CASE WHEN s.review_due_date IS NULL THEN NULL "
            "ELSE current_date + (g %% 60)::int - 20 END",
            "created_at": "now() - (g %% 1100) * interval '1 day' - (g %% 97) * interval '1 minute'",
            "updated_at": "now()",
        },
        params={"agencies": agencies, "na": len(agencies)},
    )
