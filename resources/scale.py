"""Chapter 3 at city scale: 1,000,000 catalog resources and 100,000 disclosure applications.

The catalog benchmark (``resources/bench.py``, ``run_benchmarks --only catalog``) generates its own
national-scale catalog with data items in a throwaway database; here the resources are copies of the
demo resources (their search vectors and item signatures included, without item rows) in the
portal's own database, so the pages can be measured with everything else at city scale. A copy's search
lexemes take its own id's bucket (``resources.services.search``).
"""

from portal.scale import ScalePlan, clone_rows, register
from resources.services.search import SEARCH_BUCKET_BITS

TAG_RESOURCE = 0x301
TAG_DISCLOSURE = 0x302
RESOURCES = 1_000_000
DISCLOSURE_APPLICATIONS = 100_000


@register("catalog resources", order=40)
def resources(plan: ScalePlan) -> int:
    providers = plan.organizations("agency")
    return clone_rows(
        "resources_catalogresource",
        tag=TAG_RESOURCE,
        target=plan.n(RESOURCES),
        source="t.revision_of_id IS NULL",
        overrides={
            "id": "n.id",
            "search_vector": "catalog_search_bucketed(catalog_search_plain(s.search_vector), n.id >> %(bucket_bits)s)",
            "provider_id": "(%(providers)s::bigint[])[1 + (g - 1) %% %(n)s]",
            "name": "s.name || '（' || g || '）'",
            "code": "CASE WHEN s.code = '' THEN '' ELSE s.code || '-' || g END",
            "revision_of_id": "NULL",
            "created_at": "now() - (g %% 1500) * interval '1 day'",
            "published_at": "CASE WHEN s.published_at IS NULL THEN NULL "
            "ELSE now() - (g %% 1500) * interval '1 day' END",
            "updated_at": "now()",
        },
        # Referring to g, the id is drawn for each copy (an uncorrelated subquery would be drawn once).
        joins="CROSS JOIN LATERAL (SELECT nextval(pg_get_serial_sequence('resources_catalogresource', 'id')) AS id "
        "WHERE g IS NOT NULL) n",
        params={"providers": providers, "n": len(providers), "bucket_bits": SEARCH_BUCKET_BITS},
    )


@register("disclosure applications", order=41)
def disclosure_applications(plan: ScalePlan) -> int:
    agencies = plan.organizations("agency")
    return clone_rows(
        "resources_disclosureapplication",
        tag=TAG_DISCLOSURE,
        target=plan.n(DISCLOSURE_APPLICATIONS),
        overrides={
            "agency_id": "ag.id",
            # The agency's own level and district (the staff lists filter on these copies), and a date of
            # their own over four years: copied from the few demo rows, the newest dates all fell to the
            # agencies of a few districts, and a district official's list walked 8,600 rows for 20.
            "level": "ag.level",
            "district": "ag.district",
            "created_at": "now() - (g %% 1500) * interval '1 day' - (g %% 997) * interval '1 minute'",
            "tracking_number": "'GKS' || lpad(g::text, 12, '0')",
        },
        joins="JOIN portal_organization ag ON ag.id = (%(agencies)s::bigint[])[1 + (g - 1) %% %(n)s]",
        params={"agencies": agencies, "n": len(agencies)},
    )
