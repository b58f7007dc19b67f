"""`.ci/run` installs the Korean fonts the browser tests need whenever they are missing, whether or not
Chromium is there (a machine with Chromium and no CJK font once passed while Korean rendered as boxes).
Its install step runs here against stand-in `dpkg-query`, `apt-get` and `id` commands."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[3] / ".ci" / "run"


def install_step() -> str:
    text = RUN.read_text(encoding="utf-8")
    start = text.index("say() {")
    end = text.index("\nfi\n", start) + len("\nfi\n")
    return text[start:end]


def run_install(tmp_path: Path, fonts_installed: bool) -> list[str]:
    """Run the install step with fake commands; the apt-get calls it made."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    status = "install ok installed" if fonts_installed else ""
    fakes = {
        "dpkg-query": f'[ "${{@: -1}}" = fonts-noto-cjk ] && printf "{status}"; [ -n "{status}" ]',
        "apt-get": f'echo "$*" >> {log}',
        "id": "echo 0",
        "virtuoso-t": "true",
        "python3": "true",  # `import ensurepip` works
    }
    for name, body in fakes.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/bash\n{body}\n")
        path.chmod(0o755)
    script = "set -euo pipefail\n" + install_step()
    subprocess.run(["/bin/bash", "-c", script], check=True, env={"PATH": f"{bin_dir}:/usr/bin:/bin"})
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.skipif(not Path("/bin/bash").exists(), reason="needs bash")
def test_missing_korean_fonts_are_installed_even_with_chromium_present(tmp_path):
    calls = run_install(tmp_path, fonts_installed=False)
    installs = [c for c in calls if c.startswith("install")]
    assert installs and "fonts-noto-cjk" in installs[0].split(), calls


@pytest.mark.skipif(not Path("/bin/bash").exists(), reason="needs bash")
def test_nothing_is_installed_when_everything_is_there(tmp_path):
    if not Path("/usr/lib/chromium/chromium").exists():
        pytest.skip("Chromium is missing here, so the step would rightly install it")
    assert run_install(tmp_path, fonts_installed=True) == []
