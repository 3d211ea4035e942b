"""Formulas and conditions: what parses, what is refused (and where), what the values are."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from alignment.core.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    BinaryOp,
    Call,
    Condition,
    Expr,
    Negate,
    Number,
    Reference,
    evaluate,
    holds,
    parse_condition,
    parse_expression,
    references,
    render,
)
from alignment.core.model import PlanError


def value(text: str, **values: float | None) -> float | None:
    return evaluate(parse_expression(text), values)


# -- precedence and arithmetic ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),  # left to right
        ("12 / 3 / 2", 2),
        ("10 - 2 * 3 + 1", 5),
        ("2 * 3 / 4", 1.5),
        ("0.5 + .25 + 1e2", 100.75),
        ("((((7))))", 7),
    ],
)
def test_precedence_and_associativity(text, expected):
    assert value(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-3", -3),
        ("-3 * 2", -6),
        ("2 * -3", -6),
        ("4 - -3", 7),
        ("--3", 3),
        ("-(1 + 2) * 2", -6),
        ("-${a} + 1", -4),
        ("-min(${a}, 2)", -2),
    ],
)
def test_unary_minus(text, expected):
    assert value(text, a=5) == expected


def test_min_and_max():
    assert value("min(${a}, ${b})", a=3, b=4) == 3
    assert value("max(${a}, ${b})", a=3, b=4) == 4
    assert value("max(min(${a}, 10), 0)", a=14) == 10
    assert value("max(min(${a}, 10), 0)", a=-1) == 0
    assert value("min(${a} - 1, 2 * ${b})", a=9, b=3) == 6


def test_the_essays_formulas():
    assert value("${ltv} / ${cac}", ltv=49.68, cac=41.4) == pytest.approx(1.2)
    assert value("${promoters} - ${detractors}", promoters=48, detractors=12) == 36
    assert value("${viewers} * ${hours}", viewers=1000, hours=2.5) == 2500


# -- unknown values ----------------------------------------------------------------------------


def test_division_by_zero_is_unknown_not_an_error():
    assert value("${ltv} / ${cac}", ltv=10, cac=0) is None
    assert value("1 / (${a} - ${a})", a=3) is None
    assert value("1 + 1 / 0") is None


def test_unknown_inputs_propagate_through_every_operation():
    for text in (
        "${a}",
        "-${a}",
        "${a} + 1",
        "1 - ${a}",
        "${a} * 0",  # even times zero: we do not know it
        "0 / ${a}",
        "min(${a}, 1)",
        "max(1, ${a})",
        "(${a} + ${b}) / 2",
    ):
        assert value(text, a=None, b=2) is None, text
        assert value(text, b=2) is None, text  # an id missing from the values is unknown too


def test_overflow_is_unknown():
    assert value("1e300 * 1e300") is None


def test_conditions_hold_or_not_or_are_unknown():
    cond = parse_condition("${ltv} >= ${cac}")
    assert holds(cond, {"ltv": 50, "cac": 41.4}) is True
    assert holds(cond, {"ltv": 41.4, "cac": 41.4}) is True
    assert holds(cond, {"ltv": 40, "cac": 41.4}) is False
    assert holds(cond, {"ltv": 40, "cac": None}) is None
    assert holds(parse_condition("${a} / ${b} > 1"), {"a": 1, "b": 0}) is None
    assert holds(parse_condition("${a} < 3"), {"a": 3}) is False
    assert holds(parse_condition("${a} <= 3"), {"a": 3}) is True
    assert holds(parse_condition("${a} > 3"), {"a": 3}) is False


def test_references():
    assert references(parse_expression("${ltv} / max(${cac}, 1) + ${ltv}")) == {"ltv", "cac"}
    assert references(parse_expression("2 * 3")) == set()
    assert references(parse_condition("${a} + 1 < min(${b}, ${c})")) == {"a", "b", "c"}


# -- canonical text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("${ltv}/${cac}", "${ltv} / ${cac}"),
        ("((${a}))", "${a}"),
        ("(${a} * ${b}) + ${c}", "${a} * ${b} + ${c}"),
        ("${a} * (${b} + ${c})", "${a} * (${b} + ${c})"),
        ("${a} - (${b} - ${c})", "${a} - (${b} - ${c})"),
        ("(${a} - ${b}) - ${c}", "${a} - ${b} - ${c}"),
        ("-(${a})", "-${a}"),
        ("-(-${a})", "-(-${a})"),
        ("2.50", "2.5"),
        ("1e3", "1000"),
        ("MIN(1, 2)".lower(), "min(1, 2)"),
    ],
)
def test_render_is_canonical(text, canonical):
    assert render(parse_expression(text)) == canonical
    assert render(parse_expression(canonical)) == canonical


def test_render_condition():
    assert render(parse_condition("${ltv}>=${cac}*1.2")) == "${ltv} >= ${cac} * 1.2"


# -- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(${a} + 1))", "unexpected ')' at column 11"),
        ("${a} +", "unexpected end of expression at column 7"),
        ("(${a} + 1", "unexpected end of expression at column 10 (expected ')')"),
        ("${a}.real", "unexpected '.' at column 5"),  # attribute access
        ("${a}.__class__", "unexpected '.' at column 5"),
        ("abs(${a})", "unknown function 'abs' at column 1 (only min and max)"),  # other calls
        ("__import__('os')", "unknown function '__import__' at column 1 (only min and max)"),
        ("${a} ** 2", "unexpected '**' at column 6 (powers are not allowed)"),
        ("${a} ^ 2", "unexpected '^' at column 6"),
        ("'abc'", "unexpected ''' at column 1 (text is not allowed)"),  # strings
        ('"abc" + 1', "unexpected '\"' at column 1 (text is not allowed)"),
        ("ltv / cac", "'ltv' at column 1: name an indicator as ${ltv}"),  # bare names
        ("${ltv} / cac", "'cac' at column 10: name an indicator as ${cac}"),
        ("$ltv", "unexpected '$' at column 1: name an indicator as ${id}"),
        ("${LTV}", "'${LTV}' at column 1 does not name an id"),
        ("${}", "'${}' at column 1 does not name an id"),
        ("${a} < 1", "unexpected '<' at column 6 (a comparison belongs in a condition"),
        ("min(${a})", "unexpected ')' at column 9 (expected ',')"),
        ("min(1, 2, 3)", "unexpected ',' at column 9 (min takes two values)"),
        ("max", "unexpected end of expression at column 4 (max takes two values: max(a, b))"),
        ("1 2", "unexpected '2' at column 3"),
        ("+1", "unexpected '+' at column 1"),
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("1e999", "number '1e999' at column 1 is too large"),
        ("${a}\x1b[31m", "unexpected '\\x1b' at column 5"),  # control characters never echoed raw
        ("lambda: 1", "'lambda' at column 1: name an indicator as ${lambda}"),
        ("[1, 2]", "unexpected '[' at column 1"),
        ("${a} if 1 else 2", "unexpected 'if' at column 6"),
        ("٣ + 1", "unexpected '٣' at column 1"),  # digits are ASCII digits
    ],
)
def test_formula_refusals_name_the_column_or_token(text, message):
    with pytest.raises(PlanError) as caught:
        parse_expression(text)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\x1b" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${a}", "a condition needs a comparison (< <= > >=)"),
        ("${a} < ${b} < ${c}", "unexpected '<' at column 13 (only one comparison is allowed)"),
        ("${a} <= ${b} >= 1", "unexpected '>=' at column 14 (only one comparison is allowed)"),
        ("${a} == ${b}", "unexpected '==' at column 6 (compare with < <= > >=)"),
        ("${a} != ${b}", "unexpected '!=' at column 6 (compare with < <= > >=)"),
        ("${a} = ${b}", "unexpected '=' at column 6 (compare with < <= > >=)"),
        ("${a} >= ", "unexpected end of expression at column 9"),
        ("${a} > 1 and ${b} > 2", "unexpected 'and' at column 10"),
    ],
)
def test_condition_refusals(text, message):
    with pytest.raises(PlanError) as caught:
        parse_condition(text)
    assert str(caught.value).startswith(message), str(caught.value)


def test_length_is_bounded():
    longest = "1" + " + 1" * ((MAX_LENGTH - 1) // 4)
    assert len(longest) <= MAX_LENGTH
    assert value(longest) == (MAX_LENGTH - 1) // 4 + 1
    with pytest.raises(PlanError, match=f"longer than {MAX_LENGTH} characters"):
        parse_expression(longest + " + 1")


def test_depth_is_bounded():
    deep = "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH
    assert value(deep) == 1
    with pytest.raises(PlanError, match=f"nested more than {MAX_DEPTH} levels deep at column"):
        parse_expression("(" + deep + ")")
    with pytest.raises(PlanError, match="nested more than"):
        parse_expression("-" * (MAX_DEPTH + 1) + "1")
    with pytest.raises(PlanError, match="nested more than"):
        parse_expression("min(" * (MAX_DEPTH + 1) + "1" + ", 1)" * (MAX_DEPTH + 1))


# -- property: the canonical text means the same as the tree -------------------------------------

IDS = ("a", "b", "c", "ltv", "cac")
numbers = st.floats(min_value=0, max_value=1e6, allow_nan=False).map(Number)
leaves = st.one_of(numbers, st.sampled_from(IDS).map(Reference))


def _trees(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        children.map(Negate),
        st.builds(BinaryOp, st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.builds(Call, st.sampled_from(["min", "max"]), children, children),
    )


trees = st.recursive(leaves, _trees, max_leaves=12)
value_maps = st.fixed_dictionaries(
    {
        name: st.one_of(st.none(), st.floats(min_value=-1e3, max_value=1e3, allow_nan=False))
        for name in IDS
    }
)


def direct(tree: Expr, values: dict[str, float | None]) -> float | None:
    """The tree's value computed the obvious way, independently of the module."""
    if isinstance(tree, Number):
        return tree.value
    if isinstance(tree, Reference):
        return values.get(tree.id)
    if isinstance(tree, Negate):
        inner = direct(tree.operand, values)
        return None if inner is None else -inner
    a, b = (
        (direct(tree.left, values), direct(tree.right, values))
        if isinstance(tree, BinaryOp)
        else (direct(tree.first, values), direct(tree.second, values))
    )
    if a is None or b is None:
        return None
    if isinstance(tree, Call):
        return min(a, b) if tree.function == "min" else max(a, b)
    if tree.op == "/":
        if b == 0:
            return None
        result = a / b
    else:
        result = {"+": a + b, "-": a - b, "*": a * b}[tree.op]
    return result if math.isfinite(result) else None


