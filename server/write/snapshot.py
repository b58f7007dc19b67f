"""The state of a server that accepts writes: `DIR/snapshot.nq`, the whole dataset as N-Quads (the data,
its recomputed inferred graph and the history of writes), replaced atomically after each accepted write.

A write is acknowledged only once its snapshot is on disk: written to `snapshot.nq.tmp`, fsync'd, renamed
over `snapshot.nq` (atomic on POSIX file systems), and the directory fsync'd so that the rename itself
survives a crash. A crash at any point leaves either the previous snapshot or the new one, never a mix;
a leftover `snapshot.nq.tmp` is ignored (and overwritten by the next write).
"""

from __future__ import annotations

import os
from pathlib import Path

from nipa_kg.core.errors import InputError

SNAPSHOT = "snapshot.nq"


def snapshot_path(state_dir: Path) -> Path:
    return state_dir / SNAPSHOT


def prepare(state_dir: Path) -> Path:
    """Create the state directory if needed and check that it is writable; the snapshot's path."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        probe = state_dir / ".writable"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"the data directory is not writable: {exc.strerror or exc}", state_dir) from exc
    return snapshot_path(state_dir)


def write_atomically(path: Path, chunks: list[bytes]) -> None:
    """`chunks` as the new content of `path`, durably (see the module docstring)."""
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
