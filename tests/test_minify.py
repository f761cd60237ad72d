"""Pages lose the indentation no reader sees, and nothing a reader sees: text, code, titles, labels."""

from __future__ import annotations

from html.parser import HTMLParser

from sebabox.site import minify


class _Seen(HTMLParser):
    """What a browser shows of a page: text with whitespace runs as one space, except in <pre>/<textarea>;
    the tags with their attributes exactly; scripts' and styles' text exactly."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items, self.raw = [], 0

    def handle_starttag(self, tag, attrs):
        self.items.append(("tag", tag, tuple(attrs)))
        self.raw += tag in ("pre", "textarea", "script", "style")

    def handle_endtag(self, tag):
        self.items.append(("end", tag))
        self.raw -= tag in ("pre", "textarea", "script", "style")

    def handle_data(self, data):
        if not self.raw:
            data = _collapse(data)
        self.items.append(("text", data))

    def handle_comment(self, data):
        self.items.append(("comment", data))


def _collapse(text: str) -> str:
    out, space = [], False
    for ch in text:
        if ch in " \t\n\r\f":
            space = True
            continue
        if space:
            out.append(" ")
            space = False
        out.append(ch)
    return "".join(out) + (" " if space else "")


def _seen(page: str) -> list:
    parser = _Seen()
    parser.feed(page)
    parser.close()
    merged = []  # adjacent text nodes read as one
    for item in parser.items:
        if item[0] == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + item[1])
        else:
            merged.append(item)
    return merged


PAGE = """<!doctype html>
<html lang="bn">
  <head>
    <title>বার্ষিক   কর্মসম্পাদন চুক্তি</title>
    <script>
      var a = `line one
        line two`;
    </script>
    <style>
      .x::before { content: "a
        b"; }
    </style>
  </head>
  <body>

      <p class="sb-total-badge">অর্জিত মান:   <strong>১৪.৮৯</strong>
         / ১০০</p>
      <a href="a.pdf">PDF</a> ·
      <a href="a.json">JSON</a>
      <td title="অর্জন ২০:
          লক্ষ্যমাত্রার ০% স্তর" data-label='মোট
          অর্জন'>২০</td>
      <pre>
  code   keeps
      its indentation
</pre>
      <textarea>
   typed
      text</textarea>
      <!-- a comment
           stays -->
      <p>\u00a0
      \u00a0no-break spaces are text</p>
  </body>
</html>
"""


def test_a_page_reads_and_renders_the_same_after_its_indentation_is_taken_out():
    small = minify.html(PAGE)
    assert len(small) < len(PAGE) - 60
    assert _seen(small) == _seen(PAGE)
    assert "<pre>\n  code   keeps\n      its indentation\n</pre>" in small
    assert 'title="অর্জন ২০:\n          লক্ষ্যমাত্রার ০% স্তর"' in small, "an attribute keeps its own whitespace"
    assert "var a = `line one\n        line two`;" in small, "a script's text is code: kept"
    assert "\u00a0\n\u00a0no-break" in small


def test_a_page_without_line_breaks_in_attributes_takes_the_fast_path_with_the_same_result():
    page = PAGE.replace('title="অর্জন ২০:\n          লক্ষ্যমাত্রার', 'title="অর্জন ২০: লক্ষ্যমাত্রার').replace(
        "data-label='মোট\n          অর্জন'", "data-label='মোট অর্জন'")
    small = minify.html(page)
    assert _seen(small) == _seen(page)
    between = small.split("</style>")[1].split("<pre>")[0]
    assert between.count("\n") > 5 and "\n " not in between, "no line of the body starts with indentation"


def test_minifying_twice_changes_nothing_more():
    once = minify.html(PAGE)
    assert minify.html(once) == once
