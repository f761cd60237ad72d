"""Whitespace no reader sees, taken out of every page the site writes.

The theme's templates and ours indent their markup and leave blank lines where a Jinja block printed
nothing: about 5 % of a page's bytes (benchmarks/site_bytes.py). In HTML a run of spaces and line
breaks between words or tags shows as one space, so a line break and the whitespace after it become
a single line break (spaces before a line break stay: they are rare): the page renders the same and
its text reads the same (search, screen readers).

Untouched: the inside of <pre>, <textarea>, <script> and <style> (their whitespace is the text or
the code), comments, and every tag with its attributes (a title or label keeps its line breaks and
spaces as the plan typed them). Only ASCII whitespace counts: a no-break space (U+00A0) is text.
"""

from __future__ import annotations

import re

_KEPT_BLOCK = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_RUN = re.compile(r"\n[ \t\r\n\f]+")  # spaces before a line break are rare: not worth the time
# an attribute value that holds a line break: the segment then needs the tag-by-tag pass
_BROKEN_ATTRIBUTE = re.compile(r"=\s*(?:\"[^\"]*\n|'[^']*\n)")
_TAG_OR_RUN = re.compile(r"""(<[A-Za-z/!?][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>)|\n[ \t\r\n\f]+""")


def _collapse(segment: str) -> str:
    if not _BROKEN_ATTRIBUTE.search(segment):
        return _RUN.sub("\n", segment)
    return _TAG_OR_RUN.sub(lambda m: m.group(1) or "\n", segment)


def html(page: str) -> str:
    """`page` with every whitespace run that holds a line break, outside kept blocks and tags, as one."""
    out, last = [], 0
    for block in _KEPT_BLOCK.finditer(page):
        out += [_collapse(page[last:block.start()]), block.group(0)]
        last = block.end()
    out.append(_collapse(page[last:]))
    return "".join(out)
