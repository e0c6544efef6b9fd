"""Validate an rdflib graph against the DCAT-AP 3 SHACL shapes kept in ``tests/dcat/shacl``."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES_DIR = Path(__file__).with_name("shacl")
MANDATORY = ("shapes.ttl", "range.ttl")
RECOMMENDED = ("shapes_recommended.ttl",)


@cache
def _shapes(names: tuple[str, ...]) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SHAPES_DIR / name, format="turtle")
    return graph


def _results(data: Graph, names: tuple[str, ...], severity: str) -> list[str]:
    _conforms, report, _text = validate(
        data, shacl_graph=_shapes(names), inference="none", allow_warnings=True
    )
    assert isinstance(report, Graph), report  # validate() returns the report as a graph
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH[severity]:
            continue
        node = data.value(report.value(result, SH.focusNode), RDF.type)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        out.append(f"{_short(node)} {_short(path)}: {message}")
    return sorted(out)


def _short(term: object) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def violations(data: Graph) -> list[str]:
    """Violations of the mandatory shapes (shapes.ttl + range.ttl)."""
    return _results(data, MANDATORY, "Violation")


def warnings(data: Graph) -> list[str]:
    """Warnings from the recommended shapes (reported, not failing)."""
    return _results(data, RECOMMENDED, "Warning")