def height(tree: Expr) -> int:
    if isinstance(tree, Negate):
        return 1 + height(tree.operand)
    if isinstance(tree, BinaryOp):
        return 1 + max(height(tree.left), height(tree.right))
    if isinstance(tree, Call):
        return 1 + max(height(tree.first), height(tree.second))
    return 0


@settings(max_examples=300, deadline=None)
@given(trees, value_maps)
def test_rendered_tree_parses_back_to_the_same_tree_and_value(tree, values):
    assume(height(tree) <= MAX_DEPTH // 2)  # each level nests at most two deep in the text
    text = render(tree)
    assert parse_expression(text) == tree
    expected = direct(tree, values)
    got = evaluate(parse_expression(text), values)
    if expected is None or not math.isfinite(expected):
        assert got is None
    else:
        assert got == expected


@settings(max_examples=100, deadline=None)
@given(trees, st.sampled_from(["<", "<=", ">", ">="]), trees, value_maps)
def test_conditions_round_trip(left, op, right, values):
    assume(height(left) <= MAX_DEPTH // 2 and height(right) <= MAX_DEPTH // 2)
    condition = Condition(left, op, right)
    assert parse_condition(render(condition)) == condition
    a, b = direct(left, values), direct(right, values)
    expected = None
    if a is not None and b is not None:
        expected = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    assert holds(condition, values) is expected


def test_parsing_never_calls_eval(monkeypatch):
    import builtins

    def refuse(*_args, **_kwargs):
        raise AssertionError("eval called")

    monkeypatch.setattr(builtins, "eval", refuse)
    parse_expression.cache_clear()
    assert value("${a} * 2 + max(1, 3)", a=2) == 7
