"""Read and write the YAML plan file format (PLAN_FORMAT.md, version 1).

Reading walks the composed YAML node tree so that every refusal names its line:
``FILE:LINE: reason``. Writing is deterministic: the same plan always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from alignment.bulk import gc_paused
from alignment.core.errors import bounded
from alignment.core.fields import FieldSpec, FieldType
from alignment.core.model import (
    KIND_BY_SECTION,
    CheckIn,
    Kind,
    Link,
    Node,
    PlanError,
    check_id,
    fields_for,
)
from alignment.core.plan import CycleError, Plan

__all__ = ["PlanFileError", "parse_plan", "plan_to_data", "read_plan_file", "write_plan"]

# The C loader parses several times faster; fall back to pure Python where libyaml is missing.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FORMAT_VERSION = 1
TOP_KEYS = ("format", "plan", "description", *KIND_BY_SECTION)
# What a node of each kind may carry, from the field declarations (core/fields.py).
SPECS = {kind: fields_for(kind) for kind in Kind}
FIELDS = {
    kind: ("id", "title", *(spec.name for spec in specs), "supports")
    for kind, specs in SPECS.items()
}
LINK_FIELDS = ("id", "effect", "confidence", "actual")

# Bounds on what a file may ask of the reader, so hostile input ends with one line that says why
# instead of a crash. A plan needs about 6 levels of nesting; a number or a date is a few dozen
# characters. Memory grows with the file (composed YAML nodes: about 50 bytes per byte of a
# 100k-node plan, which is 20 MB; up to 150 for a file of empty lists): 32 MB is the most we read.
MAX_DEPTH = 32
MAX_BYTES = 32 * 1024 * 1024
MAX_SCALAR = 64  # characters of a number, a date or the format version
MAX_REASON = 300  # characters of a refusal's reason (each echoed value is cut to about 80)
# No text in a plan file holds control characters, but a description's line breaks and tabs:
# C0 and C1 controls, DEL, the Unicode line and paragraph separators (YAML escapes such as "\e"
# or "\0" make them) and lone surrogates (which no database can store).
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Where an alias could start: a `*` at the start, after white space or a flow indicator, and
# followed by a name. A formula's `a * b` or a description's `**bold**` mid-text may match too:
# that only costs a closer look.
_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[\{,])\*[^\s,\[\]\{\}]")


class PlanFileError(PlanError):
    """An invalid plan file: the message is ``FILE:LINE: reason``."""

    def __init__(self, filename: str, line: int | None, reason: str) -> None:
        where = filename if line is None else f"{filename}:{line}"
        super().__init__(f"{where}: {reason}")
        self.filename, self.line, self.reason = filename, line, reason


@dataclass
class _Reader:
    filename: str
    loader: Any

    def fail(self, node: yaml.Node | None, reason: str) -> PlanFileError:
        if node is None:
            return self.fail_at(None, reason)
        return self.fail_at(node.start_mark.line + 1, reason)

    def fail_at(self, line: int | None, reason: str) -> PlanFileError:
        if len(reason) > MAX_REASON:
            reason = f"{reason[:MAX_REASON]}…"
        if line is None:
            reason = f"whole file: {reason}"
        return PlanFileError(self.filename, line, reason)

    def value(self, node: yaml.Node, name: str, expected: str) -> Any:
        """A scalar constructed as YAML reads it (a number, a date); never a list or mapping.

        Its length is checked first: ``int()`` of thousands of digits is slow or refused.
        """
        if not isinstance(node, yaml.ScalarNode):
            shape = "list" if isinstance(node, yaml.SequenceNode) else "mapping"
            raise self.fail(node, f"{name} must be {expected}, not a {shape}")
        if len(node.value) > MAX_SCALAR:
            raise self.fail(node, f"{name} must be {expected}, not {bounded(node.value)}")
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            reason = getattr(error, "problem", None) or str(error)
            raise self.fail(node, f"invalid value {bounded(node.value)}: {reason}") from None

    @staticmethod
    def value_is_null(node: yaml.Node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                expected = ", ".join(allowed)
                raise self.fail(
                    key_node, f"unknown field {bounded(key)} in {what} (expected {expected})"
                )
            if key in fields:
                raise self.fail(key_node, f"duplicate field {key!r} in {what}")
            fields[key] = value_node
        return fields

    def text(self, node: yaml.Node | None, name: str) -> str | None:
        if node is None or self.value_is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{name} must be text")
        # Text as written: `id: yes`, `id: 010` or `title: 1.10` are not YAML booleans or
        # numbers here (reading them as such would refuse the id or turn 010 into 8).
        text: str = node.value
        bad = _NOT_TEXT.search(text)
        if bad is not None:
            line = node.start_mark.line + 1
            if node.style in ("|", ">"):  # a block scalar's text starts on the next line
                line += 1 + text.count("\n", 0, bad.start())
            raise self.fail_at(
                line, f"{name} must not contain control characters (found {bounded(bad.group())})"
            )
        return text

    def ident(self, node: yaml.Node, name: str) -> str:
        """An id as written (``null`` and ``yes`` are ids here too); ``check_id`` judges it."""
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{name} must be text")
        return node.value

    def number(self, node: yaml.Node | None, name: str) -> Any:
        if node is None:
            return None
        value = self.value(node, name, "a number")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(node, f"{name} must be a number, not {bounded(node.value)}")
        return value

    def day(self, node: yaml.Node | None, name: str) -> date | None:
        if node is None:
            return None
        expected = "an ISO date (YYYY-MM-DD)"
        if isinstance(node, yaml.ScalarNode) and len(node.value) <= MAX_SCALAR:
            try:
                value = self.value(node, name, expected)
            except PlanFileError:
                value = node.value  # e.g. 2027-02-31: shaped like a date, but no such day
        else:
            value = self.value(node, name, expected)  # refuses it, saying why
        if value is None:
            return None
        if isinstance(value, datetime):
            # A datetime is a date too: two timestamps on one day would pass here and collide
            # as one date in the store.
            raise self.fail(
                node, f"{name} must be a date (YYYY-MM-DD), not a timestamp {bounded(node.value)}"
            )
        if isinstance(value, str) and _ISO_DAY.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        if isinstance(value, date):
            return value
        raise self.fail(node, f"{name} must be {expected}, not {bounded(node.value)}")


def parse_plan(text: str, filename: str = "<plan>", lines: dict[str, int] | None = None) -> Plan:
    """Parse plan-file text; raise PlanFileError naming the line of the first problem.

    ``lines``, when given, is filled with each node's id -> the line its entry starts on.
    """
    with gc_paused():
        return _parse(text, filename, lines)


def read_plan_file(path: str | Path, lines: dict[str, int] | None = None) -> Plan:
    path = Path(path)
    return parse_plan(read_text_file(path, "a plan file"), str(path), lines)


def read_text_file(path: Path, what: str) -> str:
    """A plan's source text (``what``: "a plan file", "an outline"), read bounded; PlanFileError
    naming the file, and the line of the first byte that is not UTF-8."""
    try:
        # At most MAX_BYTES + 1, so /dev/zero or a runaway pipe is refused, not read forever.
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PlanFileError(str(path), None, "no such file") from None
    except IsADirectoryError:
        raise PlanFileError(str(path), None, f"is a directory, not {what}") from None
    except OSError as error:
        raise PlanFileError(str(path), None, error.strerror or str(error)) from None
    if len(data) > MAX_BYTES:
        limit = f"{MAX_BYTES // 2**20} MB"
        raise PlanFileError(
            str(path), None, f"whole file: larger than {limit}, too large for a plan"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PlanFileError(
            str(path), line, f"not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None


def _parse(text: str, filename: str, node_lines: dict[str, int] | None = None) -> Plan:
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:  # text not decoded from UTF-8 (libyaml cannot even take it)
        line = text.count("\n", 0, surrogate.start()) + 1
        found = bounded(surrogate.group())
        raise PlanFileError(filename, line, f"not valid text: a lone surrogate ({found})")
    loader = _Loader(text)
    reader = _Reader(filename, loader)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            at = mark.line + 1 if mark else None
            raise reader.fail_at(at, f"not valid YAML: {error.problem}") from None
        except yaml.reader.ReaderError as error:  # a character YAML does not allow in a file
            line = text.count("\n", 0, error.position) + 1
            found = bounded(text[error.position : error.position + 1])
            raise reader.fail_at(line, f"not valid YAML: {error.reason} (found {found})") from None
        except yaml.YAMLError as error:
            raise reader.fail_at(None, f"not valid YAML: {error}") from None
        except RecursionError:  # the pure-Python composer; libyaml stops at 1000 levels itself
            raise reader.fail_at(None, f"nested deeper than {MAX_DEPTH} levels") from None
        if root is None:
            raise reader.fail_at(None, "empty: a plan file must be a YAML mapping (plan:, goals:)")
        _refuse_aliases_and_depth(reader, root, text)
        if not isinstance(root, yaml.MappingNode):
            raise reader.fail(root, "a plan file must be a YAML mapping (plan:, goals:, ...)")
        top = reader.mapping(root, "the plan file", TOP_KEYS)
        return _build(reader, root, top, node_lines)
    finally:
        loader.dispose()


def _refuse_aliases_and_depth(reader: _Reader, root: yaml.Node, text: str) -> None:
    """Refuse YAML aliases and nesting deeper than MAX_DEPTH, before anything is constructed.

    An alias (``*name``) makes one composed node reachable twice: a few hundred bytes of nested
    aliases ("billion laughs") expand to gigabytes when constructed or shown. A plan file never
    needs one, so the first node reached twice is refused, naming the first alias's line.
    Only lists and mappings count as levels.
    """
    # Without a `*` where a node may start there is no alias, and only lists and mappings need
    # a visit: a tenth of the nodes of a large plan.
    aliases = _MAYBE_ALIAS.search(text) is not None
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    pop, push, scalar, mapping = stack.pop, stack.append, yaml.ScalarNode, yaml.MappingNode
    while stack:
        node, depth = pop()
        if aliases:
            if id(node) in seen:
                line, name = _first_alias(text)
                raise reader.fail_at(
                    line,
                    f"YAML aliases ({bounded('*' + name)}) are not allowed in a plan file: "
                    "write the value out",
                )
            seen.add(id(node))
        kind = type(node)
        if kind is scalar:
            continue
        if depth > MAX_DEPTH:
            raise reader.fail(node, f"nested deeper than {MAX_DEPTH} levels")
        depth += 1
        if kind is mapping:
            for key, value in node.value:
                if aliases or type(key) is not scalar:
                    push((key, depth))
                if aliases or type(value) is not scalar:
                    push((value, depth))
        else:
            for item in node.value:
                if aliases or type(item) is not scalar:
                    push((item, depth))


def _first_alias(text: str) -> tuple[int | None, str]:
    """The line and name of the first alias in ``text`` (scanned again: a refusal is rare)."""
    loader = _Loader(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if isinstance(token, yaml.AliasToken):
                return token.start_mark.line + 1, token.value
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None, ""


def _build(
    reader: _Reader,
    root: yaml.Node,
    top: dict[str, yaml.Node],
    node_lines: dict[str, int] | None = None,
) -> Plan:
    if "format" in top:
        version = reader.value(top["format"], "format", "the number 1")
    else:
        version = FORMAT_VERSION
    # `format: true` equals 1 in Python; only the number 1 names this version.
    if isinstance(version, bool) or version != FORMAT_VERSION:
        raise reader.fail(
            top["format"], f"unsupported format {bounded(top['format'].value)} (expected 1)"
        )
    if "plan" not in top:
        raise reader.fail(root, "missing 'plan': the plan's name")
    name = reader.text(top["plan"], "plan name")
    if name is None:
        raise reader.fail(top["plan"], "plan name must be text, not empty ('plan: NAME')")
    description = reader.text(top.get("description"), "description")
    nodes: list[Node] = []
    links: list[Link] = []
    lines: dict[str, yaml.Node] = {}  # id -> its mapping node, for errors found later
    link_lines: dict[tuple[str, str], yaml.Node] = {}
    for section, kind in KIND_BY_SECTION.items():
        section_node = top.get(section)
        if section_node is None or reader.value_is_null(section_node):
            continue
        if not isinstance(section_node, yaml.SequenceNode):
            raise reader.fail(section_node, f"{section} must be a list")
        for item in section_node.value:
            node, supports_node = _node(reader, item, kind)
            if node.id in lines:
                first = lines[node.id].start_mark.line + 1
                raise reader.fail(item, f"duplicate id {node.id!r} (first used on line {first})")
            # After the duplicate check: "g supports g" in a second g is a duplicate id first.
            supports = _supports(reader, node.id, supports_node)
            lines[node.id] = item
            nodes.append(node)
            for link, link_node in supports:
                link_lines[link.key] = link_node
                links.append(link)
    for link in links:
        if link.parent not in lines:
            raise reader.fail(
                link_lines[link.key],
                f"{link.child} supports {bounded(link.parent)}, which is not in the file",
            )
    if node_lines is not None:
        node_lines.update((node_id, item.start_mark.line + 1) for node_id, item in lines.items())
    try:
        return Plan.build(name, description, nodes, links)
    except CycleError as error:
        first = error.cycle[0], error.cycle[1 % len(error.cycle)]
        raise reader.fail(link_lines.get(first), str(error)) from None
    except PlanError as error:
        # Direction or duplicate-link errors: point at the offending link when we can tell which.
        # Match the whole "child -> parent:" prefix: "a -> b" is also inside "a -> b-c: ...".
        where = next(
            (n for key, n in link_lines.items() if str(error).startswith(f"{key[0]} -> {key[1]}:")),
            None,
        )
        message = str(error)
        if where is None and error.node in lines:
            # A formula, condition or measure naming what it may not: that node's field.
            item = lines[error.node]
            where = next((value for key, value in item.value if key.value == error.field), item)
            kind = next(node.kind for node in nodes if node.id == error.node)
            message = f"{kind} {error.node}: {message}"
        if where is None:
            where = top.get("plan")
        raise reader.fail(where, message) from None


def _node(reader: _Reader, item: yaml.Node, kind: Kind) -> tuple[Node, yaml.Node | None]:
    """The node of a section item, and its (unread) supports list."""
    fields = reader.mapping(item, f"{kind.article} {kind}", FIELDS[kind])
    if "id" not in fields:
        raise reader.fail(item, f"{kind.article} {kind} without 'id'")
    node_id = reader.ident(fields["id"], "id")
    try:
        check_id(node_id)
    except PlanError as error:
        raise reader.fail(fields["id"], str(error)) from None
    if "title" not in fields or reader.text(fields["title"], "title") is None:
        raise reader.fail(item, f"{kind} {node_id} has no 'title'")
    values: dict[str, Any] = {"title": reader.text(fields["title"], "title")}
    for spec in SPECS[kind]:
        if spec.name in fields:
            values[spec.name] = _field_value(reader, spec, fields[spec.name])
    try:
        node = Node(id=node_id, kind=kind, **values)
    except PlanError as error:
        # Point at the field the error is about.
        raise reader.fail(
            fields.get(error.field or "", item), f"{kind} {node_id}: {error}"
        ) from None
    return node, fields.get("supports")


def _field_value(reader: _Reader, spec: FieldSpec, node: yaml.Node) -> Any:
    """A field's value as written, before ``Node`` checks it."""
    if spec.type is FieldType.HISTORY:
        return _history(reader, node)
    if spec.type.is_number:
        return reader.number(node, spec.name)
    if spec.type is FieldType.DATE:
        return reader.day(node, spec.name)
    return reader.text(node, spec.name)


