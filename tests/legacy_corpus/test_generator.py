"""The legacy-return generator: reproducible, varied, readable, and its recorded truth matches the cells.

Every check reads the written workbooks back with python-calamine (the importer's reader),
independently of the generator's own bookkeeping where it can: references are rendered again
from the catalogue, judgement words are looked up in the published vocabularies.
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import python_calamine

from legacy_corpus import generator, wording
from legacy_corpus.generator import GeneratedReturn, generate_corpus, sidecar_path, write_corpus
from nesds_desktop.domain.catalogue import Criterion, Section, Standard

SEED = 2006
CORPUS = 30


@cache
def corpus(seed: int = SEED, count: int = CORPUS) -> tuple[GeneratedReturn, ...]:
    return tuple(generate_corpus(seed, count))


def sheets_of(data: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet's cells as calamine shows them, padded so index r is spreadsheet row r + 1."""
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets: dict[str, list[list[Any]]] = {}
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        start_row = sheet.start[0] if sheet.start else 0
        sheets[name] = [[] for _ in range(start_row)] + sheet.to_python(skip_empty_area=False)
    return sheets


def criteria_by_ref() -> dict[str, tuple[Standard, Section, Criterion]]:
    return {c.ref: (standard, section, c) for standard in generator.bundled_standards()
            for section in standard.sections for c in section.criteria}


def cell(rows: list[list[Any]], row: int, column: int) -> Any:
    values = rows[row - 1] if row - 1 < len(rows) else []
    return values[column] if column < len(values) else ""


def words_kept(original: str, written: str) -> float:
    """The share of the original's words still in the written text (a reworded clause may move)."""
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower())
    present = set(words(written))
    return sum(word in present for word in words(original)) / len(words(original))


def judgements_meant_by(value: Any) -> set[str]:
    """Every judgement some published vocabulary gives ``value`` (a remark after the word is allowed)."""
    meant = set()
    for vocabulary in wording.VOCABULARIES.values():
        for judgement, words in vocabulary.items():
            for word in words:
                if isinstance(word, bool) or isinstance(value, bool):
                    if isinstance(word, bool) and isinstance(value, bool) and word is value:
                        meant.add(judgement)
                elif isinstance(word, int) and isinstance(value, int | float):
                    if value == word:
                        meant.add(judgement)
                elif isinstance(value, str) and isinstance(word, str) and (
                        value == word or any(value == word + remark for remark in wording.REMARKS)):
                    meant.add(judgement)
    return meant


def test_the_same_seed_gives_the_same_corpus_and_another_seed_a_different_one() -> None:
    first, again = corpus(), tuple(generate_corpus(SEED, CORPUS))
    assert [g.file_name for g in first] == [g.file_name for g in again]
    for one, other in zip(first, again, strict=True):
        assert one.sidecar == other.sidecar
        assert sheets_of(one.data) == sheets_of(other.data)
        if one.sidecar["format"] in ("xls", "ods"):  # openpyxl stamps its zip entries with the time
            assert one.data == other.data
    different = tuple(generate_corpus(SEED + 1, CORPUS))
    assert [g.sidecar["rows"] for g in different] != [g.sidecar["rows"] for g in first]


def expected_variations() -> set[str]:
    tags = {f"format:{f}" for f in generator.FORMATS} | {f"layout:{x}" for x in generator.LAYOUTS}
    tags |= {f"ref_style:{s}" for s in wording.REF_STYLES} | {f"vocabulary:{v}" for v in wording.VOCABULARIES}
    tags |= {f"date_style:{d}" for d in wording.DATE_STYLES} | {f"row_order:{o}" for o in generator.ROW_ORDERS}
    tags |= {f"authority_round_in:{s}" for s in generator.STATED_IN}
    tags |= {"level_words:" + "/".join(words) for words in wording.LEVEL_WORDS.values()}
    tags |= {f"hidden_column:{kind}" for kind in generator.HIDDEN_COLUMN_KINDS}
    tags |= {f"header:{field}:{name}" for field, names in wording.HEADERS.items() for name in names}
    features = set(generator.FEATURE_PERIODS) - {"header_on_row_1", "columns_in_usual_order"}
    return tags | features | {"no_title_block", "title_block", "columns_reordered", "columns_in_usual_order",
                              "reworded_text", "no_level_column", "not_applicable", "not_assessed_blank"}


