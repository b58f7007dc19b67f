"""The links made for joining: owl:sameAs to verified Wikidata items and to DBpedia, 법정동 codes, and the
metadata describing each set (a void:Linkset per target, a property partition for the codes)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, VOID, XSD
from rdflib.term import Node

from nipa_kg.core.namespaces import DBR, ID, NIPA, WD
from nipa_kg.graph.build import Build

SAME_AS = {  # from the research notes: Wikidata QIDs verified in published sources, DBpedia IRIs seen in them
    "place/south-korea": {WD.Q884, DBR.South_Korea},
    "place/united-states": {WD.Q30, DBR.United_States},
    "place/vietnam": {WD.Q881, DBR.Vietnam},
    "place/singapore": {WD.Q334, DBR.Singapore},
    "place/new-york-city": {WD.Q60, DBR.New_York_City},
    "place/seoul": {WD.Q8684, DBR.Seoul},
    "place/gwangju": {WD.Q41283},
    "place/daegu": {WD.Q20927},
    "place/china": {WD.Q148},
    "org/nyu": {WD.Q49210, DBR.New_York_University},
    "org/asean": {WD.Q7768},
    "org/deepseek": {WD.Q131577453},
}
LEGAL_DONG_CODES = {  # 행정표준코드: 시도 11 Seoul, 27 Daegu, 29 Gwangju; 양재동 in Seocho-gu
    "place/seoul": "1100000000",
    "place/daegu": "2700000000",
    "place/gwangju": "2900000000",
    "place/yangjae-dong": "1165010200",
}


def test_same_as_links_are_exactly_the_verified_ones(built: Build) -> None:
    found: dict[str, set[URIRef]] = {}
    for subject, other in built.graphs["data"].subject_objects(OWL.sameAs):
        found.setdefault(str(subject).removeprefix(str(ID)), set()).add(other)
    assert found == SAME_AS


def test_unverified_places_and_organisations_have_no_links(built: Build) -> None:
    data = built.graphs["data"]
    for name in ("agency/nipa", "place/yangjae-dong"):
        assert not list(data.objects(ID[name], OWL.sameAs)), name


def test_korean_regions_carry_their_legal_dong_codes(built: Build) -> None:
    codes = {
        str(s).removeprefix(str(ID)): o for s, o in built.graphs["data"].subject_objects(NIPA.legalDongCode)
    }
    assert codes == {name: Literal(code) for name, code in LEGAL_DONG_CODES.items()}
    for name in LEGAL_DONG_CODES:  # provenance as every region has
        assert built.graphs["data"].value(ID[name], NIPA.sourceParagraph) is not None


def test_nothing_is_inferred_about_the_linked_iris(built: Build) -> None:
    aliases = {other for others in SAME_AS.values() for other in others}
    assert not [t for t in built.graphs["inferred"] if t[0] in aliases or t[2] in aliases]


def count(meta: Graph, subject: Node, predicate: URIRef) -> int:
    value = meta.value(subject, predicate)
    assert isinstance(value, Literal) and value.datatype == XSD.integer, (subject, predicate)
    return value.toPython()


def test_a_linkset_per_target_with_its_count(built: Build) -> None:
    meta = built.graphs["metadata"]
    dataset = ID["dataset/nipa-kg"]
    linksets = {meta.value(s, VOID.objectsTarget): s for s in meta.subjects(RDF.type, VOID.Linkset)}
    assert set(linksets) == {URIRef("https://www.wikidata.org/"), URIRef("https://dbpedia.org/")}
    wikidata, dbpedia = (
        linksets[URIRef("https://www.wikidata.org/")],
        linksets[URIRef("https://dbpedia.org/")],
    )
    assert (count(meta, wikidata, VOID.triples), count(meta, dbpedia, VOID.triples)) == (12, 7)
    for linkset in (wikidata, dbpedia):
        assert meta.value(linkset, VOID.linkPredicate) == OWL.sameAs
        assert (dataset, VOID.subset, linkset) in meta
    assert meta.value(URIRef("https://dbpedia.org/"), VOID.uriSpace) == Literal(
        "http://dbpedia.org/resource/"
    )


def test_the_codes_are_a_described_property_partition(built: Build) -> None:
    meta = built.graphs["metadata"]
    (partition,) = [
        p
        for p in meta.objects(ID["dataset/nipa-kg"], VOID.propertyPartition)
        if meta.value(p, VOID.property) == NIPA.legalDongCode
    ]
    assert count(meta, partition, VOID.triples) == len(LEGAL_DONG_CODES)
    titles = {(str(t), t.language) for t in meta.objects(partition, DCTERMS.title) if isinstance(t, Literal)}
    assert ("Legal-dong codes of Korean regions", "en") in titles and len(titles) == 2