def _history(reader: _Reader, node: yaml.Node | None) -> tuple[CheckIn, ...]:
    if node is None or reader.value_is_null(node):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise reader.fail(node, "history must be a list of {at: DATE, value: NUMBER}")
    checkins: dict[date, CheckIn] = {}
    for entry in node.value:
        fields = reader.mapping(entry, "a check-in", ("at", "value"))
        if "at" not in fields or "value" not in fields:
            raise reader.fail(entry, "a check-in needs both 'at' (a date) and 'value' (a number)")
        at = reader.day(fields["at"], "at")
        value = reader.number(fields["value"], "value")
        if at is None or value is None:
            missing = fields["at"] if at is None else fields["value"]
            raise reader.fail(missing, "a check-in needs both 'at' (a date) and 'value' (a number)")
        if at in checkins:
            raise reader.fail(entry, f"two check-ins on {at.isoformat()}")
        try:
            checkins[at] = CheckIn(at, value)
        except PlanError as error:  # e.g. a value of .nan
            raise reader.fail(fields["value"], str(error)) from None
    return tuple(checkins.values())


def _supports(reader: _Reader, child: str, node: yaml.Node | None) -> list[tuple[Link, yaml.Node]]:
    if node is None or reader.value_is_null(node):
        return []
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    links: list[tuple[Link, yaml.Node]] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, yaml.MappingNode):
            fields = reader.mapping(item, "a supports entry", LINK_FIELDS)
            if "id" not in fields:
                raise reader.fail(item, "a supports entry needs an 'id'")
            parent = reader.ident(fields["id"], "id")
            numbers = {
                name: reader.number(fields.get(name), name)
                for name in ("effect", "confidence", "actual")
            }
        elif isinstance(item, yaml.ScalarNode):
            parent, numbers = reader.ident(item, "supports"), {}
        else:
            raise reader.fail(item, "supports must list ids or {id, effect, confidence} mappings")
        if parent in seen:
            raise reader.fail(item, f"{child} lists {bounded(parent)} twice in supports")
        seen.add(parent)
        try:
            links.append((Link(child, parent, **numbers), item))
        except PlanError as error:
            raise reader.fail(item, str(error)) from None
    return links


