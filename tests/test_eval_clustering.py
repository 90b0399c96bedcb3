"""storyline eval clustering on small real fixtures: metrics, dataset detection, bad folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import DataError
from storyline.evaluate.clustering import bcubed, load_timeline17, run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "clustering"


def test_bcubed_known_values() -> None:
    assert bcubed([0, 0, 1, 1], ["a", "a", "b", "b"]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed([0, 0, 0, 0], ["a", "a", "b", "b"])
    assert (p, r) == (0.5, 1.0) and f == pytest.approx(2 / 3)
    p, r, _ = bcubed([0, 1, 2, 3], ["a", "a", "b", "b"])
    assert (p, r) == (1.0, 0.5)


def test_multinews_fixture_ours_and_baseline() -> None:
    result = run(FIXTURES / "multinews")
    ours = result.rows["multinews-val: ours (track)"]
    base = result.rows["multinews-val: TF-IDF single-pass"]
    assert ours["gold"] == 8
    assert ours["B3-F1"] >= 0.85, result.table()
    assert 0.0 <= base["B3-F1"] <= 1.0 and "ARI" in base
    assert "| multinews-val: ours (track) |" in result.table()


def test_eval_root_runs_every_dataset_found() -> None:
    messages: list[str] = []
    result = run(FIXTURES, progress=messages.append)
    systems = list(result.rows)
    assert any(s.startswith("wikiref220:") for s in systems)
    assert any(s.startswith("multinews-val:") for s in systems)
    assert result.rows["wikiref220: ours (track)"]["gold"] == 3
    assert messages


def test_wrong_folder_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("nothing here")
    with pytest.raises(DataError, match="no clustering data found"):
        run(tmp_path)
    with pytest.raises(DataError, match="not a folder"):
        run(tmp_path / "missing")


def test_timeline17_reads_the_tar(tmp_path: Path) -> None:
    import io
    import tarfile

    tar_path = tmp_path / "InputDocs.tar.gz"
    with tarfile.open(tar_path, "w:gz") as tar:
        for name, text in [("./haiti_bbc/InputDocs/2010-01-13/1.htm.txt", "Haiti quake -LRB- aid -RRB- arrives ."),
                           ("./haiti_bbc/InputDocs/2010-01-12/2.htm.txt", "Earthquake hits Haiti ."),
                           ("./bpoil_bbc/InputDocs/2010-04-21/3.htm.txt", "Oil rig explodes ."),
                           ("./.DS_Store", "junk")]:
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    docs = load_timeline17(tmp_path)
    assert [(d.published, d.label) for d in docs] == [("2010-01-12", "haiti"), ("2010-01-13", "haiti"), ("2010-04-21", "bpoil")]
    assert "-LRB-" not in docs[1].text
