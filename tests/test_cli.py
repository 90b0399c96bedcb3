"""The command line as a user runs it: output, errors, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from storyline.cli import cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kim-putin-summit-2023"
GOOD = EXAMPLE / "004_8cae0baa380acb99.txt"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def test_help_shows_an_example_for_every_command() -> None:
    for command in ([], ["brief"], ["eval"]):
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output


def test_brief_json_follows_the_contract_schema() -> None:
    result = run("brief", str(EXAMPLE), "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    schema = json.loads(resources.files("storyline.report").joinpath("schema.json").read_text())
    jsonschema.validate(data, schema)
    assert len(data["articles"]) == 5
    # every summary sentence cites at least one real article sentence
    sentences = {a["id"]: a["sentences"] for a in data["articles"]}
    assert data["summary"]
    for s in data["summary"]:
        assert s["citations"]
        for c in s["citations"]:
            assert 0 <= c["sentence"] < len(sentences[c["article"]])


def test_markdown_to_stdout_and_html_file(tmp_path: Path) -> None:
    html = tmp_path / "out" / "briefing.html"
    result = run("brief", str(EXAMPLE), "--html", str(html), "--words", "80")
    assert result.exit_code == 0
    assert result.stdout.startswith("# ")
    assert "## In brief" in result.stdout
    assert html.read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.fixture()
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "latin1.txt").write_bytes("Headline\nCafé au lait à Paris, déjà vu. ".encode("latin-1") * 50)
    (tmp_path / "nothing.html").write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    (tmp_path / "emptydir").mkdir()
    return {
        "empty.txt": tmp_path / "empty.txt",
        "binary.txt": tmp_path / "binary.txt",
        "latin1.txt": tmp_path / "latin1.txt",
        "nothing.html": tmp_path / "nothing.html",
        "emptydir": tmp_path / "emptydir",
        "missing.txt": tmp_path / "missing.txt",
    }


def test_bad_inputs_are_named_and_the_rest_is_briefed(bad_inputs: dict[str, Path], tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    shutil.copy(GOOD, good)
    result = run("brief", *map(str, bad_inputs.values()), str(good), "--format", "json", "-q")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    for name in bad_inputs:
        assert any(name in line for line in errors), (name, result.stderr)
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert [a["path"] for a in data["articles"]] == [str(good)]


def test_nothing_usable_exits_2(bad_inputs: dict[str, Path]) -> None:
    result = run("brief", *map(str, bad_inputs.values()), "-q")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "none of the inputs could be used" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_inputs_is_a_usage_error() -> None:
    result = run("brief")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no inputs given")


def test_stdin_is_an_input() -> None:
    result = run("brief", "-", "--format", "json", "-q", stdin=GOOD.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["articles"]) == 1


@pytest.mark.slow
def test_python_dash_m_works_the_same(tmp_path: Path) -> None:
    out = tmp_path / "b.md"
    proc = subprocess.run(
        [sys.executable, "-m", "storyline", "brief", str(GOOD), "-o", str(out), "-q"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("# ")
    # standard output carries nothing but the briefing (no library chatter), so it pipes into jq
    proc = subprocess.run(
        [sys.executable, "-m", "storyline", "brief", str(EXAMPLE), "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["schema"] == "storyline.brief/1"


def test_track_then_stories_then_brief_a_story(tmp_path: Path) -> None:
    db = tmp_path / "stories.db"
    first = run("track", str(EXAMPLE), "--db", str(db), "-q")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("5 articles added")
    again = run("track", str(EXAMPLE), "--db", str(db), "-q")
    assert again.exit_code == 0
    assert "0 articles added" in again.stdout and "5 duplicates skipped" in again.stdout
    listing = run("stories", "--db", str(db), "--json")
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["articles"] == 5
    unknown = run("brief", "--story", "nope", "--db", str(db))
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("Error: ") and "nope" in unknown.stderr


def test_a_store_that_is_not_a_database_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("my notes, not a database\n")
    result = run("track", str(GOOD), "--db", str(db), "-q")
    assert result.exit_code == 2
    assert "not a storyline store" in result.stderr and str(db) in result.stderr
    assert db.read_text() == "my notes, not a database\n"


@pytest.mark.parametrize("task", ["summaries", "timelines", "extraction", "coref", "clustering"])
def test_eval_with_a_wrong_data_folder_says_what_was_expected(task: str, tmp_path: Path) -> None:
    missing = run("eval", task, "--data", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert missing.stderr.startswith("Error: ") and "nowhere" in missing.stderr
    (tmp_path / "junk.txt").write_text("not the data")
    wrong = run("eval", task, "--data", str(tmp_path), "-q")
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("Error: ")
    assert "Traceback" not in wrong.stderr
