"""The one error a person can cause and fix, and how input is echoed in its message."""

from __future__ import annotations

__all__ = ["PlanError", "bounded"]


class PlanError(ValueError):
    """An error a person caused and can fix; the message says what and why.

    ``node``, ``field`` and ``line`` say where, when known: a plan-file reader points at the
    field's line, a form at its input, without reading the message.
    """

    def __init__(
        self,
        message: str,
        *,
        node: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.node, self.field, self.line = node, field, line


def bounded(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to about ``limit`` characters, for echoing input in a message.

    >>> bounded("x" * 200)[-18:]
    'xxxxx… (200 chars)'
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str | bytes):
        return f"{text[:limit]}… ({len(value)} chars)"
    return f"{text[:limit]}…"
