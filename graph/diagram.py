"""Draw the nipa-kg class model as one self-contained SVG.

`render_svg` reads the ontology graph (classes, labels, object properties, rdfs:subClassOf) and draws:

- a box per `nipa:` class with its English and Korean label, placed in a panel for its topic (organisation,
  money, places and events, strategy, provenance and quality);
- an arrow per `nipa:` object property whose domain and range are both `nipa:` classes, labelled with the
  property (an inverse pair is drawn once, the inverse after `⇆`);
- a hollow-headed arrow per `rdfs:subClassOf` between two `nipa:` classes;
- a list of the properties that have a `nipa:` range but no domain, and a legend of each class's direct
  superclasses (the standard terms it is aligned with).

Positions of the known classes are laid out by hand below (`LAYOUT`) so the drawing stays legible; a class
the layout does not know yet still appears, in an "Other classes" panel. No graphviz, no network, no fonts
embedded (font families are named only). The output depends only on the input graph.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from nipa_kg.core.namespaces import NIPA, PREFIXES

__all__ = ["render_svg"]

FONT_FAMILY = "Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, Apple SD Gothic Neo, sans-serif"

# Grid of the drawing: column x and row y of the top-left corner of a box.
BOX_W = 176
BOX_H = 52
COL_GAPS = [100, 130, 86, 86, 86, 86]  # wider where arrows with two-line labels run sideways
COL_X = [40 + sum(BOX_W + gap for gap in COL_GAPS[:i]) for i in range(7)]
ROW_Y = [120, 222, 358, 460, 562, 744, 846, 948]
CANVAS_W = COL_X[-1] + BOX_W + 40

# Topic panels: key → (English title, Korean title, fill colour, stroke colour).
# The strategy panel's title sits at its bottom, clear of the arrows that leave the panel at the top.
GROUPS: dict[str, tuple[str, str, str, str]] = {
    "organisation": ("Organisation", "조직", "#eef4fb", "#7da3cf"),
    "places": ("Places and events", "장소·행사", "#f1f7ee", "#86b374"),
    "money": ("Money", "예산", "#fdf5e8", "#d7a14c"),
    "strategy": ("Strategy and policy", "전략·정책", "#f5f0fa", "#9f84c4"),
    "provenance": ("Provenance and quality", "출처·품질", "#fbefef", "#cc8585"),
    "other": ("Other classes", "기타", "#f3f3f3", "#a0a0a0"),
}

# Local name → (group, column, row). Rows index ROW_Y; rows 0-4 are the upper band, 5-7 the lower one.
LAYOUT: dict[str, tuple[str, int, int]] = {
    # organisation
    "PartnerOrganization": ("organisation", 0, 0),
    "StakeholderGroup": ("organisation", 1, 0),
    "DomesticHub": ("organisation", 0, 1),
    "OverseasHub": ("organisation", 1, 1),
    "SupportHub": ("organisation", 0, 2),
    "Division": ("organisation", 1, 2),
    "TaskForce": ("organisation", 0, 3),
    "Agency": ("organisation", 1, 3),
    # places and events
    "Region": ("places", 3, 0),
    "Country": ("places", 2, 1),
    "City": ("places", 3, 1),
    "Neighbourhood": ("places", 4, 1),
    "Venue": ("places", 5, 0),
    "BriefingEvent": ("places", 5, 1),
    "PressConference": ("places", 6, 1),
    # money
    "FundingProgram": ("money", 2, 2),
    "RegulatoryScheme": ("money", 3, 2),
    "ApprovalStatus": ("money", 4, 2),
    "BudgetPurpose": ("money", 5, 2),
    "ChangeDirection": ("money", 6, 2),
    "SupportProgram": ("money", 2, 3),
    "SupplementaryBudget": ("money", 3, 3),
    "BudgetAmount": ("money", 4, 3),
    "BudgetShare": ("money", 5, 3),
    "BudgetChange": ("money", 6, 3),
    "FigurePrecision": ("money", 6, 4),
    # strategy and policy
    "StrategicInitiative": ("strategy", 2, 5),
    "AnnualPlan": ("strategy", 3, 5),
    "PolicyAgenda": ("strategy", 4, 5),
    "StrategicGoal": ("strategy", 2, 6),
    "GoalLink": ("strategy", 3, 6),
    "LinkBasis": ("strategy", 4, 6),
    "PolicyStatement": ("strategy", 2, 7),
    "Emphasis": ("strategy", 3, 7),
    "Legislation": ("strategy", 4, 7),
    # provenance and quality
    "SourceArticle": ("provenance", 5, 5),
    "SourceParagraph": ("provenance", 6, 5),
    "DataQualityNote": ("provenance", 5, 6),
    "QualityIssueType": ("provenance", 6, 6),
    "StakeholderReaction": ("provenance", 5, 7),
}

# Classes LAYOUT does not know go in rows of seven below both bands, starting at this y.
OTHER_Y = ROW_Y[-1] + 150

# Edges drawn with a curve (local name of the property → signed bend in px), where a straight line would
# cross a box.
BENDS: dict[str, float] = {}

GROUP_ORDER = ["organisation", "places", "money", "strategy", "provenance", "other"]
PANEL_PAD = 18
PANEL_TITLE = 26
TITLE_BOTTOM = {"strategy"}


@dataclass
class _Box:
    iri: URIRef
    name: str
    en: str
    ko: str
    group: str
    x: float
    y: float
    w: float = BOX_W
    h: float = BOX_H

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class _Edge:
    source: str
    target: str
    label: str
    inverse: str | None = None
    subclass: bool = False
    bend: float = 0.0


@dataclass
class _Model:
    ns: str
    boxes: dict[str, _Box] = field(default_factory=dict)
    edges: list[_Edge] = field(default_factory=list)
    open_domain: list[tuple[str, str]] = field(default_factory=list)
    superclasses: dict[str, list[str]] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------------
# Reading the ontology
# --------------------------------------------------------------------------------------------------------


def _namespace(ontology: Graph) -> str:
    """The `nipa:` namespace of this graph: the owl:Ontology IRI + '#' (follows a rebased graph)."""
    candidates = sorted(str(s) for s in ontology.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    for iri in candidates:
        ns = iri.rstrip("#/") + "#"
        if any(str(c).startswith(ns) for c in ontology.subjects(RDF.type, OWL.Class)):
            return ns
    return str(NIPA)


def _label(ontology: Graph, iri: URIRef, lang: str, fallback: str) -> str:
    values = sorted(
        str(o) for o in ontology.objects(iri, RDFS.label) if isinstance(o, Literal) and o.language == lang
    )
    return values[0] if values else fallback


def _local(iri: str, ns: str) -> str:
    return iri[len(ns) :] if iri.startswith(ns) else iri


def _curie(iri: str, ns: str, ontology: Graph) -> str:
    """`iri` as a local name (our namespace) or prefix:name, preferring the project's own prefixes."""
    if iri.startswith(ns):
        return iri[len(ns) :]
    for table in (sorted(PREFIXES.items()), sorted((p, n) for p, n in ontology.namespaces() if p)):
        matches = [
            (len(str(base)), prefix, str(base))
            for prefix, base in table
            if iri.startswith(str(base)) and len(str(base)) < len(iri)
        ]
        if matches:
            _, prefix, base = max(matches, key=lambda m: (m[0], [-ord(c) for c in m[1]]))
            return f"{prefix}:{iri[len(base) :]}"
    return f"<{iri}>"


