"""The parsed-plans cache: a second load reads no unchanged file again, yet sees every edit and every problem."""

from __future__ import annotations

from pathlib import Path

from sebabox.errors import Problems
from sebabox.inputs.load import load_plans
from sebabox.inputs.parsecache import ParseCache
from sebabox.outputs.report import all_documents

OFFICE = "itna-upazila-cooperative"
NIS_Q1 = Path(OFFICE) / "2023-24" / "nis-q1.yaml"


def _load(plans: Path, cache_root: Path) -> tuple[Problems, object, ParseCache]:
    problems = Problems()
    cache = ParseCache(cache_root, plans)
    return problems, load_plans(plans, problems, cache), cache


def _scores(catalog) -> dict[str, list[str]]:
    """Every document's total and row scores."""
    return {doc.slug: [str(doc.score)] + [str(row.score.value) if row.score else "-" for area in doc.areas
                                          for row in area.rows] for doc in all_documents(catalog)}


def _row_4_1(catalog) -> str:
    nis = next(doc for doc in all_documents(catalog) if doc.slug == f"{OFFICE}-2023-24-nis")
    return next(f"{row.score.value:.2f}" for area in nis.areas for row in area.rows if row.indicator.id == "4.1")


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_one(plans_copy, tmp_path):
    _, first, cold = _load(plans_copy, tmp_path / "cache")
    problems, second, warm = _load(plans_copy, tmp_path / "cache")
    fresh_problems = Problems()
    fresh = load_plans(plans_copy, fresh_problems)

    assert cold.hits == 0
    files_with_messages = len({p.file for p in fresh_problems})
    assert warm.hits == len(fresh.files) - files_with_messages > 40
    assert sorted(map(str, problems)) == sorted(map(str, fresh_problems))  # warnings are found again, not cached
    assert second.files == fresh.files
    assert _scores(second) == _scores(fresh)
    assert _row_4_1(second) == "0.50"  # seed 001


def test_an_edited_file_is_read_again(plans_copy, tmp_path):
    _load(plans_copy, tmp_path / "cache")
    report = plans_copy / NIS_Q1
    text = report.read_text(encoding="utf-8")
    assert "\n  ৪.১: ১\n" in text
    report.write_text(text.replace("\n  ৪.১: ১\n", "\n  ৪.১: ২\n"), encoding="utf-8")

    _, catalog, cache = _load(plans_copy, tmp_path / "cache")

    assert cache.hits == len(catalog.files) - 1 - _files_with_messages(plans_copy)
    assert _row_4_1(catalog) == "1.00"  # weight ২, target ৪, achieved ২
    assert _scores(catalog) == _scores(load_plans(plans_copy, Problems()))


def test_errors_are_reported_on_every_load(plans_copy, tmp_path):
    broken = plans_copy / NIS_Q1
    broken.write_text(broken.read_text(encoding="utf-8") + "\nquarter: [\n", encoding="utf-8")
    for _ in range(2):
        problems, _, _ = _load(plans_copy, tmp_path / "cache")
        assert any(p.severity == "error" and p.file == str(broken) for p in problems)


def test_a_damaged_entry_is_read_as_a_miss(plans_copy, tmp_path):
    _, catalog, cache = _load(plans_copy, tmp_path / "cache")
    for entry in cache.folder.iterdir():
        entry.write_bytes(b"not a pickle")

    problems, again, cache = _load(plans_copy, tmp_path / "cache")

    assert cache.hits == 0
    assert not problems.errors
    assert _scores(again) == _scores(catalog)
    assert _load(plans_copy, tmp_path / "cache")[2].hits == len(catalog.files)  # written anew


def test_entries_of_removed_files_are_pruned(plans_copy, tmp_path):
    _, catalog, cache = _load(plans_copy, tmp_path / "cache")
    kept = len(list(cache.folder.iterdir()))
    (plans_copy / NIS_Q1).unlink()

    _, _, cache = _load(plans_copy, tmp_path / "cache")

    assert len(list(cache.folder.iterdir())) == kept - 1


def _files_with_messages(plans: Path) -> int:
    problems = Problems()
    load_plans(plans, problems)
    return len({p.file for p in problems})

