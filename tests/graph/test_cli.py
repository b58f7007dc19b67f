import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from nipa_kg.graph import cli
from nipa_kg.server.cli import main

NIPA_KG = str(Path(sys.executable).parent / "nipa-kg")


@pytest.fixture
def fixture_sources(monkeypatch, fixtures, tmp_path):
    """The CLI reads the fixture sources and runs in an empty folder."""
    for name in ("ontology", "data", "shapes"):
        monkeypatch.setenv(f"NIPA_KG_{name.upper()}_DIR", str(fixtures / name))
    monkeypatch.delenv("NIPA_KG_BASE", raising=False)
    monkeypatch.delenv("NIPA_KG_OUT", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def built_here(fixture_sources):
    assert main(["build"]) == 0
    return fixture_sources / "dist"


STAGE = re.compile(r"^nipa-kg: .+: \d+(\.\d)? m?s$")  # a stage that went well, and its time


def stages(err: str) -> list[str]:
    return [line for line in err.splitlines() if STAGE.match(line)]


def one_error_line(err: str) -> str:
    """The one error line, after the stage lines of what went well before it."""
    lines = err.splitlines()
    assert lines and lines[:-1] == stages(err), err
    assert lines[-1].startswith("nipa-kg")
    assert "Traceback" not in err
    return lines[-1]


# build


def test_build_writes_the_dumps(fixture_sources, capsys):
    assert main(["build", "--out", "out"]) == 0
    assert len(list((fixture_sources / "out").iterdir())) == 8
    assert capsys.readouterr().out.startswith("built out (ontology ")


def test_build_with_violations_prints_the_report_and_writes_nothing(
    fixture_sources, fixtures, monkeypatch, capsys
):
    monkeypatch.setenv("NIPA_KG_DATA_DIR", str(fixtures / "invalid"))
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.split("\n", len(stages(err)))[-1].startswith("does not conform: 4 violations, 1 warning")
    assert "Violation: division:orphan ^nipa:hasDivision: a division belongs to an agency" in err
    assert not (fixture_sources / "dist").exists()


def test_build_with_a_syntax_error_names_file_and_line(fixture_sources, fixtures, monkeypatch, capsys):
    monkeypatch.setenv("NIPA_KG_DATA_DIR", str(fixtures / "broken"))
    assert main(["build"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert (
        line
        == f"nipa-kg: error: {fixtures / 'broken' / 'unterminated.ttl'}:5: newline found in string literal"
    )
    assert not (fixture_sources / "dist").exists()


def test_build_with_a_bad_base(fixture_sources, capsys):
    assert main(["build", "--base", "not-an-iri"]) == 2
    assert "base IRI" in one_error_line(capsys.readouterr().err)


def test_build_base_from_the_environment(fixture_sources, monkeypatch):
    monkeypatch.setenv("NIPA_KG_BASE", "http://localhost:5000/")
    assert main(["build"]) == 0
    dataset = Dataset().parse(fixture_sources / "dist" / "nipa-kg.trig", format="trig")
    assert len(dataset.graph(URIRef("http://localhost:5000/graph/data"))) > 0


# validate


def test_validate_conforming_files(fixture_sources, fixtures, capsys):
    assert main(["validate", str(fixtures / "data" / "mini.ttl")]) == 0
    assert capsys.readouterr().out == "conforms: 0 violations, 0 warnings, 0 infos\n"


def test_validate_a_built_dump(built_here, capsys):
    assert main(["validate", str(built_here / "nipa-kg.trig")]) == 0


@pytest.mark.parametrize("fmt", ["text", "json", "turtle"])
def test_validate_violations(fixture_sources, fixtures, capsys, fmt):
    assert main(["validate", str(fixtures / "invalid" / "mini.ttl"), "--format", fmt]) == 1
    out = capsys.readouterr().out
    if fmt == "json":
        assert json.loads(out)["counts"]["Violation"] == 4
    elif fmt == "turtle":
        assert len(Graph().parse(data=out, format="turtle")) > 0
    else:
        assert out.startswith("does not conform: 4 violations")


def test_validate_without_inference_sees_only_the_files(fixture_sources, fixtures, capsys):
    # without the ontology, the division is not known as an org:OrganizationalUnit etc.; nothing is targeted
    assert main(["validate", "--no-inference", str(fixtures / "data" / "mini.ttl")]) == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("broken/bad-object.nt", "bad-object.nt:2: Invalid line"),
        ("broken/mismatched-tag.rdf", "mismatched-tag.rdf:4: mismatched tag"),
        ("nothere.ttl", "nothere.ttl: No such file or directory"),
        ("data/mini.docx", "mini.docx: unknown RDF format (extension '.docx')"),
    ],
)
def test_validate_bad_input_is_one_line_and_exit_2(fixture_sources, fixtures, capsys, name, expected):
    assert main(["validate", str(fixtures / name)]) == 2
    assert expected in one_error_line(capsys.readouterr().err)


# query


def test_query_uses_the_built_dump(built_here, capsys):
    assert main(["query", "SELECT ?d WHERE { ?d a nipa:Division }"]) == 0
    assert capsys.readouterr().out.splitlines() == ["?d", "-----------", "division:ai", "(1 row)"]


def test_query_without_a_dump_builds_in_memory(fixture_sources, capsys):
    assert main(["query", "ASK { ?s a schema:Organization }"]) == 0
    assert capsys.readouterr().out == "true\n"
    assert not (fixture_sources / "dist").exists()


@pytest.mark.parametrize("data", ["dist", "dist/nipa-kg.nq"])
def test_query_data_folder_or_file(built_here, capsys, data):
    assert (
        main(["query", "--data", data, "--format", "csv", "SELECT (COUNT(*) AS ?n) { ?s a nipa:Agency }"])
        == 0
    )
    assert capsys.readouterr().out.splitlines() == ["n", "1"]


def test_query_from_a_file(built_here, capsys):
    Path("q.rq").write_text("SELECT ?d WHERE { ?d a nipa:Division }")
    assert main(["query", "--file", "q.rq", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["head"]["vars"] == ["d"]


def test_query_construct_prints_turtle(built_here, capsys):
    assert main(["query", "CONSTRUCT WHERE { ?d a nipa:Division }"]) == 0
    assert Graph().parse(data=capsys.readouterr().out, format="turtle")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["SELEC * { ?s ?p ?o }"], "nipa-kg: error: line 1: SPARQL syntax error at column"),
        (["--file", "missing.rq"], "nipa-kg: error: missing.rq: No such file or directory"),
        (["--data", "nowhere", "ASK {}"], "nipa-kg: error: nowhere: no such file"),
        ([], "nipa-kg: error: give the query as an argument or with --file"),
        (["ASK {}", "--file", "q.rq"], "nipa-kg: error: give the query as an argument or with --file"),
        (["--format", "html", "ASK {}"], "nipa-kg query: error: argument --format: invalid choice"),
    ],
)
def test_query_bad_input(built_here, capsys, args, expected):
    assert main(["query", *args]) == 2
    assert one_error_line(capsys.readouterr().err).startswith(expected)