def _named(values: Iterable[object], ns: str) -> list[str]:
    return sorted(str(v) for v in values if isinstance(v, URIRef) and str(v).startswith(ns))


def _read(ontology: Graph) -> _Model:
    ns = _namespace(ontology)
    model = _Model(ns=ns)
    _read_classes(ontology, model)
    _read_properties(ontology, model)
    return model


def _read_classes(ontology: Graph, model: _Model) -> None:
    ns = model.ns
    classes = _named(ontology.subjects(RDF.type, OWL.Class), ns)
    other_slot = 0
    for iri in classes:
        name = _local(iri, ns)
        ref = URIRef(iri)
        en = _label(ontology, ref, "en", name)
        ko = _label(ontology, ref, "ko", "")
        if name in LAYOUT:
            group, col, row = LAYOUT[name]
            x, y = COL_X[col], ROW_Y[row]
        else:
            group = "other"
            x, y = COL_X[other_slot % 7], OTHER_Y + 102 * (other_slot // 7)
            other_slot += 1
        width = max(BOX_W, _text_width(en, 13, bold=True) + 20, _text_width(ko, 12) + 20)
        model.boxes[name] = _Box(ref, name, en, ko, group, x - (width - BOX_W) / 2, y, w=width)
        supers = sorted(
            (
                _curie(str(o), ns, ontology)
                for o in ontology.objects(ref, RDFS.subClassOf)
                if isinstance(o, URIRef)
            ),
            key=lambda c: (":" not in c, c),
        )
        model.superclasses[name] = supers
        for parent in ontology.objects(ref, RDFS.subClassOf):
            if isinstance(parent, URIRef) and str(parent).startswith(ns):
                model.edges.append(_Edge(name, _local(str(parent), ns), "", subclass=True))


def _read_properties(ontology: Graph, model: _Model) -> None:
    ns = model.ns
    # Object properties: an arrow when domain and range are both our classes (an inverse pair once, from
    # its "has…" side or else the alphabetically first); in the open-domain list when only the range is.
    signatures: dict[str, tuple[str, str]] = {}
    inverses: dict[str, str] = {}
    for iri in _named(ontology.subjects(RDF.type, OWL.ObjectProperty), ns):
        name = _local(iri, ns)
        ref = URIRef(iri)
        domains = _named(ontology.objects(ref, RDFS.domain), ns)
        ranges = _named(ontology.objects(ref, RDFS.range), ns)
        partners = _named(
            set(ontology.objects(ref, OWL.inverseOf)) | set(ontology.subjects(OWL.inverseOf, ref)), ns
        )
        if partners:
            inverses[name] = _local(partners[0], ns)
        if domains and ranges:
            signatures[name] = (_local(domains[0], ns), _local(ranges[0], ns))
        elif ranges:
            model.open_domain.append((name, _local(ranges[0], ns)))
    for name in sorted(signatures):
        inverse = inverses.get(name)
        if inverse in signatures:
            preferred = sorted((name, inverse), key=lambda n: (not n.startswith("has"), n))[0]
            if name != preferred:
                continue
        source, target = signatures[name]
        if source in model.boxes and target in model.boxes:
            model.edges.append(_Edge(source, target, name, inverse, bend=BENDS.get(name, 0.0)))
    model.open_domain.sort(key=lambda pr: (pr[1], pr[0]))


# --------------------------------------------------------------------------------------------------------
# Geometry and text
# --------------------------------------------------------------------------------------------------------


def _text_width(text: str, size: float, bold: bool = False) -> float:
    """Rough advance width of `text` in px: CJK full width, Latin by letter class."""
    width = 0.0
    for ch in text:
        code = ord(ch)
        if code >= 0x1100 and not (0x2000 <= code < 0x2E00):
            width += 1.0
        elif ch in "il.,:;'|!()[] ":
            width += 0.3
        elif ch in "mwMW":
            width += 0.85
        elif ch.isupper() or ch.isdigit():
            width += 0.64
        else:
            width += 0.54
    return width * size * (1.06 if bold else 1.0)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _clip(box: _Box, tx: float, ty: float, margin: float = 3.0) -> tuple[float, float]:
    """Point where the ray from the box centre towards (tx, ty) leaves the box (plus a margin)."""
    dx, dy = tx - box.cx, ty - box.cy
    if dx == 0 and dy == 0:
        return box.cx, box.cy
    half_w, half_h = box.w / 2 + margin, box.h / 2 + margin
    scale = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return box.cx + dx * scale, box.cy + dy * scale


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    anchor: str = "middle",
    weight: str = "normal",
    fill: str = "#1f2430",
    extra: str = "",
) -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{_fmt(size)}" text-anchor="{anchor}"{bold} '
        f'fill="{fill}"{extra}>{escape(text)}</text>'
    )


