"""Charter cells typed as printed marks rather than values: a dash for an empty cell, ঐ for "as above".

A dash is not a fee or a time limit (and would be one in the open data); ঐ means the row above, but on a
phone every service is its own card, so the citizen would read "ঐ" with nothing above it.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from sebabox.model import Charter, Person, Service

_DASH = re.compile(r"[-‐–—_.…\s]+")
_DITTO = {"ঐ", "ঐ", "ঐ।", "〃", '"', "do", "-do-", "ditto"}
_PERSON_FIELDS = ("name", "designation", "place", "room", "phone")


def _tables(charter: Charter) -> Iterator[tuple[tuple, list[Service]]]:
    for key in ("citizen_services", "institutional_services", "internal_services"):
        yield (key,), getattr(charter, key)
    for i, section in enumerate(charter.sections):
        yield ("sections", i, "services"), section.services


def _cells(service: Service) -> Iterator[tuple[tuple, str, Any]]:
    """(loc inside the service, field name, value) of every text cell, people's parts included."""
    for name, value in service:
        if isinstance(value, str):
            yield (name,), name, value
        elif isinstance(value, Person):
            for part in _PERSON_FIELDS:
                if isinstance(getattr(value, part), str):
                    yield (name, part), name, getattr(value, part)
        elif isinstance(value, list) and name == "officer":
            for j, person in enumerate(value):
                for part in _PERSON_FIELDS:
                    if isinstance(getattr(person, part), str):
                        yield ((name, j, part) if len(value) > 1 else (name, part)), name, getattr(person, part)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value)
    if isinstance(value, Person):
        return ", ".join(x for x in (value.name, value.designation, value.place) if x)
    return str(value)


def placeholder_cells(charter: Charter) -> Iterator[tuple[tuple, str]]:
    """(loc, Bengali warning) for each dash or ditto mark typed as a charter cell's value."""
    for table_loc, services in _tables(charter):
        for i, service in enumerate(services):
            for loc, name, value in _cells(service):
                text = value.strip()
                where = (*table_loc, i, *loc)
                if _DASH.fullmatch(text):
                    yield where, (f"{'.'.join(str(p) for p in loc)}-এ লেখা আছে '{text}': চার্টারে ঘরটি ফাঁকা (an empty cell); "
                                  f"কী-টি বাদ দিন (leave the key out), না হলে '{text}' সেবার মান হিসেবে ছাপা ও ডেটায় যাবে")
                elif text.lower() in _DITTO:
                    above = getattr(services[i - 1], name) if i else None
                    fix = f"ওপরের সেবার মানটিই লিখুন: {_shown(above)}" if above else "যে মানের কথা বলা হয়েছে সেটিই লিখুন"
                    yield where, (f"{'.'.join(str(p) for p in loc)}-এ লেখা আছে '{text}' (ditto, ওপরের মতো): ফোনে প্রতিটি সেবা "
                                  f"আলাদা কার্ডে দেখায়, সেখানে '{text}' বোঝা যায় না; {fix}")