# export


def test_export_to_stdout(fixture_sources, capsys):
    assert main(["export"]) == 0
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) > 100


def test_export_named_graphs(fixture_sources, capsys):
    assert main(["export", "--format", "nq"]) == 0
    dataset = Dataset().parse(data=capsys.readouterr().out, format="nquads")
    assert len([g for g in dataset.graphs() if len(g)]) == 5


def test_export_format_from_the_out_file(fixture_sources):
    assert main(["export", "--out", "graph.jsonld"]) == 0
    assert json.loads(Path("graph.jsonld").read_text())["@context"]["nipa"].endswith("ontology#")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--format", "n3"], "nipa-kg export: error: argument --format: invalid choice: 'n3'"),
        (["--out", "graph.weird"], "nipa-kg: error: graph.weird: unknown RDF format (extension '.weird')"),
    ],
)
def test_export_bad_input(fixture_sources, capsys, args, expected):
    assert main(["export", *args]) == 2
    assert one_error_line(capsys.readouterr().err).startswith(expected)
    assert list(fixture_sources.iterdir()) == []


def test_export_a_failing_build_writes_no_file(fixture_sources, fixtures, monkeypatch, capsys):
    monkeypatch.setenv("NIPA_KG_DATA_DIR", str(fixtures / "invalid"))
    assert main(["export", "--out", "graph.ttl"]) == 1
    assert not Path("graph.ttl").exists()


# diagram


def test_diagram_writes_svg(fixture_sources, capsys):
    assert main(["diagram", "--out", "docs/model.svg"]) == 0
    assert "<svg" in Path("docs/model.svg").read_text()


# the command line itself


@pytest.mark.parametrize(
    ("args", "expected"), [([], "required: COMMAND"), (["frobnicate"], "invalid choice")]
)
def test_usage_errors_are_one_line(capsys, args, expected):
    assert main(args) == 2
    assert expected in one_error_line(capsys.readouterr().err)


def test_help_and_version_exit_0(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("nipa-kg ")


def test_more_commands_are_added_to_the_build_commands(capsys):
    def add_hello(subparsers):
        parser = subparsers.add_parser("hello")
        parser.set_defaults(func=lambda args, settings: print("hello", settings.base) or 0)

    assert cli.main(["hello"], more=(add_hello,)) == 0
    assert capsys.readouterr().out == "hello https://w3id.org/nipa-kg/\n"
    assert cli.main(["hello"]) == 2  # the build's commands alone do not have it


def test_the_entry_point_has_the_server_commands(capsys):
    assert main(["serve", "--port", "-1"]) == 2  # parsed by the serve command, refused by its settings
    assert one_error_line(capsys.readouterr().err) == "nipa-kg: error: port must be 0-65535, not -1"
    for command in ("query", "publish"):
        assert main([command, "--help"]) == 0
        assert f"usage: nipa-kg {command}" in capsys.readouterr().out


def test_build_commands_do_not_import_flask_or_granian():
    code = (
        "import sys; from nipa_kg.server.cli import main; "
        "main(['--version']); print(sorted(m for m in ('flask', 'granian') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]"


# the installed console script


def run(args, env, cwd):
    return subprocess.run([NIPA_KG, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_console_script_round_trip(mini_env, tmp_path):
    env = mini_env()
    assert run(["build"], env, tmp_path).returncode == 0
    result = run(
        ["query", "SELECT ?l { ?a a nipa:Agency ; rdfs:label ?l } ORDER BY ?l", "--format", "tsv"],
        env,
        tmp_path,
    )
    assert (result.returncode, result.stdout) == (0, '?l\n"NIPA"@en\n"정보통신산업진흥원"@ko\n')


@pytest.mark.parametrize(
    ("args", "data", "code", "expected"),
    [
        (["build"], "invalid", 1, "does not conform: 4 violations"),
        (["build"], "broken", 2, "unterminated.ttl:5: newline found in string literal"),
        (["validate", "missing.ttl"], "data", 2, "nipa-kg: error: missing.ttl: No such file or directory"),
        (["query", "SELECT"], "data", 2, "nipa-kg: error: line 1: SPARQL syntax error"),
        (["export", "--format", "n3"], "data", 2, "invalid choice"),
    ],
)
def test_console_script_errors(mini_env, tmp_path, args, data, code, expected):
    result = run(args, mini_env(data), tmp_path)
    assert result.returncode == code
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