# --------------------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------------------


def _panels(model: _Model) -> tuple[list[str], list[str]]:
    """Panel backgrounds, and their titles (drawn later, above the arrows, with a white halo)."""
    out: list[str] = []
    titles: list[str] = []
    for group in GROUP_ORDER:
        members = [b for b in model.boxes.values() if b.group == group]
        if not members:
            continue
        title_en, title_ko, fill, stroke = GROUPS[group]
        bottom_title = group in TITLE_BOTTOM
        x0 = min(b.x for b in members) - PANEL_PAD
        y0 = min(b.y for b in members) - PANEL_PAD - (0 if bottom_title else PANEL_TITLE)
        x1 = max(b.x + b.w for b in members) + PANEL_PAD
        y1 = max(b.y + b.h for b in members) + PANEL_PAD + (PANEL_TITLE if bottom_title else 0)
        out.append(
            f'<rect x="{_fmt(x0)}" y="{_fmt(y0)}" width="{_fmt(x1 - x0)}" height="{_fmt(y1 - y0)}" rx="12" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.2"/>'
        )
        halo = ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
        title_y = y1 - 12 if bottom_title else y0 + 21
        titles.append(
            _text(
                x0 + 14,
                title_y,
                f"{title_en} · {title_ko}",
                14,
                anchor="start",
                weight="bold",
                fill=stroke,
                extra=halo,
            )
        )
    return out, titles