# -- writing --------------------------------------------------------------------------------------

# Plain (unquoted) scalars: a safe first character (a sign only before a digit: -20%), no
# control characters, and none of the sequences that end a plain scalar in block context.
_PLAIN = re.compile(
    r"(?:[A-Za-z0-9(\u00c0-\U0010ffff]|[-+][0-9.])[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*"
)
_RESOLVER = yaml.resolver.Resolver()
# Characters YAML reads as line breaks (NEL, LS, PS) or does not accept in a file at all, and
# the bidirectional overrides and isolates (which reorder what a terminal or a review shows): they
# are written as \u escapes inside double quotes, never raw (JSON already escapes \x00-\x1f).
_ESCAPE = re.compile(
    "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff]"
)


def _quoted(text: str) -> str:
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        # YAML 1.1 floats need a dot in the mantissa: 1e-05 would read back as text.
        if "e" in text and "." not in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if (
        _PLAIN.fullmatch(text)
        and not _ESCAPE.search(text)
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
    ):
        return text
    return _quoted(text)


def _block(text: str, indent: str) -> str:
    """Multi-line text as a literal block when that reads back exactly, else a quoted scalar."""
    lines = text.split("\n")
    body = lines[:-1] if text.endswith("\n") else lines
    safe = (
        any(body)  # only empty lines would read back as ""
        and not body[0].startswith((" ", "\t"))
        and not text.endswith("\n\n")
        and all(
            line == line.rstrip() and not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line)
            for line in body
        )
        and "\t" not in text
        and not _ESCAPE.search(text)
    )
    if not safe:
        return _scalar(text)
    chomp = "" if text.endswith("\n") else "-"
    inner = "\n".join(f"{indent}  {line}" if line else "" for line in body)
    return f"|{chomp}\n{inner}"


