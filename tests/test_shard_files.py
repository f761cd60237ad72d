"""A shard built by `build --sharded` is handed the plan files the sharded build found for it (its own and the
common ones) instead of walking the whole country again; a hand-made list cannot make it read elsewhere."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sebabox.cli import main
from sebabox.outputs.sharded import write_shard_files
from sebabox.tools.synthetic import generate

from conftest import PLANS
from test_shards import AS_OF, _differences, _plan, _run, here  # noqa: F401 (a fixture)


def test_a_sharded_build_hands_each_shard_its_files_and_leaves_no_list_behind(tmp_path, here, monkeypatch):
    import subprocess

    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    commands = []
    real = subprocess.Popen

    def popen(command, *args, **kwargs):
        if "--shard" in command:
            commands.append(command)
        if "--files-from" in command:  # what the shard will read: every office file, and its own offices' files
            listed = Path(command[command.index("--files-from") + 1]).read_text(encoding="utf-8").splitlines()[3:]
            shard = next(s for s in _plan(plans, 3) if s["shard"] == command[command.index("--shard") + 1])
            assert sum(path.endswith("office.yaml") for path in listed) == len(list(plans.rglob("office.yaml")))
            own = {Path(p).relative_to(plans).parts[0] for p in listed if not p.endswith("office.yaml")
                   and not Path(p).relative_to(plans).parts[0].startswith("_")}
            assert own and own <= set(shard["offices"])
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    site = tmp_path / "site"
    _run("build", "--plans", str(plans), "--out", str(site), "--no-pdf", "--no-search", "--as-of", AS_OF, "--sharded",
         "--max-offices", "3")
    assert len(commands) == len(_plan(plans, 3)) > 2 and all("--files-from" in c for c in commands)
    assert commands and not [p for p in Path(commands[0][commands[0].index("--files-from") + 1]).parent.iterdir()
                             if p.name.endswith(".files")]
    _run("build", "--plans", str(plans), "--out", str(tmp_path / "single"), "--no-pdf", "--no-search", "--as-of", AS_OF,
         "--single")
    assert _differences(tmp_path / "single", site) == []


def test_a_walk_with_something_to_say_lets_each_shard_walk_and_say_it(tmp_path, here, monkeypatch):
    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    (plans / "upazila-3" / ".draft.yaml").write_text("office: upazila-3\n", encoding="utf-8")  # a hidden file
    output = _run("build", "--plans", str(plans), "--out", str(tmp_path / "site"), "--no-pdf", "--no-search",
                  "--as-of", AS_OF, "--sharded", "--max-offices", "3")
    assert output.count("upazila-3/.draft.yaml") == 1 and "লুকানো ফাইল" in output


def test_a_list_of_files_outside_the_plans_folder_is_refused(tmp_path, here):
    plans = tmp_path / "plans"
    generate(4, plans, PLANS)
    secret = tmp_path / "secret.yaml"
    secret.write_text("office: x\n", encoding="utf-8")
    from sebabox.outputs.shards import Tree

    tree = Tree({"ministry-0": None}, {"ministry-0": plans / "ministry-0"})
    for line, folder in ((str(secret), plans / "ministry-0"), (f"{plans}/../secret.yaml", plans / "ministry-0"),
                         (str(plans / "ministry-0" / "office.yaml"), tmp_path)):
        listed = tmp_path / "list"
        write_shard_files(listed, plans, [str(plans / "ministry-0" / "office.yaml"), line],
                          Tree(tree.parent, {"ministry-0": folder}), {})
        result = CliRunner().invoke(main, ["build", "--plans", str(plans), "--as-of", AS_OF, "--shard", "ministry-0",
                                           str(tmp_path / "out"), "--files-from", str(listed), "--no-pdf"])
        assert result.exit_code != 0 and "is not a list of plan files" in result.output, result.output
        assert not (tmp_path / "out").exists()
    result = CliRunner().invoke(main, ["build", "--plans", str(plans), "--files-from", str(listed)])
    assert result.exit_code != 0 and "--files-from are for --shard" in result.output


def test_a_shard_whose_offices_json_entries_do_not_match_its_offices_is_refused_by_the_merge(tmp_path, here):
    from test_shards import _sharded

    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    _sharded(plans, tmp_path / "site", 3, "--no-pdf", "--no-search")
    entries = next(tmp_path.glob("shard-district-0/sebabox-shard/entries.txt"))
    lines = entries.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 3 and all(line.split("\t")[1].startswith('{"slug":') for line in lines)
    entries.unlink()
    entries.write_text("".join(lines[:-1]), encoding="utf-8")  # one office's entry lost
    shards = sorted(str(p) for p in tmp_path.glob("shard-*"))
    result = CliRunner().invoke(main, ["merge", "--plans", str(plans), "--no-search", str(tmp_path / "again"), *shards])
    assert result.exit_code != 0 and "offices.json entries" in result.output, result.output
    assert not (tmp_path / "again").exists()


def test_a_republish_keeps_the_search_directory_bundles_of_unchanged_shards(tmp_path, here, monkeypatch):
    import json

    from sebabox.outputs import search_bundles

    monkeypatch.setattr(search_bundles, "GROUP", 1)  # a directory bundle per shard bundle: several to keep
    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    site = tmp_path / "site"
    build = ("build", "--plans", str(plans), "--out", str(site), "--no-pdf", "--as-of", AS_OF, "--sharded",
             "--max-offices", "3")
    _run(*build)

    def directory() -> dict[str, tuple]:
        listing = json.loads((site / "pagefind" / "sebabox-bundles.json").read_text(encoding="utf-8"))
        assert len(listing["directories"]) == len(listing["bundles"]) > 2
        assert sorted(set(listing["directory"].values())) == listing["bundles"]
        return {path: tuple(sorted((p.name, p.stat().st_ino) for p in (site / path).rglob("*") if p.is_file()))
                for path in listing["directories"]}

    before = directory()
    report = plans / "upazila-3" / "2023-24" / "apa-q2.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "# নতুনশব্দ\n", encoding="utf-8")  # a comment: no new word
    _run(*build)
    after = directory()
    assert after == before  # every directory bundle kept as it was (hard links to the same files)
    page = plans / "upazila-3" / "office.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("name: ", "name: অদ্বিতীয়শব্দ ", 1), encoding="utf-8")
    _run(*build)
    changed = [path for path, files in directory().items() if files != before[path]]
    assert len(changed) == 1  # the new word is in one shard's bundle: only its directory bundle made again
    for bundle in (site / "pagefind-shards").iterdir():  # the words kept of unchanged index chunks: still right
        words = (bundle.resolve().parent.parent / "sebabox-shard" / "search-words.txt").read_text(encoding="utf-8")
        assert words.split("\n")[:-1] == sorted(search_bundles.bundle_words(bundle)) and words.count("\n") > 50
    chunks = search_bundles.chunk_words(bundle)  # a chunk whose bytes were read before is not read again
    assert search_bundles.chunk_words(bundle, {d: ["আগেরশব্দ"] for d in chunks}) == {d: ["আগেরশব্দ"] for d in chunks}
    assert "অদ্বিতীয়শব্দ" in {w for p in (site / "pagefind-shards").iterdir() for w in search_bundles.bundle_words(p)}
    _run("build", "--plans", str(plans), "--out", str(tmp_path / "single"), "--no-pdf", "--as-of", AS_OF, "--single")
    assert _differences(tmp_path / "single", site) == []


def test_a_file_saved_again_unchanged_rebuilds_no_shard_and_a_changed_one_its_shard_only(tmp_path, here):
    import os

    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    build = ("build", "--plans", str(plans), "--out", str(tmp_path / "site"), "--no-pdf", "--no-search", "--as-of",
             AS_OF, "--sharded", "--max-offices", "3")
    _run(*build)
    report = plans / "upazila-3" / "2023-24" / "apa-q2.yaml"
    report.write_bytes(report.read_bytes())  # saved again: a new modification time, the same bytes
    os.utime(report, ns=(1, 1))
    assert not [line for line in _run(*build).splitlines() if line.startswith("shard ")]
    report.write_bytes(report.read_bytes().replace(b"\n", b"\n\n", 1))  # one blank line more: other bytes
    shard = next(s["shard"] for s in _plan(plans, 3) if "upazila-3" in s["offices"])
    assert [line.split(":")[0] for line in _run(*build).splitlines() if line.startswith("shard ")] == [f"shard {shard}"]


def test_in_a_git_checkout_the_shards_get_the_first_publication_dates_and_match_one_build(tmp_path, here, monkeypatch):
    import subprocess

    repo = tmp_path / "repo"
    plans = repo / "plans"
    generate(8, plans, PLANS)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2024-01-15T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2024-01-15T10:00:00+00:00", "PATH": __import__("os").environ["PATH"]}
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-qm", "plans"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True, capture_output=True)
    listed = []
    real = subprocess.Popen

    def popen(command, *args, **kwargs):
        if "--files-from" in command:
            listed.append(Path(command[command.index("--files-from") + 1]).read_text(encoding="utf-8"))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    _run("build", "--plans", str(plans), "--out", str(tmp_path / "site"), "--no-pdf", "--no-search", "--as-of", AS_OF,
         "--sharded", "--max-offices", "3")
    assert listed and all("\t2024-01-15\n" in text for text in listed)  # each shard handed its files' dates
    _run("build", "--plans", str(plans), "--out", str(tmp_path / "single"), "--no-pdf", "--no-search", "--as-of", AS_OF,
         "--single")
    assert _differences(tmp_path / "single", tmp_path / "site") == []
    page = (tmp_path / "site" / "offices" / "upazila-3" / "2023-24" / "apa" / "index.html").read_text(encoding="utf-8")
    assert "১৫/০১/২০২৪" in page  # the date it was first published, as one build prints it


def test_a_file_name_that_is_not_utf8_is_not_listed_and_the_shards_say_what_they_say_of_it(tmp_path, here):
    import os

    plans = tmp_path / "plans"
    generate(8, plans, PLANS)
    odd = os.path.join(os.fsencode(plans / "upazila-3"), b"\xff-draft.yaml")  # saved by an old Windows tool
    with open(odd, "wb") as handle:
        handle.write(b"office: upazila-3\n")
    result = CliRunner().invoke(main, ["build", "--plans", str(plans), "--out", str(tmp_path / "site"), "--no-pdf",
                                       "--no-search", "--as-of", AS_OF, "--sharded", "--max-offices", "3"])
    single = CliRunner().invoke(main, ["build", "--plans", str(plans), "--out", str(tmp_path / "single"), "--no-pdf",
                                       "--no-search", "--as-of", AS_OF, "--single"])
    assert "Traceback" not in result.output and not isinstance(result.exception, UnicodeError), result.output
    assert result.exit_code == single.exit_code  # the sharded build and one build judge the file alike
    assert "draft.yaml" in result.output