def _edge_path(model: _Model, edge: _Edge) -> tuple[str, float, float]:
    """SVG path data for an edge and the point where its label goes."""
    a, b = model.boxes[edge.source], model.boxes[edge.target]
    if edge.bend:
        mx, my = (a.cx + b.cx) / 2, (a.cy + b.cy) / 2
        length = math.hypot(b.cx - a.cx, b.cy - a.cy) or 1.0
        nx, ny = -(b.cy - a.cy) / length, (b.cx - a.cx) / length
        qx, qy = mx + nx * edge.bend * 2, my + ny * edge.bend * 2
        sx, sy = _clip(a, qx, qy)
        tx, ty = _clip(b, qx, qy, margin=4.0)
        label_x = 0.25 * sx + 0.5 * qx + 0.25 * tx
        label_y = 0.25 * sy + 0.5 * qy + 0.25 * ty
        return f"M{_fmt(sx)},{_fmt(sy)} Q{_fmt(qx)},{_fmt(qy)} {_fmt(tx)},{_fmt(ty)}", label_x, label_y
    sx, sy = _clip(a, b.cx, b.cy)
    tx, ty = _clip(b, a.cx, a.cy, margin=4.0)
    return f"M{_fmt(sx)},{_fmt(sy)} L{_fmt(tx)},{_fmt(ty)}", (sx + tx) / 2, (sy + ty) / 2


def _edges(model: _Model) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    labels: list[str] = []
    ordered = sorted(model.edges, key=lambda e: (e.subclass, e.source, e.target, e.label))
    for edge in ordered:
        if edge.source == edge.target or edge.source not in model.boxes or edge.target not in model.boxes:
            continue
        path, lx, ly = _edge_path(model, edge)
        if edge.subclass:
            lines.append(
                f'<path d="{path}" fill="none" stroke="#6b7280" stroke-width="1.4" '
                f'stroke-dasharray="5 3" marker-end="url(#subclass)"/>'
            )
            continue
        lines.append(
            f'<path d="{path}" fill="none" stroke="#374151" stroke-width="1.4" marker-end="url(#arrow)"/>'
        )
        rows = [edge.label] + ([f"⇆ {edge.inverse}"] if edge.inverse else [])
        width = max(_text_width(r, 11) for r in rows) + 8
        height = 14 * len(rows) + 4
        top = ly - height / 2
        labels.append(
            f'<rect x="{_fmt(lx - width / 2)}" y="{_fmt(top)}" width="{_fmt(width)}" height="{_fmt(height)}" '
            f'rx="3" fill="#ffffff" fill-opacity="0.92" stroke="#d1d5db" stroke-width="0.6"/>'
        )
        for i, row in enumerate(rows):
            colour = "#111827" if i == 0 else "#4b5563"
            labels.append(_text(lx, top + 13 + 14 * i, row, 11, fill=colour))
    return lines, labels


