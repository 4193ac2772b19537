"""The open catalog as DCAT-AP JSON-LD, built with rdflib (a maintained RDF library, not hand-built JSON)."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

from resources.models import ResourceItem
from resources.rules import OpenAttribute
from resources.selectors import resources_visible_to

# EU frequency vocabulary for dct:accrualPeriodicity.
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
CYCLE_FREQUENCY = {
    "realtime": "CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "half_yearly": "ANNUAL_2",
    "yearly": "ANNUAL",
    "irregular": "IRREG",
}
DCAT_LIMIT = 5_000
CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "xsd": str(XSD),
}


def open_catalog_graph(request, limit: int = DCAT_LIMIT) -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    base = request.build_absolute_uri("/")[:-1]
    catalog = URIRef(base + reverse("resources:open-catalog-dcat"))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("北京市政务信息资源开放目录", lang="zh")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal("依《北京市信息化促进条例》第二十二条向社会开放的政务信息资源。", lang="zh"),
        )
    )
    resources = list(resources_visible_to(AnonymousUser()).order_by("-published_at", "-id")[:limit])
    items: dict[int, list[str]] = {}
    for resource_id, name in (
        ResourceItem.objects.filter(resource__in=resources, open_attribute=OpenAttribute.OPEN)
        .order_by("resource_id", "position")
        .values_list("resource_id", "name")
    ):
        items.setdefault(resource_id, []).append(name)
    publishers: dict[int, URIRef] = {}
    for r in resources:
        dataset = URIRef(base + reverse("resources:open-resource", args=[r.uuid]))
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.identifier, Literal(r.code or str(r.uuid))))
        graph.add((dataset, DCTERMS.title, Literal(r.name, lang="zh")))
        graph.add((dataset, DCTERMS.description, Literal(r.summary, lang="zh")))
        if r.published_on:
            graph.add((dataset, DCTERMS.issued, Literal(r.published_on, datatype=XSD.date)))
        if r.last_updated_on:
            graph.add((dataset, DCTERMS.modified, Literal(r.last_updated_on, datatype=XSD.date)))
        graph.add((dataset, DCTERMS.accrualPeriodicity, FREQ[CYCLE_FREQUENCY[r.update_cycle]]))
        graph.add((dataset, DCAT.theme, Literal(f"{r.classification.code} {r.classification.name}", lang="zh")))
        for name in items.get(r.pk, []):
            graph.add((dataset, DCAT.keyword, Literal(name, lang="zh")))
        if r.provider_id not in publishers:
            agent = URIRef(f"{base}/organizations/{r.provider.uuid}")
            graph.add((agent, RDF.type, FOAF.Agent))
            graph.add((agent, FOAF.name, Literal(r.provider.name, lang="zh")))
            publishers[r.provider_id] = agent
        graph.add((dataset, DCTERMS.publisher, publishers[r.provider_id]))
        if r.open_attribute == OpenAttribute.CONDITIONAL:
            graph.add((dataset, DCTERMS.accessRights, Literal("有条件开放", lang="zh")))
    return graph


def open_catalog_jsonld(request) -> str:
    return open_catalog_graph(request).serialize(format="json-ld", context=CONTEXT, indent=1)