def test_every_variation_appears_in_a_corpus_of_thirty() -> None:
    seen = {tag for generated in corpus() for tag in generated.sidecar["variations"]}
    assert expected_variations() - seen == set()
    assert len(expected_variations()) > 130  # the list itself is not trivially short


def test_every_file_opens_in_calamine_and_the_recorded_truth_matches_its_cells() -> None:
    catalogue = criteria_by_ref()
    checked = 0
    for generated in corpus():
        truth = generated.sidecar
        sheets = sheets_of(generated.data)
        records = {record["name"]: record for record in truth["sheets"]}
        assert set(records) <= set(sheets), generated.file_name
        ref_style = next(tag.split(":")[1] for tag in truth["variations"] if tag.startswith("ref_style:"))
        for name, record in records.items():
            headers = [cell(sheets[name], record["header_row"], c["column"]) for c in record["columns"].values()]
            assert headers == [c["header"] for c in record["columns"].values()], (generated.file_name, name)
        for row in truth["rows"]:
            rows, columns = sheets[row["sheet"]], records[row["sheet"]]["columns"]
            standard, section, criterion = catalogue[row["ref"]]
            assert row["row"] > records[row["sheet"]]["header_row"]
            statement = cell(rows, row["row"], columns["statement"]["column"])
            assert statement == row["written"]["statement"]
            assert words_kept(criterion.statement, statement) >= 0.6, (generated.file_name, row)
            assert row["reworded"] or statement == criterion.statement
            if "ref" in columns:
                ref_cell = cell(rows, row["row"], columns["ref"]["column"])
                expected = wording.written_ref(criterion, section, standard.code, ref_style)
                assert ref_cell in ("", expected) or (isinstance(ref_cell, float) and ref_cell == float(expected))
            answer = cell(rows, row["row"], columns["judgement"]["column"])
            if row["judgement"] is None:
                assert answer == "" or answer in wording.UNKNOWN_WORDS, (generated.file_name, row)
            else:
                assert row["judgement"] in judgements_meant_by(answer), (generated.file_name, row, answer)
            checked += 1
    assert checked == sum(len(g.sidecar["rows"]) for g in corpus()) > 2000


def test_rows_that_are_not_data_rows_carry_no_answer_under_the_header() -> None:
    """Title blocks, section headings, spacers and totals are not in the truth and hold no judgement."""
    for generated in corpus()[:10]:
        sheets = sheets_of(generated.data)
        data_rows = {(row["sheet"], row["row"]) for row in generated.sidecar["rows"]}
        for record in generated.sidecar["sheets"]:
            column = record["columns"]["judgement"]["column"]
            rows = sheets[record["name"]]
            for number in range(record["header_row"] + 1, len(rows) + 1):
                if (record["name"], number) not in data_rows:
                    assert not judgements_meant_by(cell(rows, number, column)), (generated.file_name, number)


def test_authority_and_round_are_where_the_sidecar_says() -> None:
    for generated in corpus():
        truth = generated.sidecar
        names = (truth["authority"].lower(), truth["authority_short"].lower())
        stated = truth["authority_round_stated_in"]
        in_name = any(name in generated.file_name.lower() for name in names)
        titles = " ".join(str(value).lower() for rows in sheets_of(generated.data).values()
                          for row in rows[:5] for value in row)
        assert in_name == (stated in ("file_name", "both")), generated.file_name
        assert (truth["authority"].lower() in titles) == (stated in ("title", "both")), generated.file_name
        year = int(truth["round"][:4])
        if stated != "neither":
            assert f"{(year + 1) % 100:02d}" in generated.file_name + titles


