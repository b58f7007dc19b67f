"""Settings for one run, built from CLI flags and environment variables (flag > environment > default).

| field          | flag     | environment            | default                    |
|----------------|----------|------------------------|----------------------------|
| `base`         | `--base` | `NIPA_KG_BASE`         | `https://w3id.org/nipa-kg/` |
| `out_dir`      | `--out`  | `NIPA_KG_OUT`          | `dist`                     |
| `ontology_dir` |          | `NIPA_KG_ONTOLOGY_DIR` | the packaged `nipa_kg.ontology` |
| `data_dir`     |          | `NIPA_KG_DATA_DIR`     | the packaged `nipa_kg.graph.data` |
| `shapes_dir`   |          | `NIPA_KG_SHAPES_DIR`   | the packaged `nipa_kg.shapes` |
| `build_date`   |          | `SOURCE_DATE_EPOCH`    | today (the metadata's `dct:modified`) |
| `reasoner`     | `--reasoner` | `NIPA_KG_REASONER` | `reasonable`, or `owlrl` (see engines.py) |

The `*_dir` overrides read every `*.ttl` in the folder instead of the packaged files (tests, variants).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from nipa_kg.core.config import flag_env_values
from nipa_kg.core.errors import InputError
from nipa_kg.core.namespaces import DEFAULT_BASE, graph_iri
from nipa_kg.graph.engines import DEFAULT_ENGINE, ENGINES

ENVIRONMENT = {
    "base": "NIPA_KG_BASE",
    "out_dir": "NIPA_KG_OUT",
    "ontology_dir": "NIPA_KG_ONTOLOGY_DIR",
    "data_dir": "NIPA_KG_DATA_DIR",
    "shapes_dir": "NIPA_KG_SHAPES_DIR",
    "build_date": "SOURCE_DATE_EPOCH",
    "reasoner": "NIPA_KG_REASONER",
}


def _epoch_date(value: str) -> date:
    try:
        return datetime.fromtimestamp(int(value), UTC).date()
    except (ValueError, OverflowError) as exc:
        raise InputError(f"SOURCE_DATE_EPOCH must be seconds since 1970, not {value!r}") from exc


CONVERTERS = {
    "out_dir": Path,
    "ontology_dir": Path,
    "data_dir": Path,
    "shapes_dir": Path,
    "build_date": _epoch_date,
}


@dataclass(frozen=True)
class Settings:
    base: str = DEFAULT_BASE
    out_dir: Path = Path("dist")
    ontology_dir: Path | None = None
    data_dir: Path | None = None
    shapes_dir: Path | None = None
    build_date: date = field(default_factory=date.today)
    reasoner: str = DEFAULT_ENGINE

    def __post_init__(self) -> None:
        parts = urlsplit(self.base)
        if parts.scheme not in ("http", "https") or not parts.netloc or not self.base.endswith("/"):
            raise InputError(f"the base IRI must be an http(s) IRI ending in '/', not {self.base!r}")
        if self.reasoner not in ENGINES:
            raise InputError(f"unknown reasoner {self.reasoner!r}; known: {', '.join(ENGINES)}")

    @classmethod
    def from_sources(
        cls, flags: Mapping[str, object | None] | None = None, env: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from flags (field name → value, None when not given) over `env` (default os.environ)."""
        return cls(**flag_env_values(cls, flags, env, ENVIRONMENT, CONVERTERS))

    def graph_iri(self, name: str) -> str:
        """The IRI of one of the named graphs (`ontology`, `data`, `inferred`, `shapes`, `metadata`)."""
        return graph_iri(self.base, name)

    def dump_url(self, extension: str) -> str:
        return f"{self.base}dumps/nipa-kg.{extension}"
