"""`build_site.py check`: every problem is one line naming the file and line; exit 1 on errors."""

from __future__ import annotations

import pytest

NIS = "itna-upazila-cooperative/2023-24/nis.yaml"
Q1 = "itna-upazila-cooperative/2023-24/nis-q1.yaml"


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_check_passes_on_the_shipped_plans(check, plans_copy):
    code, output = check(plans_copy)
    assert code == 0, output
    assert " 0 error(s)" in output


def test_check_names_file_and_line_for_a_broken_weight(check, plans_copy):
    path = plans_copy / NIS
    line = _line_of(path, "weight: ৮")
    _replace(path, "weight: ৮", "weight: আট")
    code, output = check(plans_copy)
    assert code == 1
    assert (f"{path}:{line}: error: areas ক্রম ২ › মান (weight): সংখ্যা চাই (expected a number), লেখা আছে 'আট'; "
            "লিখুন যেমন ৮ বা ২.৫") in output
    assert "Traceback" not in output


def test_check_names_file_and_line_for_impossible_date(check, plans_copy):
    path = plans_copy / Q1
    line = _line_of(path, "৩.১: ২৬/০৭/২৩")
    _replace(path, "৩.১: ২৬/০৭/২৩", "৩.১: ৩২/০৭/২৩")
    code, output = check(plans_copy)
    assert code == 1
    assert (f"{path}:{line}: error: achievements › '৩.১': এমন তারিখ হয় না (impossible date): '৩২/০৭/২৩' — "
            "২০২৩ সালের ৭ মাসে ৩২ তারিখ নেই") in output


def test_check_names_unknown_key_with_a_hint(check, plans_copy):
    path = plans_copy / NIS
    line = _line_of(path, "responsible: নৈতিকতা কমিটি")
    _replace(path, "responsible: নৈতিকতা কমিটি", "responsibel: নৈতিকতা কমিটি")
    code, output = check(plans_copy)
    assert code == 1
    assert (f"{path}:{line}: error: areas ক্রম ১ › indicators ক্রম ১.১: অজানা কী (unknown key) 'responsibel'; "
            "আপনি কি 'responsible' (দায়িত্বপ্রাপ্ত ব্যক্তি/পদ) লিখতে চেয়েছিলেন? (did you mean 'responsible'?)") in output


def test_check_reports_weights_that_do_not_add_up(check, plans_copy):
    path = plans_copy / NIS
    line = _line_of(path, "weight: ৮")
    _replace(path, "weight: ৮", "weight: ৯")
    code, output = check(plans_copy)
    assert code == 1
    assert (f"{path}:{line}: error: ক্ষেত্র (area) ক্রম ২-এর মান (weight) ৯, কিন্তু এর সূচকগুলোর মান যোগ করলে ৮; "
            "দুটি মিলিয়ে নিন") in output


def test_check_reports_malformed_yaml_in_one_line(check, plans_copy):
    path = plans_copy / NIS
    _replace(path, "  - id: ৩\n", "  - id: [৩\n")
    code, output = check(plans_copy)
    assert code == 1
    errors = [l for l in output.splitlines() if ": error: " in l]
    assert len(errors) == 1 and errors[0].startswith(f"{path}:") and "বন্ধনী [ ] বন্ধ হয়নি" in errors[0], errors


def test_check_reports_unknown_office(check, plans_copy):
    path = plans_copy / Q1
    _replace(path, "office: itna-upazila-cooperative", "office: itna-upazila-coop")
    code, output = check(plans_copy)
    assert code == 1
    assert f"{path}:7: error: অজানা অফিস (unknown office) 'itna-upazila-coop'; plans/<slug>/office.yaml যোগ করুন" in output


def test_check_warns_when_a_printed_score_differs_from_the_computed_one(check, plans_copy):
    path = plans_copy / Q1
    text = path.read_text(encoding="utf-8")
    start = text.index("  ১.২:\n")
    end = text.index("  ২.৪: {total")
    path.write_text(text[:start] + "  ১.২: {total: ১, score: ১}\n" + text[end:], encoding="utf-8")  # the mark removed
    code, output = check(plans_copy)
    line = _line_of(path, "১.২: {total: ১, score: ১}")
    assert code == 0
    assert f"{path}:{line}: warning: সূচক ১.২: কাগজে ছাপা নম্বর ১, হিসাবে হয় ০.০২" in output


@pytest.mark.parametrize("junk, message", [
    (b"\xff\xfek\x00i\x00", "ফাইলটি UTF-16-এ সংরক্ষিত (file is UTF-16); UTF-8 হিসেবে সংরক্ষণ করুন"),
    (b"kind: nis\nname: \xe9t\xe9\n", "not UTF-8 text"),
    (b"kind: nis\n\x00\x01\x02", "binary data"),
    (b"a: &x [1]\nb: *x\n", "anchors and aliases"),
    (b"kind: office\nkind: office\n", "একই কী দুবার লেখা (duplicate key 'kind'): প্রথমবার লাইন ১-এ"),
])
def test_check_gives_one_located_error_for_bad_files(check, plans_copy, junk, message):
    path = plans_copy / "broken.yaml"
    path.write_bytes(junk)
    code, output = check(plans_copy)
    assert code == 1
    errors = [l for l in output.splitlines() if ": error: " in l]
    assert len(errors) == 1 and errors[0].startswith(f"{path}:") and message in errors[0], output