def _boxes(model: _Model) -> list[str]:
    out: list[str] = []
    for name in sorted(model.boxes):
        box = model.boxes[name]
        stroke = GROUPS[box.group][3]
        out.append(
            f'<g id="class-{escape(name)}"><title>{escape(str(box.iri))}</title>'
            f'<rect x="{_fmt(box.x)}" y="{_fmt(box.y)}" width="{_fmt(box.w)}" height="{_fmt(box.h)}" rx="6" '
            f'fill="#ffffff" stroke="{stroke}" stroke-width="1.6"/>'
        )
        if box.ko:
            out.append(_text(box.cx, box.y + 22, box.en, 13, weight="bold"))
            out.append(_text(box.cx, box.y + 40, box.ko, 12, fill="#374151"))
        else:
            out.append(_text(box.cx, box.cy + 5, box.en, 13, weight="bold"))
        out.append("</g>")
    return out


def _open_domain_panel(model: _Model, x: float, y: float, width: float) -> tuple[list[str], float]:
    out: list[str] = []
    if not model.open_domain:
        return out, y
    rows: dict[str, list[str]] = {}
    for prop, target in model.open_domain:
        rows.setdefault(target, []).append(prop)
    lines: list[str] = []
    for target in sorted(rows, key=lambda t: model.boxes[t].en if t in model.boxes else t):
        target_label = model.boxes[target].en if target in model.boxes else target
        line = f"→ {target_label}: "
        for i, prop in enumerate(sorted(rows[target])):
            piece = prop + ("," if i < len(rows[target]) - 1 else "")
            if _text_width(line + piece, 11.5) > width - 28 and not line.endswith(": "):
                lines.append(line.rstrip())
                line = "      "
            line += piece + " "
        lines.append(line.rstrip())
    height = PANEL_TITLE + 22 + 17 * len(lines) + 10
    out.append(
        f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(width)}" height="{_fmt(height)}" rx="12" '
        f'fill="#fafafa" stroke="#9ca3af" stroke-width="1.2"/>'
    )
    out.append(
        _text(
            x + 14,
            y + 21,
            "Properties open to any subject · 정의역 없는 속성",
            14,
            anchor="start",
            weight="bold",
            fill="#4b5563",
        )
    )
    out.append(
        _text(
            x + 14,
            y + 40,
            "(no rdfs:domain; intended subjects are checked by SHACL)",
            11,
            anchor="start",
            fill="#6b7280",
        )
    )
    for i, line in enumerate(lines):
        out.append(_text(x + 14, y + 60 + 17 * i, line, 11.5, anchor="start", extra=' xml:space="preserve"'))
    return out, y + height


def _legend(model: _Model, top: float) -> tuple[list[str], float]:
    out = [
        _text(
            40,
            top,
            "Alignment: direct superclasses of each class (rdfs:subClassOf) · 클래스별 상위 클래스",
            15,
            anchor="start",
            weight="bold",
        ),
    ]
    names = [
        name
        for group in GROUP_ORDER
        for name in sorted(
            (n for n, b in model.boxes.items() if b.group == group),
            key=lambda n: (LAYOUT.get(n, ("", 99, 99))[2], LAYOUT.get(n, ("", 99, 99))[1], n),
        )
    ]
    half = (len(names) + 1) // 2
    columns = [names[:half], names[half:]]
    col_w = (CANVAS_W - 80) / 2
    bottom = top
    for c, column in enumerate(columns):
        y = top + 26
        for name in column:
            box = model.boxes[name]
            supers = model.superclasses.get(name) or ["—"]
            out.append(
                f'<text x="{_fmt(40 + c * col_w)}" y="{_fmt(y)}" font-size="11.5" text-anchor="start" '
                f'fill="#1f2430"><tspan font-weight="bold" fill="{GROUPS[box.group][3]}">■</tspan> '
                f'<tspan font-weight="bold">{escape(box.en)}</tspan> ⊑ {escape(", ".join(supers))}</text>'
            )
            y += 18
        bottom = max(bottom, y)
    return out, bottom


