"""Text from a plan is data: shown with markup off and without terminal control, typed clean.

Titles, plan names, owners, units, descriptions and ids come from anyone on the team. Shown as
markup, ``Fix [/] bug`` crashes a widget and ``[@click=app.quit]x[/]`` becomes a live action; sent
raw, an ESC in a title drives the terminal. Every piece of user text on screen goes through
``plain`` (Textual Content) or ``plain_text`` (Rich Text, for the tree and tables), and every
text field of the app is a ``TextInput`` or ``TextBox``, which drop control characters typed
or pasted into them.

>>> plain("[@click=app.quit]x[/]").plain
'[@click=app.quit]x[/]'
>>> plain("red\\x1b[31m").plain
'red\\\\x1b[31m'
>>> clean_line("a\\x1b[31mb\\tc\\nsecond line")
'a[31mb c'
>>> clean_text("one\\n\\ttwo\\x07")
'one\\n\\ttwo'
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import events
from textual.content import Content
from textual.widgets import Input, TextArea

from alignment.core.errors import PlanError, bounded
from alignment.formats.escape import printable

__all__ = [
    "NUMBER_HELP",
    "TextBox",
    "TextInput",
    "clean_line",
    "clean_text",
    "plain",
    "plain_text",
    "typed_number",
]

# What a terminal acts on instead of showing (C0, DEL, C1, line/paragraph separators, bidi
# controls), as formats.escape.printable shows them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_TEXT_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def plain(text: str, style: str = "", *, lines: bool = False) -> Content:
    """User text as Content: never parsed as markup; a control character shows as its escape
    (line breaks too, unless ``lines``)."""
    text = printable(text, keep="\n" if lines else "")
    return Content.styled(text, style) if style else Content(text)


def plain_text(text: str, style: str = "") -> Text:
    """One line of user text as a Rich Text (the tree and tables draw those)."""
    return Text(printable(text), style=style)


def clean_line(text: str) -> str:
    """What a one-line field keeps of typed or pasted ``text``: its first line, tabs as
    spaces, no control characters (a pasted ANSI escape loses its ESC and shows as text)."""
    line = re.split("\r\n|\r|\n", text, maxsplit=1)[0]
    return _CONTROL.sub("", line.replace("\t", " "))


def clean_text(text: str) -> str:
    """What a multi-line field keeps: line breaks (as ``\\n``) and tabs, no other control."""
    return _TEXT_CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# Commas in a typed number: a decimal comma where nothing else is possible (one comma, no dot,
# not exactly three digits after it), thousands separators where nothing else is possible
# (groups of three with a second comma or a decimal point). "1,500" could be either: refused.
NUMBER_HELP = "1.5 or 1,5 · 1500 or 1,500,000 (not 1,500: ambiguous)"
_DECIMAL_COMMA = re.compile(r"[-+]?\d*,\d+")
_THREE_AFTER_COMMA = re.compile(r"[-+]?\d*,\d{3}")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")


def typed_number(text: str, field: str) -> float | None:
    """The number typed into ``field``; None when blank; PlanError naming the field when it
    is not a number, or when its comma could mean a decimal point or a thousands separator.

    >>> typed_number("1,5", "baseline"), typed_number("1,234,567", "target")
    (1.5, 1234567.0)
    >>> typed_number("1,500", "target")
    Traceback (most recent call last):
    ...
    alignment.core.errors.PlanError: target: '1,500' is ambiguous: write 1500, or 1.500 with a decimal point
    """
    text = text.strip()
    if not text:
        return None
    if "," in text:
        if _DECIMAL_COMMA.fullmatch(text) and not _THREE_AFTER_COMMA.fullmatch(text):
            text = text.replace(",", ".")
        elif _THOUSANDS.fullmatch(text) and (text.count(",") > 1 or "." in text):
            text = text.replace(",", "")
        elif _THREE_AFTER_COMMA.fullmatch(text):
            whole, _, part = text.partition(",")
            raise PlanError(
                f"{field}: {bounded(text)} is ambiguous: write {whole}{part}, "
                f"or {whole or 0}.{part} with a decimal point",
                field=field,
            )
        else:
            raise PlanError(
                f"{field} must be a number (1.5 or 1,5; 1500 or 1,500,000), not {bounded(text)}",
                field=field,
            )
    try:
        return float(text)
    except ValueError:
        raise PlanError(f"{field} must be a number, not {bounded(text)}", field=field) from None


class TextInput(Input):
    """An Input that never takes a control character, typed or pasted."""

    def _on_paste(self, event: events.Paste) -> None:
        # Runs before Input's own handler, which inserts the (now clean) text.
        event.text = clean_line(event.text)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(_CONTROL.sub("", text), start, end)


class TextBox(TextArea):
    """A TextArea that keeps line breaks and tabs of pasted text and drops other control."""

    def _on_paste(self, event: events.Paste) -> None:
        event.text = clean_text(event.text)
