"""Chapters 6-7 at city scale: 10,000 penalty cases against the scaled organizations."""

from portal.scale import ScalePlan, clone_rows, register

TAG_CASE = 0x401
CASES = 10_000


@register("penalty cases", order=50)
def cases(plan: ScalePlan) -> int:
    """Copies of the demo cases (every state); the party, when an organization, is spread over all."""
    parties = plan.organizations("agency", "public_enterprise", "contractor")
    return clone_rows(
        "enforcement_case",
        tag=TAG_CASE,
        target=plan.n(CASES),
        overrides={
            "number": "s.number || '-' || g",
            "party_organization_id": "CASE WHEN s.party_organization_id IS NULL THEN NULL "
            "ELSE (%(parties)s::bigint[])[1 + (g - 1) %% %(n)s] END",
            "registered_on": "s.registered_on - (g %% 700)::int",
            "created_at": "now() - (g %% 700) * interval '1 day'",
            "updated_at": "now()",
        },
        params={"parties": parties, "n": len(parties)},
    )
