"""Drafting from an outline: an indented Markdown bullet list read into a plan.

    # Break even on unit economics
    Optional description: the text between the title and the first bullet.

    - goal: Break even by 2027-06-30
      - strategy: Reduce CAC by 20%
        - indicator: CAC USD down 41.4 -> 33 by 2027-06-30
          - initiative: Refer a friend
      - strategy: Increase LTV by 20%
        - initiative: Error logs under reduce-cac

Each bullet is a quick-add line (formats/quick_add.py: kind word or prefix, title, unit,
direction, numbers, ``by``, ``@owner``, ``under``); nesting means "supports"; ids are made from
titles (``Reduce CAC by 20%`` -> ``reduce-cac-by-20``), so ``under`` can name any node of the
outline, before or after it. Bad input: ``FILE:LINE: reason`` and no plan.

>>> plan = parse_outline("# Demo\\n- goal: Grow\\n  - s: Sell more\\n", "draft.md")
>>> [(n.id, n.kind.value) for n in plan.nodes()], plan.supported("sell-more")
([('grow', 'goal'), ('sell-more', 'strategy')], ['grow'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from alignment.core.edits import unique_id
from alignment.core.errors import PlanError
from alignment.core.plan import Plan, check_plan_name
from alignment.formats.plan_file import PlanFileError, read_text_file
from alignment.formats.quick_add import QuickLine, parse_line

__all__ = ["parse_outline", "read_outline", "OUTLINE_SUFFIXES"]

OUTLINE_SUFFIXES = (".md", ".markdown")
_BULLET = re.compile(r"( *)[-*+] +(.*)")


@dataclass(frozen=True, slots=True)
class _Item:
    line: int
    indent: int
    parsed: QuickLine
    parent: int | None  # index of the enclosing item


def read_outline(path: str | Path) -> Plan:
    """The plan an outline file drafts; PlanFileError ``FILE:LINE: reason`` when it cannot."""
    path = Path(path)
    return parse_outline(read_text_file(path, "an outline"), str(path))


def parse_outline(text: str, filename: str) -> Plan:
    """The plan ``text`` drafts (``filename`` names it in errors)."""
    name: str | None = None
    description: list[str] = []
    items: list[_Item] = []

    def fail(line: int | None, reason: str) -> PlanFileError:
        return PlanFileError(filename, line, reason)

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise fail(number, "indent with spaces, not tabs")
        if line.startswith("#"):
            if name is not None or items:
                raise fail(number, "only one '# Plan name' line, at the top")
            heading = line.lstrip("#").strip()
            try:
                name = check_plan_name(heading)
            except PlanError as error:
                raise fail(number, str(error)) from None
            continue
        bullet = _BULLET.fullmatch(line)
        if bullet is None:
            if items or line.startswith(" "):
                raise fail(number, "expected a bullet: '- KIND: TITLE ...'")
            if name is None:
                raise fail(number, "start with the plan's name: '# Plan name'")
            description.append(line.strip())
            continue
        if name is None:
            raise fail(number, "start with the plan's name: '# Plan name'")
        indent = len(bullet.group(1))
        try:
            parsed = parse_line(bullet.group(2))
        except PlanError as error:
            raise fail(number, str(error)) from None
        items.append(_Item(number, indent, parsed, _enclosing(items, indent, number, fail)))
    if name is None:
        raise fail(None, "empty: start with '# Plan name', then '- goal: TITLE' bullets")
    if not items:
        raise fail(None, "no bullets: write '- goal: TITLE' and nest what supports it")
    return _build(name, " ".join(description) or None, items, fail)


def _enclosing(items: list[_Item], indent: int, number: int, fail) -> int | None:  # type: ignore[no-untyped-def]
    """The item a bullet at ``indent`` is nested in (None at the top level)."""
    index = len(items) - 1
    while index >= 0 and items[index].indent > indent:
        parent = items[index].parent
        index = -1 if parent is None else parent
    if index < 0:
        if items and indent != items[0].indent:
            raise fail(number, "indentation does not line up with any bullet above")
        return None
    if items[index].indent == indent:
        return items[index].parent
    siblings = [item.indent for item in items if item.parent == index]
    if siblings and siblings[0] != indent:
        raise fail(number, "indentation does not line up with any bullet above")
    return index


def _build(name: str, description: str | None, items: list[_Item], fail) -> Plan:  # type: ignore[no-untyped-def]
    plan = Plan(name, description)
    ids: list[str] = []
    for item in items:
        try:
            node = item.parsed.node(unique_id(plan, item.parsed.title))
            plan.add(node)
        except PlanError as error:
            raise fail(item.line, str(error)) from None
        ids.append(node.id)
    for index, item in enumerate(items):
        parents = [ids[item.parent]] if item.parent is not None else []
        parents += [p for p in item.parsed.parents if p not in parents]
        for parent in parents:
            if parent not in plan:
                raise fail(item.line, f"under: no node {parent!r} in this outline")
            try:
                plan.link(ids[index], parent)
            except PlanError as error:
                raise fail(item.line, str(error)) from None
    return plan