def test_hidden_columns_are_really_hidden(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    hidden = [g for g in corpus() if "hidden_column" in g.sidecar["variations"]]
    assert {g.sidecar["format"] for g in hidden} >= {"xlsx", "ods"}
    for generated in hidden:
        if generated.sidecar["format"] == "xlsx":
            book = load_workbook(io.BytesIO(generated.data))
            for record in generated.sidecar["sheets"]:
                for column in record["hidden_columns"]:
                    assert book[record["name"]].column_dimensions[get_column_letter(column + 1)].hidden
        elif generated.sidecar["format"] == "ods":
            content = zipfile.ZipFile(io.BytesIO(generated.data)).read("content.xml").decode()
            assert 'table:visibility="collapse"' in content


def test_hidden_sheets_and_merged_titles_are_real(tmp_path: Path) -> None:
    checked: set[tuple[str, str]] = set()
    for generated in corpus():
        variations, file_format = generated.sidecar["variations"], generated.sidecar["format"]
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(generated.data))
        if "hidden_sheet" in variations:
            hidden = [m.name for m in workbook.sheets_metadata
                      if m.visible != python_calamine.SheetVisibleEnum.Visible]
            assert hidden == ["Lists"], generated.file_name
            checked.add(("hidden_sheet", file_format))
        if "merged_title" in variations:
            first = generated.sidecar["sheets"][0]["name"]
            if file_format == "ods":  # calamine does not report .ods merges; the spans are in the XML
                content = zipfile.ZipFile(io.BytesIO(generated.data)).read("content.xml").decode()
                assert "table:number-columns-spanned" in content
            else:
                assert workbook.get_sheet_by_name(first).merged_cell_ranges, generated.file_name
            checked.add(("merged_title", file_format))
    assert {kind for kind, _ in checked} == {"hidden_sheet", "merged_title"}
    assert len(checked) >= 5


def test_the_corpus_is_the_same_in_another_process() -> None:
    """Reproducible across runs: a child process with other hash seeding writes the same truth."""
    import os
    import subprocess

    tests_folder = Path(__file__).resolve().parents[1]
    code = ("import json; from legacy_corpus.generator import generate_corpus; "
            "print(json.dumps([g.sidecar for g in generate_corpus(2006, 8)]))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", code], cwd=tests_folder, env=env, capture_output=True,
                            text=True, check=True, timeout=120)
    assert json.loads(result.stdout) == [json.loads(json.dumps(g.sidecar)) for g in corpus()[:8]]


def test_write_corpus_writes_workbooks_with_their_sidecars(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "corpus", seed=5, count=4)
    assert len(paths) == 4
    for path, generated in zip(paths, generate_corpus(5, 4), strict=True):
        sidecar = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
        assert sidecar == json.loads(json.dumps(generated.sidecar))
        assert sheets_of(path.read_bytes()) == sheets_of(generated.data)


@pytest.mark.parametrize("style", wording.REF_STYLES)
def test_every_reference_style_names_its_criterion_unless_it_is_missing(style: str) -> None:
    ict = generator.bundled_standards()[0]
    section = ict.sections[1]
    written = {wording.written_ref(c, section, ict.code, style) for c in section.criteria}
    if style == "missing":
        assert written == {""}
    elif style == "bare_within_level":  # "2.1" is M1, P1 and E1: only the level column tells them apart
        assert len(written) < len(section.criteria)
    else:
        assert len(written) == len(section.criteria)


def test_the_script_writes_a_corpus_people_can_try(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "scripts" / "make_legacy_corpus.py"
    spec = importlib.util.spec_from_file_location("make_legacy_corpus", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([str(tmp_path / "try"), "--count", "3", "--seed", "9"]) == 0
    written = sorted(p.name for p in (tmp_path / "try").iterdir())
    expected = sorted(name for g in generate_corpus(9, 3) for name in (g.file_name, g.file_name + ".truth.json"))
    assert written == expected
    assert "wrote 3 returns" in capsys.readouterr().out
    assert module.main([str(tmp_path / "plain"), "--count", "2", "--no-truth"]) == 0
    assert not list((tmp_path / "plain").glob("*.json"))
