"""A new user's broken plan gets messages they can act on: what is wrong (Bengali first, English term
in brackets), where (file:line and the row's own ক্রম, 1-based), and what to type instead. The parser's
and the validator's own words appear only under `check --verbose`. One test per message family."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from sebabox.cli import main

NIS = "itna-upazila-cooperative/2023-24/nis.yaml"
Q1 = "itna-upazila-cooperative/2023-24/nis-q1.yaml"
CHARTER = "naria-municipality/charter.yaml"
OFFICE = "itna-upazila-cooperative/office.yaml"
GHIOR_NIS = "ghior-upazila-social-services/2024-25/nis.yaml"

# What a clerk must never see: parser and validator wording, Python reprs, 0-based positions.
FOREIGN = ("Input should", "Field required", "Extra inputs", "Value error", "validation error",
           "cannot start any token", "mapping values are not allowed", "could not find expected",
           "did not find expected", "while scanning", "while parsing", "[0]", "Traceback")


def _break(plans, name: str, old: str, new: str) -> tuple:
    path = plans / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new.split("\n")[0] in row)
    return path, line


def _errors(plans, *args) -> list[str]:
    result = CliRunner().invoke(main, ["check", str(plans), *args])
    assert result.exit_code == 1, result.output
    errors = [row for row in result.output.splitlines() if ": error: " in row]
    for row in errors:
        assert not any(word in row for word in FOREIGN), row
    return errors


def test_a_misspelt_key_names_the_service_by_its_1_based_row_and_suggests_the_key(plans_copy):
    path, line = _break(plans_copy, CHARTER, "        time_limit: তাৎক্ষনিক", "        time: তাৎক্ষনিক")
    assert _errors(plans_copy) == [f"{path}:{line}: error: sections ক্রম ১ › services ক্রম ১: অজানা কী (unknown key) "
                                   "'time'; আপনি কি 'time_limit' (সেবা প্রদানের সময়সীমা) লিখতে চেয়েছিলেন? "
                                   "(did you mean 'time_limit'?)"]


def test_a_missing_key_names_the_row_and_what_to_add(plans_copy):
    path, line = _break(plans_copy, "itna-upazila-cooperative/2023-24/nis.yaml", "        unit: সংখ্যা\n", "")
    errors = _errors(plans_copy)
    assert any(row.startswith(f"{path}:") and "areas ক্রম ১ › indicators ক্রম ১.১: একক (unit) নেই (missing required key); "
               "যোগ করুন: unit: …" in row for row in errors), errors


def test_a_key_typed_as_its_bengali_name_is_pointed_to_the_key(plans_copy):
    path, line = _break(plans_copy, CHARTER, "        fee: 20/-", "        সেবার মূল্য: 20/-")
    assert _errors(plans_copy) == [f"{path}:{line}: error: sections ক্রম ১ › services ক্রম ১: অজানা কী (unknown key) "
                                   "'সেবার মূল্য'; আপনি কি 'fee' (সেবার মূল্য) লিখতে চেয়েছিলেন? (did you mean 'fee'?)"]


def test_a_tab_at_the_start_of_a_line_says_to_use_spaces(plans_copy):
    path, line = _break(plans_copy, NIS, "        weight: ২\n        unit: সংখ্যা", "\t      weight: ২\n        unit: সংখ্যা")
    assert _errors(plans_copy) == [f"{path}:{line}: error: ট্যাব অক্ষর (tab) চলে না: YAML-এ ঘর সরাতে শুধু স্পেস "
                                   "(space) দিন; এই লাইনের ট্যাব মুছে উপরের সমান সংখ্যক স্পেস দিন"]


def test_a_colon_inside_a_value_says_to_quote_it(plans_copy):
    path, line = _break(plans_copy, NIS, "        name: সভা আয়োজিত", "        name: সভা: আয়োজিত")
    [error] = _errors(plans_copy)
    assert error.startswith(f"{path}:{line}: error: এই লাইনে একটি ':' বেশি (extra colon)")
    assert 'উদ্ধৃতিচিহ্নে লিখুন (যেমন name: "ক: খ")' in error


def test_a_key_out_of_line_says_to_match_the_indentation(plans_copy):
    path, line = _break(plans_copy, NIS, "    weight: ৪\n", "   weight: ৪\n")
    assert _errors(plans_copy) == [f"{path}:{line}: error: লাইনের শুরুর স্পেস (indentation) মিলছে না: একই স্তরের "
                                   "কী-গুলো একই ঘরে শুরু হবে, তালিকার প্রতিটি উপাদান '- ' দিয়ে; উপরের লাইনগুলোর সঙ্গে "
                                   "মিলিয়ে নিন"]


@pytest.mark.parametrize("typed, fixed", [("০১", "১"), ("১.০১", "১.১"), ("01.2", "১.২")])
def test_a_zero_padded_id_says_what_to_write(plans_copy, typed, fixed):
    path, line = _break(plans_copy, NIS, "  - id: ১\n", f"  - id: \"{typed}\"\n")
    [error] = _errors(plans_copy)
    assert error.startswith(f"{path}:{line}: error: areas ক্রম {typed.translate(str.maketrans('0123456789', '০১২৩৪৫৬৭৮৯'))}")
    assert f"ক্রম (id) '{typed}'-এ শুরুতে শূন্য (0-padded) চলে না; লিখুন {fixed}" in error


def test_a_zero_padded_achievement_key_is_refused_not_renumbered(plans_copy):
    path, line = _break(plans_copy, Q1, "  ১.১: ১\n", "  ০১.১: ১\n")
    assert _errors(plans_copy) == [f"{path}:{line}: error: achievements › '০১.১': ক্রম (id) '০১.১'-এ শুরুতে শূন্য "
                                   "(0-padded) চলে না; লিখুন ১.১ (অন্য ফাইলে এই ক্রম একইভাবে লিখুন)"]


def test_text_in_a_number_field_names_the_row_by_its_id(plans_copy):
    path, line = _break(plans_copy, NIS, "    weight: ৪\n", "    weight: চার\n")
    assert _errors(plans_copy) == [f"{path}:{line}: error: areas ক্রম ১ › মান (weight): সংখ্যা চাই (expected a number), "
                                   "লেখা আছে 'চার'; লিখুন যেমন ৮ বা ২.৫ (বাংলা বা ইংরেজি অঙ্ক)"]


def test_a_bad_cell_in_a_list_names_its_column(plans_copy):
    path, line = _break(plans_copy, "chapainawabganj-sadar-upazila-statistics/2023-24/nis.yaml",
                        "quarter_targets: [null, null, ১, null]", "quarter_targets: [null, দুই, ১, null]")
    [error] = _errors(plans_copy)
    assert error.startswith(f"{path}:{line}: error: values › ১.৩ › কোয়ার্টারভিত্তিক লক্ষ্যমাত্রা (quarter_targets)-এর "
                            "২য় কোয়ার্টার ঘর: সংখ্যা চাই (expected a number), লেখা আছে 'দুই'")


@pytest.mark.parametrize("name, old, new", [
    (Q1, "quarter: 1\n", "quarter: ১\n"),
    (NIS, "annex: 4\n", "annex: ৪\n"),
])
def test_bengali_digits_are_accepted_for_quarter_and_annex(check, plans_copy, name, old, new):
    _break(plans_copy, name, old, new)
    code, output = check(plans_copy)
    assert code == 0, output


@pytest.mark.parametrize("name, old, new, message", [
    (Q1, "quarter: 1\n", "quarter: ৫\n", "কোয়ার্টার (quarter) ১ থেকে ৪-এর একটি পূর্ণ সংখ্যা হতে হবে, লেখা আছে '৫'"),
    (Q1, "quarter: 1\n", "quarter: প্রথম\n", "কোয়ার্টার (quarter) ১ থেকে ৪-এর একটি পূর্ণ সংখ্যা হতে হবে, লেখা আছে 'প্রথম'"),
    (NIS, "annex: 4\n", "annex: ৯\n", "সংযোজনী (annex) ৪ থেকে ৮-এর একটি পূর্ণ সংখ্যা হতে হবে, লেখা আছে '৯'"),
])
def test_a_quarter_or_annex_out_of_range_says_the_range_in_bengali(plans_copy, name, old, new, message):
    path, line = _break(plans_copy, name, old, new)
    assert _errors(plans_copy) == [f"{path}:{line}: error: {message}; লিখুন যেমন " + message.split(" ")[2]]


def test_a_person_written_as_one_line_says_which_keys_to_write_below(plans_copy):
    path, line = _break(plans_copy, CHARTER, "        officer: {name: সোহাগ ছৈয়ল, designation: নিম্নমান সহকারী, room: 101}",
                        "        officer: নিম্নমান সহকারী")
    assert _errors(plans_copy) == [f"{path}:{line}: error: sections ক্রম ১ › services ক্রম ১ › দায়িত্বপ্রাপ্ত কর্মকর্তা "
                                   "(officer): কী-মান (mapping) চাই, লেখা আছে 'নিম্নমান সহকারী'; পরের লাইনগুলোতে দুই ঘর "
                                   "সরিয়ে লিখুন: designation: … (চাইলে আরও: name, place, room, phone, email)"]


def test_an_unknown_template_suggests_the_close_one_and_lists_the_years_templates(plans_copy):
    path, line = _break(plans_copy, GHIOR_NIS, "template: nis-field", "template: nis-feild")
    assert _errors(plans_copy) == [f"{path}:{line}: error: অজানা টেমপ্লেট (unknown template) 'nis-feild' ২০২৪-২৫ "
                                   "অর্থবছরের জন্য; আপনি কি 'nis-field' লিখতে চেয়েছিলেন? (did you mean 'nis-field'?); আছে: "
                                   "cc-district-upazila, egov-field, grs-field, nis-field, rti-field (plans/_templates/2024-25/)"]


@pytest.mark.parametrize("name, old, new, message", [
    (NIS, "        unit: সংখ্যা\n", "        unit: সংখ্যা\n        method: গড\n",
     "areas ক্রম ১ › indicators ক্রম ১.১ › গণনা পদ্ধতি (method): 'গড' চলে না; লিখুন 'সমষ্টি', 'গড়', 'ক্রমপুঞ্জিভূত' বা "
     "'তারিখ'; আপনি কি 'গড়' লিখতে চেয়েছিলেন? (did you mean 'গড়'?)"),
    (OFFICE, "level: upazila", "level: upazilla",
     "অফিসের স্তর (level): 'upazilla' চলে না; লিখুন 'ministry', 'directorate', 'divisional', 'district', 'upazila' বা "
     "'union'; "
     "আপনি কি 'upazila' লিখতে চেয়েছিলেন? (did you mean 'upazila'?)"),
    (NIS, "kind: nis", "kind: niss",
     "ফাইলের ধরন (kind) বোঝা যাচ্ছে না: kind: 'niss' চলে না; আপনি কি 'nis' লিখতে চেয়েছিলেন? (did you mean 'nis'?); "
     "লিখুন এর একটি: office, template, apa, progress, charter, nis, egov, grs, cc, rti, calendar"),
])
def test_a_misspelt_choice_lists_the_choices_and_suggests_one(plans_copy, name, old, new, message):
    path, _ = _break(plans_copy, name, old, new)
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new.strip().split("\n")[-1] in row)
    assert f"{path}:{line}: error: {message}" in _errors(plans_copy)


@pytest.mark.parametrize("old, new, message", [
    ("fiscal_year: ২০২৩-২৪", "fiscal_year: ২০২৩", "অর্থবছর (fiscal year) চাই, লেখা আছে '২০২৩'; লিখুন যেমন ২০২৩-২৪"),
    ("fiscal_year: ২০২৩-২৪", "fiscal_year: ২০২৩-২৫",
     "অর্থবছর (fiscal year) '২০২৩-২৫' পরপর দুই বছরের (জুলাই-জুন) হতে হবে; লিখুন যেমন ২০২৩-২৪"),
    ("as_of: {value: ২৬/০৯/২০২৩,", "as_of: {value: yesterday,",
     "প্রতিবেদনের তারিখ (as_of): তারিখ চাই (expected a date) দিন/মাস/বছর, লেখা আছে 'yesterday'; লিখুন যেমন ২৬/০৭/২০২৩"),
])
def test_a_wrong_date_or_fiscal_year_shows_the_form_to_type(plans_copy, old, new, message):
    path, line = _break(plans_copy, Q1, old, new)
    assert _errors(plans_copy) == [f"{path}:{line}: error: {message}"]


@pytest.mark.parametrize("old, new, message", [
    ('        unit: "%"', "        unit: %", "'%' দিয়ে মান শুরু হলে মানটি উদ্ধৃতিচিহ্নে (quote) লিখুন, যেমন unit: \"%\""),
    ('        unit: "%"', '        unit: "%', "উদ্ধৃতিচিহ্ন (quote \") খোলা হয়েছে কিন্তু এই লাইনে বন্ধ হয়নি; মানের শেষে আরেকটি \" দিন"),
    ("        target: ২\n", "        target: [২\n", "বন্ধনী [ ] বন্ধ হয়নি বা মানগুলোর মাঝে কমা নেই; লিখুন যেমন [১০০, ৯০, ৮০, ৭০, ৬০]"),
])
def test_quoting_and_bracket_slips_are_located_where_they_were_typed(plans_copy, old, new, message):
    path, line = _break(plans_copy, NIS, old, new)
    assert _errors(plans_copy) == [f"{path}:{line}: error: {message}"]


def test_verbose_keeps_the_parsers_and_validators_own_words(plans_copy):
    _break(plans_copy, NIS, "    weight: ৪\n", "    weight: চার\n")
    _break(plans_copy, CHARTER, "        time_limit: তাৎক্ষনিক", "        time: তাৎক্ষনিক")
    result = CliRunner().invoke(main, ["check", "--verbose", str(plans_copy)])
    assert "\n    (areas.0.weight: Value error, expected a number, got 'চার')" in result.output
    assert "\n    (sections.0.services.0.time: Extra inputs are not permitted)" in result.output


def test_no_message_of_check_keeps_parser_wording_or_0_based_positions(plans_copy):
    """A sweep over many slips at once: every message is Bengali first and names rows 1-based."""
    for name, old, new in [
        (NIS, "        weight: ২\n", "        weight: true\n"),
        (NIS, "        name: সভা আয়োজিত", "        name: [সভা]"),
        (CHARTER, "        documents: [ভোটার আইডি কার্ড/ জন্ম নিবন্ধন]\n", "        documents: {সব: কাগজ}\n        x: ১\n"),
        (Q1, "document: nis", "document: niss"),
        (OFFICE, "email:", "e_mail:"),
    ]:
        _break(plans_copy, name, old, new)
    errors = _errors(plans_copy)
    assert len(errors) >= 5
    for row in errors:
        message = row.split(": error: ", 1)[1]
        assert re.search("[\u0980-\u09ff]", message.split("(")[0]), f"not Bengali first: {row}"
