r"""Escaping user text (titles, owners, descriptions) for Markdown, Mermaid and Graphviz DOT.

Titles are user text: any character that means something in Markdown, GFM tables, HTML, Mermaid
or DOT must come out as the same visible text, never as markup. Each target has one function here,
and every exporter goes through them.

>>> print(md_inline("*bold* | <b>x</b> & [link](u) #1 $5"))
\*bold\* \| &lt;b&gt;x&lt;/b&gt; &amp; \[link\](u) \#1 \$5
>>> print(mermaid_label('He said "hi" <b>; 100%% --> #1'))
He said #quot;hi#quot; #lt;b#gt;#59; 100#37;#37; --#gt; #35;1
>>> print(dot_string('a "quoted" \\ back & slash'))
"a \"quoted\" \\ back &amp; slash"

Text is never terminal control either: ``printable`` shows a control character as its escape,
and every function here goes through it, as does every line the CLI prints.

>>> print(printable("\x1b]8;;http://x\x1b\\click\x1b]8;;\x1b\\ \x07"))
\x1b]8;;http://x\x1b\click\x1b]8;;\x1b\ \x07
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
    "dot_string",
    "json_text",
    "md_code",
    "md_inline",
    "md_line",
    "md_paragraphs",
    "mermaid_label",
    "printable",
]

# What a terminal (or a viewer) acts on instead of showing: C0 controls (ESC starts ANSI, OSC 8
# hyperlink and OSC 0 window-title sequences; BEL rings), DEL, C1 controls (U+009B is a one-byte
# CSI), the Unicode line and paragraph separators, the bidirectional embeddings, overrides and
# isolates (they reorder what is shown: "Trojan Source"), and lone surrogates (not encodable).
# Readers refuse these in new input; a database written by an older version may still hold them.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_code(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    r"""``text`` with each control character shown as its escape (ESC -> ``\x1b``).

    ``keep`` names characters to pass through (``"\n"`` for multi-line output).

    >>> printable("red\x1b[31m\tbell\x07"), printable("a\tb\n", keep="\t\n")
    ('red\\x1b[31m\\x09bell\\x07', 'a\tb\n')
    """
    if _UNPRINTABLE.search(text) is None:
        return text
    if not keep:
        return _UNPRINTABLE.sub(_escape_code, text)
    return _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else _escape_code(m), text)


# JSON escapes C0 controls itself; the rest of ``_UNPRINTABLE`` gets \u escapes too, which any
# JSON reader turns back into the same text (nothing is lost, nothing reaches a terminal raw).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any, **options: Any) -> str:
    r"""``json.dumps(data, ensure_ascii=False)`` with every control character escaped.

    >>> json_text({"title": "a\x9b31m\u2028"})
    '{"title": "a\\u009b31m\\u2028"}'
    """
    text = json.dumps(data, ensure_ascii=False, **options)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Markdown (GitHub-flavoured): backslash-escape every ASCII punctuation character that can open
# or close inline markup (emphasis, code, links, images, footnotes, strikethrough, math), a table
# cell (|) or close a heading (#); turn the HTML-significant characters into entities, so no tag,
# comment (<!--) or autolink (<http://...>) can form and an entity-like text stays literal.
_MD_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "#": "\\#",
        "|": "\\|",
        "~": "\\~",
        "$": "\\$",
        "{": "\\{",
        "}": "\\}",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        # Free-text fields other than titles (a unit, say) may hold a line break: one line.
        "\t": " ",
        "\r": " ",
        "\n": " ",
    }
)

# What turns the start of a line into a block (list item, quote, heading underline, thematic
# break, ordered list): only matters where user text starts a line (descriptions).
_BLOCK_START = re.compile(r"([-+=]|\d{1,9}(?=[.)]))")


def md_inline(text: str) -> str:
    """Text that renders as itself inside a Markdown paragraph, heading, list item or table cell."""
    return printable(text, keep="\t\r\n").translate(_MD_INLINE)


def md_line(text: str) -> str:
    """Like ``md_inline`` for text that starts a line: no list, quote, rule or code block either."""
    escaped = md_inline(text.strip())
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    if match.group(1)[0].isdigit():
        # "1. x" would start an ordered list: escape the delimiter after the number.
        end = match.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


def md_paragraphs(text: str) -> list[str]:
    """Multi-line user text as Markdown paragraphs (blank lines split them; lines flow)."""
    paragraphs: list[list[str]] = [[]]
    for raw in text.splitlines():
        if raw.strip():
            paragraphs[-1].append(md_line(raw))
        elif paragraphs[-1]:
            paragraphs.append([])
    return ["\n".join(lines) for lines in paragraphs if lines]


def md_code(text: str) -> str:
    """A code span for text without backticks or line breaks (ids, rule names)."""
    if "`" in text or _UNPRINTABLE.search(text):
        return md_inline(text)
    return f"`{text}`"


# Mermaid: labels are always written inside double quotes, so only what ends the quote, starts
# an entity (#), a directive or comment (%%{...}%%), a Markdown string (`), KaTeX math ($$) or
# HTML in the rendered label needs replacing; Mermaid's own entity codes (#quot; #35;) do that.
# A lone % is harmless (and common: "Reduce CAC by 20%"), so % is encoded only next to another.
_MERMAID = str.maketrans(
    {
        '"': "#quot;",
        "#": "#35;",
        "&": "#amp;",
        "<": "#lt;",
        ">": "#gt;",
        "`": "#96;",
        "$": "#36;",
        ";": "#59;",
        "\\": "#92;",
        "\t": " ",
        "\r": " ",
        "\n": " ",
    }
)
# Mermaid pre-processes lines matching `style...:...#...;` (and classDef) before decoding
# entities; a label containing those words keeps its colons out of that pattern.
_MERMAID_STYLE_WORDS = re.compile("style|classDef")


def mermaid_label(text: str) -> str:
    """Text for a double-quoted Mermaid label (node or edge) that renders as itself."""
    escaped = printable(text, keep="\t\r\n").translate(_MERMAID)
    if "#36;#36;" in escaped:
        # Mermaid decodes entities before it looks for $$...$$ (KaTeX) in labels that have a
        # line break, so a word joiner (invisible) keeps two dollars from meeting.
        escaped = escaped.replace("#36;#36;", "#36;#8288;#36;").replace(
            "#36;#36;", "#36;#8288;#36;"
        )
    if "%%" in escaped:
        escaped = escaped.replace("%", "#37;")
    if _MERMAID_STYLE_WORDS.search(escaped):
        escaped = escaped.replace(":", "#58;")
    return escaped


def dot_string(text: str) -> str:
    r"""A double-quoted DOT string whose label renders as ``text``.

    Graphviz reads backslash sequences (\n, \N, \G) and HTML entities in labels, so both
    the backslash and the ampersand are escaped along with the quote. A line break becomes
    Graphviz's centred line break.
    """
    escaped = (
        printable(text, keep="\t\r\n")
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("&", "&amp;")
    )
    escaped = escaped.replace("\r\n", "\n").replace("\n", "\\n")
    return f'"{escaped}"'
