"""Keep generated HTML blocks out of Python-Markdown.

Generated pages are mostly large HTML tables. Python-Markdown passes raw HTML
through unchanged, but only after running it through its HTML parser, which
was two thirds of the build time at 100 offices. `stash` swaps each top-level
HTML block (a block-level start tag at the start of a line,
up to its matching close tag) for a placeholder paragraph before Markdown runs; `restore` puts
the HTML back into the rendered page. The output is the same HTML Markdown
would have passed through, minus its `markdown="0"` switches.
"""

from __future__ import annotations

import re
import secrets

START = re.compile(r"^<(div|table|nav|section|article|aside|figure|details|header|footer|ul|ol|dl|p|h[1-6])[\s>]")
# The placeholder carries a random nonce drawn once per process: plan text cannot name it in advance, so
# a title reading SBRAW…Z stays text (it never crashes restore or pulls in another block). Not in the output.
NONCE = secrets.token_hex(8)
TOKEN = f"SBRAW{NONCE}N{{:06d}}Z"
TOKEN_P = re.compile(rf"<p>SBRAW{NONCE}N(\d{{6}})Z</p>")


def stash(markdown: str) -> tuple[str, list[str]]:
    lines = markdown.split("\n")
    out: list[str] = []
    blocks: list[str] = []
    i = 0
    while i < len(lines):
        m = START.match(lines[i])
        end = _block_end(lines, i, m.group(1)) if m else None
        if end is None:
            out.append(lines[i])
            i += 1
            continue
        html = "\n".join(lines[i:end + 1]).replace(' markdown="0"', "")
        out += ["", TOKEN.format(len(blocks)), ""]
        blocks.append(html)
        i = end + 1
    return "\n".join(out), blocks


def _block_end(lines: list[str], start: int, tag: str) -> int | None:
    """The line where the block opened at `start` closes; None when it never does (left to Markdown)."""
    opening, closing = re.compile(rf"<{tag}[\s>]"), f"</{tag}>"
    depth = 0
    for j in range(start, len(lines)):
        depth += len(opening.findall(lines[j])) - lines[j].count(closing)
        if depth <= 0:
            return j
    return None


def restore(html: str, blocks: list[str]) -> str:
    if not blocks:
        return html
    return TOKEN_P.sub(lambda m: blocks[int(m.group(1))] if int(m.group(1)) < len(blocks) else m.group(0), html)