def _text_field(name: str, value: str, indent: str) -> str:
    rendered = _block(value, indent) if "\n" in value else _scalar(value)
    return f"{indent}{name}: {rendered}"


def write_plan(plan: Plan) -> str:
    """The plan as plan-file YAML: sections in kind order, nodes in plan order."""
    out = [f"format: {FORMAT_VERSION}", f"plan: {_scalar(plan.name)}"]
    if plan.description is not None:
        out.append(_text_field("description", plan.description, ""))
    nodes_by_kind: dict[Kind, list[Node]] = {kind: [] for kind in Kind}
    for node in plan.nodes():
        nodes_by_kind[node.kind].append(node)
    for kind, nodes in nodes_by_kind.items():
        if not nodes:
            continue
        out.append("")
        out.append(f"{kind.section}:")
        for node in nodes:
            out.extend(_node_lines(plan, node))
    return "\n".join(out) + "\n"


def _node_lines(plan: Plan, node: Node) -> list[str]:
    lines = [f"  - id: {node.id}", f"    title: {_scalar(node.title)}"]
    for spec in SPECS[node.kind]:
        value = getattr(node, spec.name)
        if value is None or value == ():
            continue
        if spec.type is FieldType.HISTORY:
            lines.append("    history:")
            lines.extend(
                f"      - {{at: {c.at.isoformat()}, value: {_scalar(c.value)}}}" for c in value
            )
        elif spec.type.is_text:
            lines.append(_text_field(spec.name, str(value), "    "))
        else:
            lines.append(f"    {spec.name}: {_scalar(value)}")
    parents = plan.parents(node.id)
    if parents and not any(_link_numbers(link) for link in parents):
        lines.append(f"    supports: [{', '.join(link.parent for link in parents)}]")
    elif parents:
        lines.append("    supports:")
        for link in parents:
            numbers = _link_numbers(link)
            if not numbers:
                lines.append(f"      - {link.parent}")
                continue
            parts = [f"id: {link.parent}"]
            parts.extend(f"{name}: {_scalar(value)}" for name, value in numbers.items())
            lines.append(f"      - {{{', '.join(parts)}}}")
    return lines


def _link_numbers(link: Link) -> dict[str, Any]:
    """A link's numbers that are set, in plan-file order."""
    numbers = {"effect": link.effect, "confidence": link.confidence, "actual": link.actual}
    return {name: value for name, value in numbers.items() if value is not None}


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in the plan-file shape (for JSON export)."""
    data: dict[str, Any] = {"format": FORMAT_VERSION, "plan": plan.name}
    if plan.description is not None:
        data["description"] = plan.description
    for kind in Kind:
        nodes = plan.nodes(kind)
        if not nodes:
            continue
        items = []
        for node in nodes:
            item = node.to_data()
            del item["kind"]
            supports = []
            for link in plan.parents(node.id):
                numbers = _link_numbers(link)
                supports.append({"id": link.parent, **numbers} if numbers else link.parent)
            if supports:
                item["supports"] = supports
            items.append(item)
        data[kind.section] = items
    return data
