"""A full-text index of every resource's labels and descriptions, for finding things without SPARQL.

SQLite's FTS5 with its trigram tokenizer (Python's own `sqlite3`, in memory): any run of three or more
characters matches, so Korean compounds, which carry no spaces ("디지털트윈" inside "디지털트윈 해외진출
기반조성"), are found as English words are. The text is read from the store through the query service (the
`Reader`) on the first search (about 40 ms for the real graph's 1,100 texts) and again when the store's
`data_version` changes; a store with no data version (a remote store) is read again at most every
`REFRESH_SECONDS`.

What is searched is always one phrase, as typed: the text is quoted for FTS5, so its syntax (`"`, `NEAR`,
`*`, `^`, `column:`) is matched as text, never run. Shorter than three characters, trigram cannot match, so
the text is matched as a plain substring (SQL `LIKE`, its wildcards escaped) over the same rows instead.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from nipa_kg.core import namespaces as ns
from nipa_kg.server.site.data import Reader, iri_list

MAX_CHARS = 100  # longer searches are refused: nothing in the graph is named at such length
TRIGRAM = 3  # the fewest characters FTS5's trigram tokenizer can match
MATCH_LIMIT = 2000  # matching texts read per search (the graph has about 1,100 in all)
REFRESH_SECONDS = 60.0

# Searched properties → the field a match counts in: labels first, then other names, then descriptions.
FIELDS: dict[str, str] = {
    str(ns.RDFS.label): "label",
    str(ns.SKOS.prefLabel): "label",
    str(ns.DCTERMS.title): "label",
    str(ns.SKOS.altLabel): "name",
    str(ns.SKOS.hiddenLabel): "name",
    str(ns.SCHEMA.description): "description",
    str(ns.RDFS.comment): "description",
    str(ns.SKOS.definition): "description",
    str(ns.DCTERMS.description): "description",
}
FIELD_RANK = {"label": 0, "name": 1, "description": 2}
GRAPHS = ("data", "ontology", "metadata")


@dataclass(frozen=True)
class Match:
    """The best matching text of one resource."""

    iri: str
    field: str
    lang: str | None
    text: str
    rank: tuple[int, int, float]  # (not exact, field, bm25): smaller is better


@dataclass
class Snapshot:
    """The index of one version of the data."""

    db: sqlite3.Connection
    version: str | None
    built: float
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # iri → lang → label
    types: dict[str, list[str]] = field(default_factory=dict)  # iri → its types

    def stale(self, version: str | None, now: float) -> bool:
        if version is None:
            return now - self.built > REFRESH_SECONDS
        return version != self.version


def normalise(text: str) -> str:
    """What is searched for: the text without control characters (SQLite would end a string at a NUL),
    stripped, runs of white space as one space."""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


def phrase(text: str) -> str:
    """`text` as one FTS5 phrase: quoted, its quotes doubled, so nothing in it is FTS5 syntax."""
    return '"' + text.replace('"', '""') + '"'


def like_pattern(text: str) -> str:
    """`text` as a substring pattern for `LIKE ... ESCAPE '\\'`."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SearchIndex:
    """The index of one app's store, shared by its request threads (one lock: a search takes about a
    millisecond)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._clock = clock
        self.builds = 0

    def snapshot(self, reader: Reader, version: str | None) -> Snapshot:
        """The index of the data as it is now, (re)built first if the data changed."""
        with self._lock:
            return self._fresh(reader, version)

    def search(self, reader: Reader, version: str | None, text: str) -> tuple[Snapshot, list[Match]]:
        """The resources whose labels or descriptions contain `text` (normalised, at most `MAX_CHARS`),
        best first."""
        wanted = normalise(text)[:MAX_CHARS]
        with self._lock:  # a rebuild by another thread closes the database this one would read
            snapshot = self._fresh(reader, version)
            rows = matching_rows(snapshot.db, wanted) if wanted else []
        return snapshot, best_matches(rows, wanted)

    def _fresh(self, reader: Reader, version: str | None) -> Snapshot:
        now = self._clock()
        if self._snapshot is None or self._snapshot.stale(version, now):
            old = self._snapshot
            self._snapshot = build(reader, version, now)
            self.builds += 1
            if old is not None:
                old.db.close()
        return self._snapshot


def matching_rows(db: sqlite3.Connection, text: str) -> list[tuple[str, str, str, str, float]]:
    """(iri, field, lang, text, score) of the texts containing `text`."""
    columns = "iri, field, lang, text"
    if len(text) >= TRIGRAM:
        try:
            return db.execute(
                f"SELECT {columns}, bm25(texts) FROM texts WHERE texts MATCH ? ORDER BY bm25(texts) LIMIT ?",
                (phrase(text), MATCH_LIMIT),
            ).fetchall()
        except sqlite3.Error:  # nothing quoted should fail; if it does, the substring scan answers
            pass
    return db.execute(
        f"SELECT {columns}, 0.0 FROM texts WHERE text LIKE ? ESCAPE '\\' LIMIT ?",
        (like_pattern(text), MATCH_LIMIT),
    ).fetchall()


def best_matches(rows: list[tuple[str, str, str, str, float]], text: str) -> list[Match]:
    """One match per resource, its best: an exact label first, then by field, then by FTS5's rank."""
    best: dict[str, Match] = {}
    folded = text.casefold()
    for iri, field_name, lang, value, score in rows:
        rank = (int(value.casefold() != folded), FIELD_RANK[field_name], score)
        if iri not in best or rank < best[iri].rank:
            best[iri] = Match(iri, field_name, lang or None, value, rank)
    return sorted(best.values(), key=lambda m: (m.rank, m.iri))


def build(reader: Reader, version: str | None, now: float) -> Snapshot:
    """Read every searched text and every type from the store into a new in-memory index."""
    graphs = iri_list(reader.graph(name) for name in GRAPHS)
    texts = reader.select(
        f"""SELECT ?s ?p ?text WHERE {{ VALUES ?g {{ {graphs} }} VALUES ?p {{ {iri_list(FIELDS)} }}
        GRAPH ?g {{ ?s ?p ?text }} FILTER(isIRI(?s) && isLiteral(?text)) }}"""
    )
    typed = reader.select(
        f"""SELECT DISTINCT ?s ?type WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s a ?type }}
        FILTER(isIRI(?s) && isIRI(?type)) }} ORDER BY ?s ?type"""
    )
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(
        "CREATE VIRTUAL TABLE texts USING fts5(text, iri UNINDEXED, field UNINDEXED, lang UNINDEXED, "
        "tokenize = 'trigram')"
    )
    snapshot = Snapshot(db, version, now)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    rows = []
    for row in texts:
        iri, field_name, literal = row["s"].value, FIELDS[row["p"].value], row["text"]
        lang = getattr(literal, "language", None) or ""
        rows.append((literal.value, iri, field_name, lang))
        if field_name == "label":
            labels[iri].setdefault(lang, literal.value)
    db.executemany("INSERT INTO texts (text, iri, field, lang) VALUES (?, ?, ?, ?)", rows)
    db.commit()
    snapshot.labels = dict(labels)
    for row in typed:
        snapshot.types.setdefault(row["s"].value, []).append(row["type"].value)
    return snapshot
