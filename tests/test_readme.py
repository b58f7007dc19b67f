"""The README's example questions: each SPARQL block is the canned query it names, and each answer is what
`nipa-kg query` prints for it today. When the data changes, this fails with the new answer to paste in.

And its set-up commands: two, the first of which installs and serves on a Python that refuses `pip
install` outside a virtual environment (PEP 668, as Debian's and Ubuntu's do), reading the checkout's
files so that an edit to them shows."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
import requests
from rdflib import Dataset

from nipa_kg.server.query.local import TABLE, render_result, run_query, store_of
from tests.processes import free_port, wait_until_ready

README = Path(__file__).resolve().parents[1] / "README.md"
EXAMPLE = re.compile(r"<!-- query: (\S+) -->\n```sparql\n(.*?)```\n\n```text\n(.*?)```", re.DOTALL)
BASE = "https://w3id.org/nipa-kg/"


def examples() -> list[tuple[str, str, str]]:
    return EXAMPLE.findall(README.read_text(encoding="utf-8"))


def test_readme_has_five_example_questions() -> None:
    assert len(examples()) >= 5


@pytest.mark.parametrize(("name", "sparql", "answer"), examples(), ids=[e[0] for e in examples()])
def test_readme_example_matches_canned_query_and_live_answer(
    built_dataset: Dataset, name: str, sparql: str, answer: str
) -> None:
    canned = files("nipa_kg.graph.queries").joinpath(name).read_text(encoding="utf-8")
    assert sparql == canned
    live = render_result(run_query(store_of(built_dataset), canned, BASE), TABLE, BASE).decode("utf-8")
    assert answer == live, f"README answer for {name} is stale; it is now:\n{live}"


# The set-up commands: exactly two, and the first works on a Python that refuses `pip install` (PEP 668)


SET_UP = re.compile(r"## Set up\n(.*?)\n## ", re.DOTALL)
COMMAND = re.compile(r"```sh\n(.*?)\n```", re.DOTALL)
ROOT = README.parent


def set_up_commands() -> list[str]:
    section = SET_UP.search(README.read_text(encoding="utf-8"))
    assert section, "README has no Set up section"
    return COMMAND.findall(section.group(1))


def test_readme_gives_two_set_up_commands_one_serving_one_testing() -> None:
    serve, test = set_up_commands()
    steps = serve.split(" && ")
    assert steps[0].startswith("python3 -m venv ") and steps[0].endswith(" .venv")  # its own environment
    assert steps[1] == ".venv/bin/python -m pip install -e ."  # editable: the checkout's files are read
    assert steps[2] == ".venv/bin/nipa-kg serve"  # on the embedded default store
    assert test == "bash .ci/run"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci and "pytest" in ci


def externally_managed_python(folder: Path) -> Path:
    """A copy of the Python running the tests (its stdlib linked, not copied) that is no virtual environment,
    as a stock Debian or Ubuntu Python is: an EXTERNALLY-MANAGED marker in its stdlib, no ensurepip (no
    `python3-venv`), and in its site-packages pip and our dependencies (Debian's python3-* packages)."""
    base, version = Path(sys.base_prefix), f"python{sys.version_info.major}.{sys.version_info.minor}"
    binary, stdlib = base / "bin" / version, base / "lib" / version
    if not binary.is_file() or not (stdlib / "os.py").is_file():
        pytest.skip(f"{base} is not laid out as bin/{version} and lib/{version}")
    (folder / "bin").mkdir(parents=True)
    shutil.copy2(binary, folder / "bin" / "python3")
    (folder / "lib" / version).mkdir(parents=True)
    for shared in base.glob("lib/libpython*"):
        (folder / "lib" / shared.name).symlink_to(shared)
    for entry in stdlib.iterdir():
        if entry.name not in ("site-packages", "dist-packages", "ensurepip", "EXTERNALLY-MANAGED"):
            (folder / "lib" / version / entry.name).symlink_to(entry)
    (folder / "lib" / version / "EXTERNALLY-MANAGED").write_text(
        "[externally-managed]\nError=This Python is managed by the system (a test's stand-in for Debian's).\n"
    )
    python = folder / "bin" / "python3"
    where = subprocess.run(
        [python, "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True,
        text=True,
        check=True,
    )
    site_packages = Path(where.stdout.strip())
    site_packages.mkdir(parents=True, exist_ok=True)
    ours = Path(next(p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix)))
    for entry in ours.iterdir():
        if "nipa_kg" not in entry.name and not entry.name.startswith("__editable__"):
            (site_packages / entry.name).symlink_to(entry)
    return python


def checkout_copy(folder: Path) -> Path:
    """The checkout's tracked files (as committed or edited), without its .venv and dist."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=False)
    names = [name for name in listed.stdout.decode().split("\0") if name] if listed.returncode == 0 else []
    if not names:
        shutil.copytree(ROOT, folder, ignore=shutil.ignore_patterns(".venv", "dist", "*.egg-info", ".git"))
        return folder
    for name in names:
        if (ROOT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    return folder


def english_label(url: str, division: str) -> str:
    query = f"""SELECT ?l {{ <https://w3id.org/nipa-kg/id/division/{division}>
                 <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = "en") }}"""
    answer = requests.get(url, params={"query": query, "format": "csv"}, timeout=10)
    return answer.text.splitlines()[1]


def test_the_first_command_installs_in_a_venv_and_serves_where_pip_install_is_refused(tmp_path: Path) -> None:
    python = externally_managed_python(tmp_path / "system")
    checkout = checkout_copy(tmp_path / "checkout")
    refused = subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "."], cwd=checkout, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stdout + refused.stderr

    port, log = free_port(), tmp_path / "set-up.log"
    own = ("NIPA_KG_", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")  # not the environment running the tests
    env = {name: value for name, value in os.environ.items() if not name.startswith(own)}
    env |= {"PATH": f"{python.parent}{os.pathsep}{env['PATH']}", "NIPA_KG_PORT": str(port)}
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["bash", "-c", set_up_commands()[0]],
            cwd=checkout,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the command's own process group: stopped below, as a whole
        )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_until_ready(process, url, 600)
        assert english_label(url, "global") == "Global Division"
    except BaseException:
        print(log.read_text(errors="replace"))
        raise
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert (checkout / ".venv" / "pyvenv.cfg").is_file() and (
        checkout / ".venv" / "bin" / "nipa-kg"
    ).is_file()
    assert "nipa-kg: validate (SHACL): " in log.read_text()  # built in memory, saying so

    data = checkout / "graph" / "data" / "agency.ttl"
    data.write_text(data.read_text("utf-8").replace('"Global Division"@en', '"Global Division (edited)"@en'))
    query = 'SELECT ?l { division:global rdfs:label ?l FILTER(lang(?l) = "en") }'
    edited = subprocess.run(
        [checkout / ".venv" / "bin" / "nipa-kg", "query", "-q", "--format", "csv", query],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert edited.stdout.splitlines() == ["l", "Global Division (edited)"]
