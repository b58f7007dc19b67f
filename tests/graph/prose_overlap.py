"""How much of a text is the source article's own wording: the share of its 6-character runs (spaces
removed) that also occur in the article.

The article is copyrighted and is not in the repository. What the tests compare against is
tests/graph/fixtures/article-shingles.txt: one-way hashes (the first 16 hex digits of SHA-256) of the
article's 6-character runs, one per line, sorted. Regenerate it from a copy of the article with

    python tests/graph/prose_overlap.py ARTICLE.txt > tests/graph/fixtures/article-shingles.txt

where ARTICLE.txt is the article's text (nipa-2025-plan-article.ko.txt, kept outside the repository).
The tests never run this and never read the article. Runs are taken within each paragraph (the article's
non-empty lines), after removing all white space, so no run spans two paragraphs.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

RUN = 6
SHINGLES = Path(__file__).parent / "fixtures" / "article-shingles.txt"


def runs(text: str) -> list[str]:
    """The 6-character runs of `text` with all white space removed, in order, repeats kept."""
    squeezed = "".join(text.split())
    return [squeezed[i : i + RUN] for i in range(len(squeezed) - RUN + 1)]


def digest(run: str) -> str:
    return hashlib.sha256(run.encode("utf-8")).hexdigest()[:16]


def hashes(paragraphs: Iterable[str]) -> set[str]:
    return {digest(run) for paragraph in paragraphs for run in runs(paragraph)}


def overlap(text: str, known: set[str]) -> float:
    """The share of the runs of `text` whose hash is in `known` (0.0 for a text shorter than one run)."""
    found = runs(text)
    return sum(digest(run) in known for run in found) / len(found) if found else 0.0


def load(path: Path = SHINGLES) -> set[str]:
    return {line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip()}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(
            "usage: python tests/graph/prose_overlap.py ARTICLE.txt > article-shingles.txt", file=sys.stderr
        )
        return 2
    paragraphs = [line for line in Path(argv[0]).read_text(encoding="utf-8").splitlines() if line.strip()]
    sys.stdout.write("".join(f"{h}\n" for h in sorted(hashes(paragraphs))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
