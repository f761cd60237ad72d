"""Stashing generated HTML blocks past Python-Markdown gives the page Markdown itself would give."""

import re

import markdown

from sebabox.site import rawhtml

PAGE = """# শিরোনাম

ভূমিকা *জোর* সহ।

<div class="sb-doc-head" markdown="0">
<p>দপ্তর</p>

<p class="sb-downloads">ডাউনলোড</p>
</div>

<section class="sb-letter">
<p>প্রাপক:</p>
<div class="sb-signature">
<p>(স্বাক্ষর)</p>
</div>
</section>

- তালিকা
- <span>ভিতরে</span>

<table class="sb-plan"><caption>সারণি</caption>
<tr><td>১</td></tr>
</table>

শেষ অনুচ্ছেদ।
"""


def _md(text: str) -> str:
    return markdown.markdown(text, extensions=["md_in_html", "attr_list", "tables"])


def _squash(html: str) -> str:
    return re.sub(r"\s+", "", html.replace(' markdown="0"', ""))


def test_stashed_page_renders_like_markdown_itself():
    text, blocks = rawhtml.stash(PAGE)
    assert len(blocks) == 3  # the doc head, the letter (with its nested signature), the table
    assert "<div" not in text and "<table" not in text
    assert _squash(rawhtml.restore(_md(text), blocks)) == _squash(_md(PAGE))


def test_unclosed_block_is_left_to_markdown():
    text, blocks = rawhtml.stash("<div>\nখোলা\n\nআরও")
    assert blocks == [] and text.startswith("<div>")