def _key(x: float, y: float) -> list[str]:
    return [
        f'<path d="M{_fmt(x)},{_fmt(y)} L{_fmt(x + 46)},{_fmt(y)}" stroke="#374151" stroke-width="1.4" '
        f'marker-end="url(#arrow)"/>',
        _text(x + 56, y + 4, "object property, domain → range (⇆ its inverse)", 12, anchor="start"),
        f'<path d="M{_fmt(x + 380)},{_fmt(y)} L{_fmt(x + 426)},{_fmt(y)}" stroke="#6b7280" '
        f'stroke-width="1.4" stroke-dasharray="5 3" marker-end="url(#subclass)"/>',
        _text(x + 436, y + 4, "subclass of (rdfs:subClassOf)", 12, anchor="start"),
    ]


def render_svg(ontology: Graph) -> str:
    """Render the classes and object properties of the nipa-kg ontology as a standalone SVG document.

    `ontology` is a graph holding `ontology/nipa-kg.ttl` (other triples are ignored). The result is the
    same string for the same graph.
    """
    model = _read(ontology)
    title = "nipa-kg class model · 클래스 모델"
    version = sorted(
        str(v)
        for s in ontology.subjects(RDF.type, OWL.Ontology)
        for v in ontology.objects(s, OWL.versionInfo)
    )
    subtitle = f"ontology {version[0]} · " if version else ""
    subtitle += f"all classes in {model.ns}"

    body: list[str] = []
    panels, panel_titles = _panels(model)
    body += panels
    open_parts, _ = _open_domain_panel(
        model,
        COL_X[0] - PANEL_PAD,
        ROW_Y[5] - PANEL_PAD - PANEL_TITLE,
        COL_X[1] + BOX_W - COL_X[0] + 2 * PANEL_PAD,
    )
    body += open_parts
    lines, labels = _edges(model)
    body += lines
    body += panel_titles
    body += _boxes(model)
    body += labels

    content_bottom = max(b.y + b.h for b in model.boxes.values()) + PANEL_PAD + PANEL_TITLE
    legend, legend_bottom = _legend(model, content_bottom + 44)
    body += legend
    height = legend_bottom + 20

    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_fmt(CANVAS_W)}" height="{_fmt(height)}" '
        f'viewBox="0 0 {_fmt(CANVAS_W)} {_fmt(height)}" font-family="{FONT_FAMILY}">',
        f"<title>{escape(title)}</title>",
        "<desc>Classes of the nipa-kg ontology grouped by topic, the object properties between them, and "
        "the standard vocabularies each class is aligned with.</desc>",
        "<defs>",
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#374151"/></marker>',
        '<marker id="subclass" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="11" markerHeight="11" '
        'orient="auto"><path d="M1,1 L11,6 L1,11 z" fill="#ffffff" stroke="#6b7280" stroke-width="1.2"/>'
        "</marker>",
        "</defs>",
        f'<rect x="0" y="0" width="{_fmt(CANVAS_W)}" height="{_fmt(height)}" fill="#ffffff"/>',
        _text(40, 40, title, 22, anchor="start", weight="bold"),
        _text(40, 62, subtitle, 12, anchor="start", fill="#6b7280"),
    ]
    head += _key(CANVAS_W - 700, 46)
    return "\n".join(head + body + ["</svg>"]) + "\n"
