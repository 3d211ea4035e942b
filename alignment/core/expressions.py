"""Formulas and conditions over indicator values: a whitelisted parser, a small AST, evaluation.

The syntax (PLAN_FORMAT.md, "Expressions"): numbers, ``${id}`` naming an indicator, ``+ - * /``,
unary minus, parentheses, ``min(a, b)`` and ``max(a, b)``; a condition is two expressions joined
by one of ``< <= > >=``. Text is tokenised and parsed here by recursive descent, so nothing a
plan says is ever handed to Python's ``eval``, and every refusal names the column.

A value that cannot be computed (an input without a value, a division by zero) is unknown
(``None``), and whatever depends on it is unknown too.

>>> ratio = parse_expression("${ltv} / ${cac}")
>>> sorted(references(ratio))
['cac', 'ltv']
>>> evaluate(ratio, {"ltv": 50, "cac": 40})
1.25
>>> evaluate(ratio, {"ltv": 50, "cac": 0}) is None
True
>>> holds(parse_condition("${ltv} >= ${cac}"), {"ltv": 50, "cac": None}) is None
True
>>> render(parse_expression("-(${a}+1)*2"))
'-(${a} + 1) * 2'
>>> try:
...     parse_expression("(${a} + 1))")
... except PlanError as error:
...     print(error)
unexpected ')' at column 11
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypeAlias

from alignment.core.model import ID_PATTERN, MAX_ID, PlanError

__all__ = [
    "render_plain",
    "COMPARISONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "BinaryOp",
    "Call",
    "Condition",
    "Expr",
    "Negate",
    "Number",
    "Reference",
    "evaluate",
    "holds",
    "parse_condition",
    "parse_expression",
    "references",
    "render",
]

MAX_LENGTH = 500  # characters in one formula or condition
MAX_DEPTH = 32  # nesting of parentheses, unary minus and calls

Operator = Literal["+", "-", "*", "/"]
Comparison = Literal["<", "<=", ">", ">="]
Function = Literal["min", "max"]
COMPARISONS: tuple[Comparison, ...] = ("<", "<=", ">", ">=")


@dataclass(frozen=True, slots=True)
class Number:
    value: float


@dataclass(frozen=True, slots=True)
class Reference:
    """``${id}``: the value of the indicator ``id``."""

    id: str


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Expr


@dataclass(frozen=True, slots=True)
class BinaryOp:
    op: Operator
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Call:
    function: Function
    first: Expr
    second: Expr


Expr: TypeAlias = Number | Reference | Negate | BinaryOp | Call


@dataclass(frozen=True, slots=True)
class Condition:
    left: Expr
    op: Comparison
    right: Expr


# -- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>[ \t]+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<ref>\$\{(?P<id>[^}]*)\})
  | (?P<op><=|>=|\*\*|==|!=|[-+*/(),<>=])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number | ref | op | name | end
    text: str
    column: int  # 1-based


def _shown(text: str) -> str:
    """A piece of the expression fit for a one-line message: quoted, escaped, not too long."""
    if len(text) > 20:
        text = text[:20] + "..."
    escaped = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return f"'{escaped}'"


def _tokens(text: str) -> Iterator[_Token]:
    """The tokens of ``text``, read lazily so that a refusal is the first problem in reading order."""
    position, size = 0, len(text)
    while position < size:
        match = _TOKEN.match(text, position)
        column = position + 1
        if match is None:
            char = text[position]
            if char in "\"'":
                raise PlanError(
                    f"unexpected {_shown(char)} at column {column} (text is not allowed)"
                )
            if char == "$":
                raise PlanError(f"unexpected '$' at column {column}: name an indicator as ${{id}}")
            raise PlanError(f"unexpected {_shown(char)} at column {column}")
        kind = match.lastgroup or ""
        if kind == "ref":
            node_id = match.group("id")
            if not (len(node_id) <= MAX_ID and ID_PATTERN.fullmatch(node_id)):
                raise PlanError(
                    f"{_shown(match.group(0))} at column {column} does not name an id "
                    "(lower-case letters, digits and dashes)"
                )
        if kind != "space":
            yield _Token(kind, match.group(0), column)
        position = match.end()
    yield _Token("end", "", size + 1)


# -- parser ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise PlanError(f"longer than {MAX_LENGTH} characters ({len(text)})")
        if not text.strip():
            raise PlanError("empty expression")
        self.stream = _tokens(text)
        self.next: _Token | None = None
        self.depth = 0

    @property
    def token(self) -> _Token:
        """The next token, read on first look."""
        if self.next is None:
            self.next = next(self.stream)
        return self.next

    def advance(self) -> _Token:
        token = self.token
        if token.kind != "end":
            self.next = None
        return token

    def next_is(self, text: str) -> bool:
        """Whether the next token is ``text``, without failing on what cannot be read."""
        try:
            return self.token.kind == "op" and self.token.text == text
        except PlanError:
            return False

    def unexpected(self, token: _Token | None = None, hint: str = "") -> PlanError:
        token = token or self.token
        if token.kind == "end":
            return PlanError(f"unexpected end of expression at column {token.column}{hint}")
        if token.text == "**":
            hint = hint or " (powers are not allowed)"
        elif token.text in ("=", "==", "!="):
            hint = hint or " (compare with < <= > >=)"
        return PlanError(f"unexpected {_shown(token.text)} at column {token.column}{hint}")

    def expect(self, text: str) -> None:
        if self.token.text != text or self.token.kind != "op":
            raise self.unexpected(hint=f" (expected '{text}')")
        self.advance()

    def nested(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise PlanError(f"nested more than {MAX_DEPTH} levels deep at column {token.column}")

    def expression(self) -> Expr:
        left = self.term()
        while self.token.kind == "op" and self.token.text in ("+", "-"):
            op: Operator = "+" if self.advance().text == "+" else "-"
            left = BinaryOp(op, left, self.term())
        return left

    def term(self) -> Expr:
        left = self.unary()
        while self.token.kind == "op" and self.token.text in ("*", "/"):
            op: Operator = "*" if self.advance().text == "*" else "/"
            left = BinaryOp(op, left, self.unary())
        return left

    def unary(self) -> Expr:
        token = self.token
        if token.kind == "op" and token.text == "-":
            self.advance()
            self.nested(token)
            operand = self.unary()
            self.depth -= 1
            return Negate(operand)
        return self.primary()

    def primary(self) -> Expr:
        token = self.advance()
        if token.kind == "number":
            value = float(token.text)
            if not math.isfinite(value):
                raise PlanError(
                    f"number {_shown(token.text)} at column {token.column} is too large"
                )
            return Number(value)
        if token.kind == "ref":
            return Reference(token.text[2:-1])
        if token.kind == "op" and token.text == "(":
            self.nested(token)
            inner = self.expression()
            self.expect(")")
            self.depth -= 1
            return inner
        if token.kind == "name":
            return self.call(token)
        raise self.unexpected(token)

    def call(self, token: _Token) -> Expr:
        name = token.text
        if name not in ("min", "max"):
            if self.next_is("("):
                raise PlanError(
                    f"unknown function {_shown(name)} at column {token.column} (only min and max)"
                )
            raise PlanError(
                f"{_shown(name)} at column {token.column}: name an indicator as ${{{name}}}"
            )
        if self.token.text != "(":
            raise self.unexpected(hint=f" ({name} takes two values: {name}(a, b))")
        self.advance()
        self.nested(token)
        first = self.expression()
        self.expect(",")
        second = self.expression()
        if self.token.text == ",":
            raise self.unexpected(hint=f" ({name} takes two values)")
        self.expect(")")
        self.depth -= 1
        function: Function = "min" if name == "min" else "max"
        return Call(function, first, second)

    def comparison(self) -> Comparison | None:
        token = self.token
        if token.kind == "op" and token.text in COMPARISONS:
            self.advance()
            return _COMPARISON[token.text]
        return None

    def finish(self, what: str) -> None:
        token = self.token
        if token.kind == "end":
            return
        if token.kind == "op" and token.text in COMPARISONS:
            raise self.unexpected(token, hint=f" ({what})")
        raise self.unexpected(token)


_COMPARISON: dict[str, Comparison] = {c: c for c in COMPARISONS}


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> Expr:
    """The AST of a formula; PlanError naming the column when it does not parse.

    >>> parse_expression("min(${a}, 2)")
    Call(function='min', first=Reference(id='a'), second=Number(value=2.0))
    >>> try:
    ...     parse_expression("${a} ** 2")
    ... except PlanError as error:
    ...     print(error)
    unexpected '**' at column 6 (powers are not allowed)
    """
    parser = _Parser(text)
    expr = parser.expression()
    parser.finish("a comparison belongs in a condition, not a formula")
    return expr


@lru_cache(maxsize=4096)
def parse_condition(text: str) -> Condition:
    """Two expressions joined by one of ``< <= > >=``.

    >>> render(parse_condition("${ltv}>=${cac}"))
    '${ltv} >= ${cac}'
    """
    parser = _Parser(text)
    left = parser.expression()
    op = parser.comparison()
    if op is None:
        if parser.token.kind == "end":
            raise PlanError("a condition needs a comparison (< <= > >=)")
        raise parser.unexpected()
    right = parser.expression()
    parser.finish("only one comparison is allowed")
    return Condition(left, op, right)


# -- meaning --------------------------------------------------------------------------------


def references(expr: Expr | Condition) -> set[str]:
    """The ids an expression (or condition) reads."""
    found: set[str] = set()
    stack: list[Expr | Condition] = [expr]
    while stack:
        item = stack.pop()
        match item:
            case Reference(node_id):
                found.add(node_id)
            case Negate(operand):
                stack.append(operand)
            case BinaryOp(_, left, right) | Call(_, left, right) | Condition(left, _, right):
                stack.append(left)
                stack.append(right)
            case _:
                pass
    return found


def _finite(result: float) -> float | None:
    return result if math.isfinite(result) else None


# Each step that overflows is unknown at once, so min/max cannot turn an overflow into a value.
_ARITHMETIC: dict[str, Callable[[float, float], float | None]] = {
    "+": lambda a, b: _finite(a + b),
    "-": lambda a, b: _finite(a - b),
    "*": lambda a, b: _finite(a * b),
    "/": lambda a, b: None if b == 0 else _finite(a / b),
}


def evaluate(expr: Expr, values: Mapping[str, float | None]) -> float | None:
    """The value of ``expr`` given each indicator's value; None when it cannot be known.

    An id missing from ``values`` or mapped to None is unknown; so is a division by zero and a
    result too large to represent.

    >>> evaluate(parse_expression("max(${a}, 3) - -1"), {"a": 2})
    4.0
    """
    return _evaluate(expr, values)


def _evaluate(expr: Expr, values: Mapping[str, float | None]) -> float | None:
    match expr:
        case Number(value):
            return value
        case Reference(node_id):
            found = values.get(node_id)
            return None if found is None else _finite(float(found))
        case Negate(operand):
            inner = _evaluate(operand, values)
            return None if inner is None else -inner
        case BinaryOp(op, left, right):
            a = _evaluate(left, values)
            if a is None:
                return None
            b = _evaluate(right, values)
            if b is None:
                return None
            return _ARITHMETIC[op](a, b)
        case Call(function, first, second):
            a = _evaluate(first, values)
            b = _evaluate(second, values)
            if a is None or b is None:
                return None
            return min(a, b) if function == "min" else max(a, b)
    raise TypeError(f"not an expression: {expr!r}")


def holds(condition: Condition, values: Mapping[str, float | None]) -> bool | None:
    """Whether the condition holds; None when either side is unknown.

    >>> holds(parse_condition("${ltv} >= ${cac}"), {"ltv": 41, "cac": 41})
    True
    """
    left = evaluate(condition.left, values)
    right = evaluate(condition.right, values)
    if left is None or right is None:
        return None
    match condition.op:
        case "<":
            return left < right
        case "<=":
            return left <= right
        case ">":
            return left > right
        case ">=":
            return left >= right
    raise TypeError(f"not a comparison: {condition.op!r}")


# -- canonical text -------------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_UNARY = 3
_ATOM = 4


def _precedence(expr: Expr) -> int:
    if isinstance(expr, BinaryOp):
        return _PRECEDENCE[expr.op]
    if isinstance(expr, Negate):
        return _UNARY
    return _ATOM


def render_number(value: float) -> str:
    """The shortest text that reads back as ``value``: 2 for 2.0, 0.1 for 0.1."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def render(expr: Expr | Condition) -> str:
    """Canonical text: one space around operators, parentheses only where they matter.

    Parsing the result gives back the same tree.

    >>> render(parse_expression("(${a} - (${b} - ${c}))/(2)"))
    '(${a} - (${b} - ${c})) / 2'
    """
    match expr:
        case Condition(left, op, right):
            return f"{render(left)} {op} {render(right)}"
        case Number(value):
            text = render_number(value)
            return f"({text})" if text.startswith("-") else text
        case Reference(node_id):
            return f"${{{node_id}}}"
        case Negate(operand):
            inner = render(operand)
            return f"-({inner})" if _precedence(operand) <= _UNARY else f"-{inner}"
        case Call(function, first, second):
            return f"{function}({render(first)}, {render(second)})"
        case BinaryOp(op, left, right):
            mine = _PRECEDENCE[op]
            left_text = render(left)
            if _precedence(left) < mine:
                left_text = f"({left_text})"
            right_text = render(right)
            if _precedence(right) <= mine:
                right_text = f"({right_text})"
            return f"{left_text} {op} {right_text}"
    raise TypeError(f"not an expression: {expr!r}")


def render_plain(expr: Expr | Condition) -> str:
    """``render`` as people read it in a sentence: ``ltv >= cac`` (ids hold no ``$``, ``{``, ``}``).

    >>> render_plain(parse_condition("${ltv} >= ${cac}"))
    'ltv >= cac'
    """
    return render(expr).replace("${", "").replace("}", "")
