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

from alignment.formats.escape import printable
from alignment.formats.numbers import NUMBER_HELP, typed_number

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


class TextInput(Input):
    """An Input that never takes a control character, typed or pasted."""

    def _on_paste(self, event: events.Paste) -> None:
        # Runs before Input's own handler, which inserts the (now clean) text.
        event.text = clean_line(event.text)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(_CONTROL.sub("", text), start, end)


class TextBox(TextArea):
    """A TextArea that keeps line breaks and tabs of pasted text and drops other control."""

    async def _on_paste(self, event: events.Paste) -> None:  # TextArea's own handler is async
        event.text = clean_text(event.text)
