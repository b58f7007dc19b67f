"""SHACL validation with pyshacl, and the report as a list of results rendered as text, Turtle or JSON.

We validate data + inferred + ontology, already reasoned, so pyshacl runs without inference; `advanced`
turns on SHACL-SPARQL. A report conforms when it has no sh:Violation: warnings and infos are listed but do
not fail a build.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pyshacl
from pyparsing import ParseBaseException
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from nipa_kg.core.errors import InputError
from nipa_kg.core.namespaces import SH, namespaces_for
from nipa_kg.core.terms import compact, display, rdflib_term_json
from nipa_kg.graph.load import bind_prefixes
from nipa_kg.graph.querygraph import QueryGraph

SEVERITY_ORDER = (SH.Violation, SH.Warning, SH.Info)
REPORT_FORMATS = ("text", "turtle", "json")

PATH_SUFFIXES = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult. `source_shape` is the named shape: for an anonymous property shape, the
    node shape that holds it. `path` is a SPARQL property path in full IRIs (`^<...>`)."""

    severity: URIRef
    focus: Node | None
    path: str | None
    value: Node | None
    message: str
    source_shape: Node | None
    constraint: URIRef | None

    @property
    def severity_name(self) -> str:
        return self.severity.removeprefix(str(SH))


@dataclass(frozen=True)
class ValidationReport:
    results: tuple[ValidationResult, ...]
    graph: Graph  # pyshacl's sh:ValidationReport graph

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == SH.Violation)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def count(self, severity: URIRef) -> int:
        return sum(r.severity == severity for r in self.results)


def validate(graphs: Iterable[Graph], shapes: Graph) -> ValidationReport:
    """Validate the union of `graphs` against `shapes`. Broken shapes raise InputError."""
    data = QueryGraph()
    for graph in graphs:
        for triple in graph:
            data.add(triple)
    try:
        _, report_graph, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
            inplace=True,  # `data` is our own copy: without this pyshacl copies it (and loses the cache)
        )
    except ReportableRuntimeError as exc:
        raise InputError(f"invalid SHACL shapes: {exc.message}") from exc
    except ParseBaseException as exc:  # rdflib's SPARQL parser, on a shape's sh:select or sh:ask
        raise InputError(f"invalid SHACL shapes: SPARQL syntax error: {exc}") from exc
    if isinstance(report_graph, ReportableRuntimeError):  # pyshacl returns, not raises, a ValidationFailure
        raise InputError(f"invalid SHACL shapes: {report_graph.message}")
    results = [
        result_of(report_graph, shapes, node) for node in report_graph.subjects(RDF.type, SH.ValidationResult)
    ]
    results.sort(key=lambda r: (SEVERITY_ORDER.index(r.severity), str(r.focus), r.path or "", r.message))
    return ValidationReport(tuple(results), report_graph)


def result_of(report: Graph, shapes: Graph, node: Node) -> ValidationResult:
    path = report.value(node, SH.resultPath)
    return ValidationResult(
        severity=report.value(node, SH.resultSeverity, default=SH.Violation),
        focus=report.value(node, SH.focusNode),
        path=path_text(report, path, lambda iri: iri.n3()) if path is not None else None,
        value=report.value(node, SH.value),
        message=preferred_message(report.objects(node, SH.resultMessage)),
        source_shape=named_shape(shapes, report.value(node, SH.sourceShape)),
        constraint=report.value(node, SH.sourceConstraintComponent),
    )


def preferred_message(messages: Iterable[Node]) -> str:
    """The English message if there is one, else one without a language, else any."""
    ranked = sorted(messages, key=lambda m: ({"en": 0, None: 1}.get(getattr(m, "language", None), 2), str(m)))
    return " ".join(str(ranked[0]).split()) if ranked else "(no message)"


def named_shape(shapes: Graph, shape: Node | None) -> Node | None:
    if isinstance(shape, BNode):
        return next(shapes.subjects(SH.property, shape), shape)
    return shape


def path_text(graph: Graph, path: Node, name: Callable[[URIRef], str]) -> str:
    """A SHACL property path as SPARQL property path syntax."""
    if isinstance(path, URIRef):
        return name(path)
    if (inverse := graph.value(path, SH.inversePath)) is not None:
        return "^" + path_text(graph, inverse, name)
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return "(" + "|".join(path_text(graph, p, name) for p in Collection(graph, alternatives)) + ")"
    for predicate, suffix in PATH_SUFFIXES.items():
        if (inner := graph.value(path, predicate)) is not None:
            return "(" + path_text(graph, inner, name) + ")" + suffix
    return "/".join(path_text(graph, p, name) for p in Collection(graph, path))


def render(report: ValidationReport, fmt: str, base: str) -> str:
    """The report as `text` (one line per result, for people), `turtle` (pyshacl's report graph) or `json`."""
    if fmt == "turtle":
        bind_prefixes(report.graph, base)
        return report.graph.serialize(format="turtle")
    if fmt == "json":
        return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
    return report_text(report, namespaces_for(base))


def counts(report: ValidationReport) -> str:
    parts = [(report.count(s), s.removeprefix(str(SH)).lower()) for s in SEVERITY_ORDER]
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts)


def report_text(report: ValidationReport, prefixes: Mapping[str, str]) -> str:
    lines = [f"{'conforms' if report.conforms else 'does not conform'}: {counts(report)}"]
    for r in report.results:
        where = " ".join(
            part
            for part in (
                display(r.focus, prefixes) if r.focus is not None else None,
                shorten_path(r.path, prefixes) if r.path else None,
                f"= {display(r.value, prefixes)}" if r.value not in (None, r.focus) else None,
            )
            if part
        )
        source = ", ".join(display(n, prefixes) for n in (r.source_shape, r.constraint) if n is not None)
        lines.append(f"{r.severity_name}: {where}: {r.message}" + (f" [{source}]" if source else ""))
    return "\n".join(lines) + "\n"


def shorten_path(path: str, prefixes: Mapping[str, str]) -> str:
    """Compact the `<iri>`s in a rendered path."""
    return re.sub(r"<([^>]*)>", lambda m: compact(m.group(1), prefixes), path)


def report_json(report: ValidationReport) -> dict[str, object]:
    def term(node: Node | None) -> dict[str, str] | None:
        return rdflib_term_json(node) if node is not None else None

    return {
        "conforms": report.conforms,
        "counts": {s.removeprefix(str(SH)): report.count(s) for s in SEVERITY_ORDER},
        "results": [
            {
                "severity": r.severity_name,
                "focus": term(r.focus),
                "path": r.path,
                "value": term(r.value),
                "message": r.message,
                "sourceShape": term(r.source_shape),
                "constraint": term(r.constraint),
            }
            for r in report.results
        ],
    }
