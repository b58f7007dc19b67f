"""Atomic file writes: readers see the old files or the new ones, never half a file.

Files are first written into a staging folder inside the target folder (same file system), then moved into
place with os.replace. If anything fails before the moves, the target folder is left as it was (and removed
again if we had to create it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_file(path: Path, data: bytes) -> None:
    write_files(path.parent, {path.name: data})


def write_files(directory: Path, files: Mapping[str, bytes]) -> None:
    """Write `files` (name → content) into `directory`, all or nothing up to the final moves."""
    created = first_missing(directory)
    staging: Path | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".nipa-kg-", dir=directory))
        for name, data in files.items():
            (staging / name).write_bytes(data)
    except BaseException:
        for leftover in (staging, created):
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)
        raise
    try:
        for name in files:
            os.replace(staging / name, directory / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def first_missing(directory: Path) -> Path | None:
    """The outermost folder of `directory`'s path that does not exist yet, if any."""
    missing = None
    for folder in (directory, *directory.parents):
        if folder.exists():
            break
        missing = folder
    return missing
