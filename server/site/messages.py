"""The words of the site in each page language: key → {"en": ..., "ko": ...}, kept as data in
`messages.json` beside this module.

Data (labels, descriptions, notes) comes from the graph in its own languages; only the site's own words
are there. `%s`/`%d` mark what a page fills in.
"""

from __future__ import annotations

import json
from importlib.resources import files

MESSAGES: dict[str, dict[str, str]] = json.loads(
    files("nipa_kg.server.site").joinpath("messages.json").read_text(encoding="utf-8")
)
