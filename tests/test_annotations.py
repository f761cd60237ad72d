"""Corrections and faults kept as printed are data: `{value, printed, reason}` / `{value, accepted}`.

A reader holding the paper sees, at the cell, a numbered note saying what was printed and why the
site differs (or why a printed fault was kept); `check` stays quiet about accepted faults, so the
shipped samples check clean and build with `mkdocs build --strict`.
"""

from __future__ import annotations

import logging
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from seedcheck import run_check
from sebabox.errors import Problems
from sebabox.inputs import validate as validate_module
from sebabox.inputs.annotations import extract
from sebabox.inputs.check import check_plans
from sebabox.inputs.yamlsafe import parse_yaml_text

PLANS = ROOT / "plans"


def _extract(text: str):
    data, lines = parse_yaml_text(textwrap.dedent(text))
    return extract(data, lines)


# --------------------------------------------------------------------------- the file format


def test_a_correction_is_read_as_its_value_with_what_was_printed_and_why():
    data, notes, errors = _extract("""\
        weight: {value: ৪, printed: ৮, reason: যোগফল ৩০ হয় কেবল ৪ হলে}
        levels: [১, {value: ২, accepted: ছাপা অনুযায়ী}, null]
        """)
    assert errors == []
    assert data == {"weight": "৪", "levels": ["১", "২", None]}
    weight = notes[("weight",)]
    assert (weight.line, weight.printed, weight.reason, weight.accepted) == (1, "৮", "যোগফল ৩০ হয় কেবল ৪ হলে", None)
    accepted = notes[("levels", 1)]
    assert accepted.accepted == "ছাপা অনুযায়ী" and accepted.line == 2 and not accepted.is_correction


def test_a_printed_list_keeps_its_cells_in_bengali_digits():
    _, notes, errors = _extract('levels: {value: [0.0008, null], printed: ["0,0008", null], reason: কমা}\n')
    assert errors == [] and notes[("levels",)].printed == "০,০০০৮, -"


@pytest.mark.parametrize("text, message", [
    ("weight: {value: ৪, printed: ৮}\n", "সংশোধনের কারণ নেই"),
    ("weight: {value: ৪, reason: কারণ}\n", "ছাপা মান নেই"),
    ("weight: {value: ৪, printed: ৮, reason: ক, accepted: খ}\n", "একসাথে লেখা যায় না"),
    ("weight: {value: ৪, printed: ৮, reson: ক}\n", "'reson'"),
    ("weight: {value: ৪, accepted: ''}\n", "খালি রাখা যাবে না"),
    ("weight: {value: ৪}\n", "'value:' এর পাশে"),
    ("weight: {value: {value: ৪, accepted: ক}, accepted: খ}\n", "আরেকটি সংশোধন"),
])
def test_a_malformed_annotation_gets_a_located_message_saying_what_to_write(text, message):
    _, _, errors = _extract("kind: nis\n" + text)
    assert errors and all(line == 2 for line, _ in errors), errors
    assert any(message in m for _, m in errors), errors


def test_a_misspelt_key_in_an_annotation_gets_a_suggestion():
    _, _, errors = _extract("weight: {value: ৪, printed: ৮, reson: ক}\n")
    assert any("'reason' লিখতে চেয়েছিলেন?" in m for _, m in errors), errors


def test_check_reports_a_malformed_annotation_at_its_line(tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    path = plans / "itna-upazila-cooperative" / "2023-24" / "nis.yaml"
    text = path.read_text(encoding="utf-8").replace("        target: ২\n", "        target: {value: ২, printed: ৩}\n", 1)
    path.write_text(text, encoding="utf-8")
    code, output = run_check(plans)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "printed: ৩" in l)
    assert code == 1
    assert f"{path}:{line}: error: সংশোধনের কারণ নেই" in output


# --------------------------------------------------------------------------- check on the shipped samples


def test_the_shipped_samples_check_with_no_error_and_no_warning():
    problems, _ = check_plans(PLANS)
    assert [str(p) for p in problems] == []


def test_every_accepted_fault_would_be_a_warning_without_its_mark(monkeypatch):
    """The marks silence real warnings, one per marked fault, and nothing else."""
    problems, catalog = check_plans(PLANS)
    accepted = {(l.path, line) for l in [*catalog.plans, *catalog.apas, *catalog.progress]
                for line in [n.line for n in l.notes.values() if n.accepted]}
    monkeypatch.setattr(validate_module, "covers", lambda accepted_at, warning_at: False)
    unmarked, _ = check_plans(PLANS)
    warned_files = {p.file for p in unmarked.warnings}
    assert len(unmarked.warnings) >= 16
    assert warned_files == {path for path, _ in accepted}
    assert not unmarked.errors


def test_an_accepted_mark_silences_only_its_own_value(tmp_path):
    """Accepting the ১২৩% actual of 2.2.6 does not hide a new fault in the same row."""
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    path = plans / "rangpur-sadar-upazila-cooperative" / "2023-24" / "apa.yaml"
    text = path.read_text(encoding="utf-8")
    old = "        projections: [৯৫, ৯৬]\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "        projections: [৯৫, ৯৬০%]\n"), encoding="utf-8")
    code, output = run_check(plans)
    assert code == 0
    assert "সূচক ২.২.৬: projections-এ ১০০-এর বেশি শতাংশ (percentage over 100) ৯৬০%" in output
    assert "(১২৩%)" not in output


def test_mkdocs_build_strict_passes_on_the_shipped_samples(tmp_path, caplog):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    plugin = config.plugins["sebabox"]
    plugin.config.plans = str(PLANS)
    plugin.config.pdf = False
    with caplog.at_level(logging.WARNING):
        build(config)  # strict: any warning aborts the build
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert (tmp_path / "site" / "index.html").is_file()


def test_an_annotation_no_cell_shows_is_still_listed_by_its_place():
    """A correction in a part the templates do not mark (here an APA function's text) is never silent."""
    from types import SimpleNamespace

    from sebabox.outputs.notes import NoteBook
    from sebabox.values import Annotation

    section1 = SimpleNamespace(functions=["ক", "খ"])
    document = SimpleNamespace(section1=section1, weight=4, _notes={
        ("section1", "functions", 1): Annotation(3, printed="খগ", reason="একই কথা দুবার ছাপা"),
        ("weight",): Annotation(9, accepted="ছাপা অনুযায়ী"),
    })
    book = NoteBook(document)
    assert "[" in book.mark(document, "weight", "মান")  # placed at its cell: number ১
    html = str(book.render())
    assert 'href="#note-ref-1"' in html and "মান" in html
    assert "সেকশন ১ › কার্যাবলি › ২" in html and "ছাপা দলিলে ছিল খগ; সংশোধনের কারণ: একই কথা দুবার ছাপা" in html
    assert 'href="#note-ref-2"' not in html  # no cell to go back to


def test_a_hostile_reason_is_shown_as_text_on_one_line():
    from sebabox.outputs.notes import NoteBook

    _, notes, errors = _extract('weight: {value: ৪, printed: "<b>৮</b>", reason: "<script>alert(1)</script>\\n\\n# *x*"}\n')
    assert errors == []
    note = notes[("weight",)]
    assert "\n" not in note.reason
    holder = type("Doc", (), {})()
    holder.weight, holder._notes = 4, notes
    book = NoteBook(holder)
    html = str(book.mark(holder, "weight")) + str(book.render())
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
    assert "\n\n" not in html
