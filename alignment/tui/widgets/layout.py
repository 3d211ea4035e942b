"""Fitting text to a known width: one-line fits with an ellipsis, and hanging indents.

Widgets that know their width lay their text out here, so nothing wraps mid-phrase or
runs under a neighbour.

>>> fit(Content("Customer acquisition cost"), 12).plain
'Customer ac…'
>>> [line.plain for line in hang(Content("↑ "), Content("Reduce CAC by 20 percent"), 16)]
['↑ Reduce CAC by', '  20 percent']
"""

from __future__ import annotations

from textual.content import Content

__all__ = ["fit", "hang", "label_rows"]


def fit(content: Content, width: int) -> Content:
    """``content`` on one line of at most ``width`` cells, ending in … when cut."""
    if width <= 0:
        return Content("")
    if content.cell_length <= width:
        return content
    return content.truncate(width, ellipsis=True)


def hang(first: Content, body: Content, width: int, indent: int | None = None) -> list[Content]:
    """``first`` then ``body`` wrapped to ``width``, later lines indented under the body.

    ``indent`` defaults to the width of ``first`` (a hanging indent aligned with the text).
    """
    indent = first.cell_length if indent is None else indent
    room = max(8, width - indent)
    head = body.wrap(max(8, width - first.cell_length))[0]
    out = [first + head]
    start = len(head.plain)
    while start < len(body.plain) and body.plain[start] == " ":
        start += 1
    if start < len(body.plain):
        pad = Content(" " * indent)
        out.extend(pad + line for line in body[start:].wrap(room))
    return out


def label_rows(rows: list[tuple[str, Content]], width: int, label_width: int = 0) -> list[Content]:
    """Aligned ``label  value`` rows; a value too long for one line hangs under itself.

    ``label_width`` 0: the longest label and two spaces.
    """
    label_width = label_width or max((len(label) for label, _ in rows), default=0) + 2
    lines: list[Content] = []
    for label, value in rows:
        lines.extend(hang(Content.styled(label.ljust(label_width), "dim"), value, width))
    return lines
