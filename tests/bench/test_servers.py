"""The bench's process-tree accounting: memory and CPU of a server count its descendants (nipa-kg's
evaluator is a child of the serving process, started from a thread of it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bench.servers import MemorySampler, descendants, tree_cpu, tree_memory

MIB = 1 << 20
CHILD = "b = b'x' * (64 << 20); import time; time.sleep(60)"  # 64 MiB written, so resident
PARENT = f"""
import subprocess, sys, threading, time
threading.Thread(target=lambda: subprocess.Popen([sys.executable, '-c', {CHILD!r}])).start()
time.sleep(60)
"""


def test_memory_and_cpu_are_summed_over_the_children_a_thread_started() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            tree = descendants(parent.pid)
            if len(tree) == 2 and tree_memory(tree[1]) > 64 * MIB:
                break
            time.sleep(0.05)
        assert len(tree) == 2, tree
        child = tree[1]
        own = tree_memory(parent.pid) - tree_memory(child)
        assert tree_memory(parent.pid) >= own + 64 * MIB
        sampler = MemorySampler(parent.pid)
        sampler.stop()
        assert sampler.peak_rss >= 64 * MIB and sampler.rss >= 64 * MIB and sampler.pss >= 64 * MIB
        assert tree_cpu(parent.pid) >= tree_cpu(child) > 0  # the child wrote 64 MiB: some CPU
    finally:
        for pid in reversed(descendants(parent.pid)):
            os.kill(pid, signal.SIGKILL)
        parent.wait()
