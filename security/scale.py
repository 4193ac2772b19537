"""Chapter 5 at city scale: 200,000 information systems, each with its grading filing."""

from portal.scale import ScalePlan, clone_rows, register, scaled_range

TAG_SYSTEM = 0x201
TAG_GRADING = 0x202
SYSTEMS = 200_000


@register("information systems", order=30)
def systems(plan: ScalePlan) -> int:
    """Copies of the demo systems run by the agencies and public enterprises (demo first), district
    from the operator, no current filing yet (set by the gradings)."""
    operators = plan.organizations("agency", "public_enterprise")
    return clone_rows(
        "security_informationsystem",
        tag=TAG_SYSTEM,
        target=plan.n(SYSTEMS),
        joins="JOIN portal_organization o ON o.id = (%(ops)s::bigint[])[1 + (g - 1) %% %(n)s]",
        overrides={
            "operator_id": "o.id",
            "district": "o.district",
            "name": "s.name || '（' || g || '）'",
            "project_filing_id": "NULL",
            "current_filing_id": "NULL",
            "created_at": "now() - (g %% 1500) * interval '1 day'",
            "updated_at": "now()",
        },
        params={"ops": operators, "n": len(operators)},
    )


@register("grading filings", order=31)
def gradings(plan: ScalePlan) -> int:
    """One grading per scaled system (copies of the demo gradings: every state); approved ones become
    the system's filing in force."""
    systems = plan.scaled_ids("security_informationsystem", TAG_SYSTEM)
    added = clone_rows(
        "security_gradingfiling",
        tag=TAG_GRADING,
        target=len(systems),
        # One open grading per system at most: clone only the demo's decided or open ones, one each.
        joins="JOIN security_informationsystem y ON y.id = (%(systems)s::bigint[])[g]",
        overrides={
            "system_id": "y.id",
            "district": "y.district",
            "filing_number": "CASE WHEN s.filing_number = '' THEN '' ELSE s.filing_number || '-' || g END",
            "created_at": "y.created_at",
            "updated_at": "now()",
        },
        params={"systems": systems},
    )
    low, high = scaled_range(TAG_GRADING)
    added += plan.execute(
        """
        UPDATE security_informationsystem y
        SET current_filing_id = f.id, level = f.level, graded_on = f.graded_on
        FROM security_gradingfiling f
        WHERE f.system_id = y.id AND f.status = 'approved' AND y.current_filing_id IS NULL
          AND f.uuid BETWEEN %s AND %s
        """,
        [low, high],
    )
    return added
