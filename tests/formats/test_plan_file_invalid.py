"""Every invalid plan file of PLAN_FORMAT.md is refused whole: FILE:LINE: reason, exit 2, nothing written.

Each case is the smallest file showing one problem; ``line`` is where an editor should jump.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli import main
from alignment.formats.plan_file import PlanFileError, parse_plan, read_plan_file
from alignment.store import Store

G = "plan: P\ngoals:\n  - id: g\n    title: G\n"  # lines 1-4: a plan with one goal

# "Billion laughs": 9 levels of 9 aliases each; constructed, or shown in a message, it is 9**9
# strings (gigabytes). It must be refused at its first alias, having built nothing.
ALIAS_BOMB = (
    "plan: P\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
    + "goals: *a9\n"
)

# (case id, file text, line of the problem, what the reason must say)
INVALID = [
    # -- not YAML, or YAML that is not a mapping at the top; unknown top-level section
    ("not-yaml-unclosed-flow", "plan: P\ngoals: [g\nstrategies: []\n", 3, "not valid YAML"),
    ("not-yaml-bad-indent", "plan: P\n  nested: oops: here\n", 2, "not valid YAML"),
    ("not-yaml-tab-indent", "plan: P\ngoals:\n\t- id: g\n", 3, "not valid YAML"),
    ("top-is-a-list", "- plan: P\n- goals: []\n", 1, "must be a YAML mapping"),
    ("top-is-text", "just some words\n", 1, "must be a YAML mapping"),
    ("unknown-section", "plan: P\nepics:\n  - id: e\n", 2, "unknown field 'epics'"),
    # -- missing plan; a node without id or title; an id that breaks the pattern; a duplicate id
    ("missing-plan", "goals:\n  - id: g\n    title: G\n", 1, "missing 'plan'"),
    ("empty-plan-name", "plan: ''\n", 1, "plan name must not be empty"),
    ("null-plan-name", "plan:\ngoals: []\n", 1, "plan name must be text"),
    ("node-without-id", "plan: P\ngoals:\n  - title: G\n", 3, "without 'id'"),
    ("node-without-title", "plan: P\ngoals:\n  - id: g\n", 3, "no 'title'"),
    ("node-with-empty-title", "plan: P\ngoals:\n  - id: g\n    title: ''\n", 4, "title must not be empty"),
    ("node-with-null-title", "plan: P\ngoals:\n  - id: g\n    title:\n", 3, "no 'title'"),
    ("id-upper-case", "plan: P\ngoals:\n  - id: Grow\n    title: G\n", 3, "id 'Grow' must be lower-case"),
    ("id-underscore", "plan: P\ngoals:\n  - id: grow_fast\n    title: G\n", 3, "must be lower-case letters, digits and dashes"),
    ("id-leading-dash", "plan: P\ngoals:\n  - id: -grow\n    title: G\n", 3, "must be lower-case letters"),
    ("id-with-space", "plan: P\ngoals:\n  - id: grow fast\n    title: G\n", 3, "must be lower-case letters"),
    ("id-too-long", "plan: P\ngoals:\n  - id: " + "a" * 65 + "\n    title: G\n", 3, "longer than 64 characters"),
    ("duplicate-id-same-kind", G + "  - id: g\n    title: Again\n", 5, "duplicate id 'g' (first used on line 3)"),
    ("duplicate-id-supporting-itself", G + "strategies:\n  - id: g\n    title: S\n    supports: [g]\n", 6, "duplicate id 'g' (first used on line 3)"),
    ("duplicate-id-across-kinds", G + "initiatives:\n  - id: g\n    title: I\n", 6, "duplicate id 'g' (first used on line 3)"),
    # -- supports naming an id not in the file; a link downward; a link to itself; a cycle
    ("supports-unknown-id", G + "strategies:\n  - id: s\n    title: S\n    supports: [g, nope]\n", 8, "s supports 'nope', which is not in the file"),
    ("link-downward-goal-to-strategy", G + "    supports: [s]\nstrategies:\n  - id: s\n    title: S\n", 5, "a goal cannot support a strategy"),
    ("link-downward-indicator-to-initiative", G + "indicators:\n  - id: k\n    title: K\n    supports: [i]\ninitiatives:\n  - id: i\n    title: I\n", 8, "an indicator cannot support an initiative"),
    ("link-downward-beside-a-longer-id", G + "strategies:\n  - id: s\n    title: S\n    supports:\n      - g\n      - g-i\ninitiatives:\n  - id: g-i\n    title: I\n", 10, "s -> g-i: a strategy cannot support an initiative"),
    ("link-to-itself", G + "    supports: [g]\n", 5, "g cannot support itself"),
    ("link-to-itself-mapping", G + "    supports:\n      - {id: g, effect: 1}\n", 6, "g cannot support itself"),
    ("cycle-of-two", "plan: P\ngoals:\n  - id: a\n    title: A\n    supports: [b]\n  - id: b\n    title: B\n    supports: [a]\n", 5, "cycle: a -> b -> a"),
    ("cycle-of-three", "plan: P\nindicators:\n  - id: a\n    title: A\n    supports: [b]\n  - id: b\n    title: B\n    supports: [c]\n  - id: c\n    title: C\n    supports: [a]\n", 5, "cycle: a -> b -> c -> a"),
    ("same-link-twice", G + "initiatives:\n  - id: i\n    title: I\n    supports: [g, g]\n", 8, "i lists 'g' twice in supports"),
    # -- direction; target without direction; numbers; confidence; effort; status; dates; check-ins
    ("direction-sideways", "plan: P\nindicators:\n  - id: k\n    title: K\n    direction: sideways\n", 5, "direction must be up or down, not 'sideways'"),
    ("direction-upper-case", "plan: P\nindicators:\n  - id: k\n    title: K\n    direction: UP\n", 5, "direction must be up or down"),
    ("target-without-direction", "plan: P\nindicators:\n  - id: k\n    title: K\n    baseline: 1\n    target: 3\n", 6, "a target needs a direction"),
    ("baseline-not-a-number", "plan: P\nindicators:\n  - id: k\n    title: K\n    baseline: lots\n", 5, "baseline must be a number, not 'lots'"),
    ("target-quoted-number", "plan: P\nindicators:\n  - id: k\n    title: K\n    direction: up\n    target: '40'\n", 6, "target must be a number"),
    ("current-boolean", "plan: P\nindicators:\n  - id: k\n    title: K\n    current: true\n", 5, "current must be a number, not 'true'"),
    ("current-yaml11-boolean", "plan: P\nindicators:\n  - id: k\n    title: K\n    current: yes\n", 5, "current must be a number, not 'yes'"),
    ("baseline-nan", "plan: P\nindicators:\n  - id: k\n    title: K\n    baseline: .nan\n", 5, "baseline must be a finite number"),
    ("baseline-infinite", "plan: P\nindicators:\n  - id: k\n    title: K\n    baseline: .inf\n", 5, "baseline must be a finite number"),
    ("effort-not-a-number", "plan: P\ninitiatives:\n  - id: i\n    title: I\n    effort: big\n", 5, "effort must be a number"),
    ("effect-not-a-number", G + "initiatives:\n  - id: i\n    title: I\n    supports:\n      - {id: g, effect: big}\n", 9, "effect must be a number, not 'big'"),
    ("effect-boolean", G + "initiatives:\n  - id: i\n    title: I\n    supports:\n      - {id: g, effect: false}\n", 9, "effect must be a number"),
    ("confidence-above-one", G + "initiatives:\n  - id: i\n    title: I\n    supports:\n      - {id: g, confidence: 1.5}\n", 9, "confidence must be between 0 and 1, not 1.5"),
    ("confidence-below-zero", G + "initiatives:\n  - id: i\n    title: I\n    supports:\n      - {id: g, confidence: -0.1}\n", 9, "confidence must be between 0 and 1"),
    ("confidence-not-a-number", G + "initiatives:\n  - id: i\n    title: I\n    supports:\n      - {id: g, confidence: high}\n", 9, "confidence must be a number"),
    ("effort-zero", "plan: P\ninitiatives:\n  - id: i\n    title: I\n    effort: 0\n", 5, "effort must be greater than 0, not 0"),
    ("effort-negative", "plan: P\ninitiatives:\n  - id: i\n    title: I\n    effort: -2.5\n", 5, "effort must be greater than 0, not -2.5"),
    ("unknown-status", "plan: P\ninitiatives:\n  - id: i\n    title: I\n    status: maybe\n", 5, "status must be candidate, planned, active, done or dropped, not 'maybe'"),
    ("due-not-a-date", "plan: P\nindicators:\n  - id: k\n    title: K\n    due: next week\n", 5, "due must be an ISO date"),
    ("due-no-such-day", "plan: P\nindicators:\n  - id: k\n    title: K\n    due: 2027-02-31\n", 5, "due must be an ISO date"),
    ("due-day-first", "plan: P\nindicators:\n  - id: k\n    title: K\n    due: 30/06/2027\n", 5, "due must be an ISO date"),
    ("due-number", "plan: P\nindicators:\n  - id: k\n    title: K\n    due: 2027\n", 5, "due must be an ISO date"),
    ("checkin-date-not-a-date", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - {at: yesterday, value: 1}\n", 6, "at must be an ISO date"),
    ("checkin-value-not-a-number", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - {at: 2026-01-05, value: many}\n", 6, "value must be a number, not 'many'"),
    ("checkin-without-value", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - {at: 2026-01-05}\n", 6, "needs both 'at'"),
    ("checkin-null-value", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - at: 2026-01-05\n        value:\n", 7, "needs both 'at'"),
    ("checkin-null-date", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - {at: null, value: 1}\n", 6, "needs both 'at'"),
    ("checkin-value-nan", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - at: 2026-01-05\n        value: .nan\n", 7, "check-in value must be a finite number"),
    ("two-checkins-on-one-date", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - {at: 2026-01-05, value: 1}\n      - {at: 2026-01-12, value: 2}\n      - {at: 2026-01-05, value: 3}\n", 8, "two check-ins on 2026-01-05"),
    # -- a title with control characters (ANSI escapes included) or a line break
    ("title-ansi-escape", 'plan: P\ngoals:\n  - id: g\n    title: "Grow \\e[31mnow"\n', 4, "control characters"),
    ("title-bell", 'plan: P\ngoals:\n  - id: g\n    title: "Grow\\a"\n', 4, "control characters"),
    ("title-line-break-escaped", 'plan: P\ngoals:\n  - id: g\n    title: "Grow\\nnow"\n', 4, "title must be one line"),
    ("title-block-scalar", "plan: P\ngoals:\n  - id: g\n    title: |\n      Grow\n      now\n", 4, "title must be one line"),
    ("title-too-long", "plan: P\ngoals:\n  - id: g\n    title: " + "x" * 201 + "\n", 4, "longer than 200 characters"),
    ("plan-name-ansi-escape", 'plan: "P\\e[0m"\n', 1, "plan name must not contain control characters"),
    # -- beyond the list: duplicate keys, unknown fields, fields of another kind, format 2
    ("duplicate-top-level-key", "plan: P\nplan: Q\n", 2, "duplicate field 'plan'"),
    ("duplicate-node-field", G + "    title: Again\n", 5, "duplicate field 'title' in a goal"),
    ("duplicate-checkin-field", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - {at: 2026-01-05, at: 2026-01-06, value: 1}\n", 6, "duplicate field 'at'"),
    ("unknown-node-field", G + "    colour: red\n", 5, "unknown field 'colour' in a goal"),
    ("unknown-supports-field", G + "initiatives:\n  - id: i\n    title: I\n    supports:\n      - {id: g, weight: 2}\n", 9, "unknown field 'weight'"),
    ("target-on-a-goal", G + "    target: 3\n", 5, "unknown field 'target' in a goal"),
    ("status-on-an-indicator", "plan: P\nindicators:\n  - id: k\n    title: K\n    status: active\n", 5, "unknown field 'status' in an indicator"),
    ("history-on-an-initiative", "plan: P\ninitiatives:\n  - id: i\n    title: I\n    history: []\n", 5, "unknown field 'history' in an initiative"),
    ("format-2", "format: 2\nplan: P\n", 1, "unsupported format"),
    ("format-text", "format: one\nplan: P\n", 1, "unsupported format"),
    ("format-boolean", "format: true\nplan: P\n", 1, "unsupported format"),
    ("section-not-a-list", "plan: P\ngoals:\n  id: g\n", 3, "goals must be a list"),
    ("node-not-a-mapping", "plan: P\ngoals:\n  - g\n", 3, "a goal must be a mapping"),
    ("title-a-list", "plan: P\ngoals:\n  - id: g\n    title: [a, b]\n", 4, "title must be text"),
    # -- hostile input (issue 8): bounded work, one line, the line named
    ("alias-bomb", ALIAS_BOMB, 3, "YAML aliases ('*a0') are not allowed"),
    ("alias-to-a-title", "plan: P\ngoals:\n  - id: g\n    title: &t Grow\n  - id: h\n    title: *t\n", 6, "YAML aliases ('*t')"),
    ("alias-recursive", "plan: P\ngoals: &l [*l]\n", 2, "YAML aliases ('*l')"),
    ("merge-key", "plan: P\ngoals:\n  - &g {id: g, title: G}\n  - <<: *g\n    id: h\n", 4, "YAML aliases ('*g')"),
    ("nested-deep-flow", "plan: P\nformat: " + "[" * 500 + "]" * 500 + "\n", 2, "nested deeper than 32 levels"),
    ("nested-deep-block", "plan: P\ngoals:\n" + "".join("  " * (i + 1) + "- \n" for i in range(200)), 34, "nested deeper than 32 levels"),
    ("nested-deep-description", G + "    description: " + "{a: " * 100 + "b" + "}" * 100 + "\n", 5, "nested deeper than 32 levels"),
    ("format-a-mapping", "format: {a: 1}\nplan: P\n", 1, "format must be the number 1, not a mapping"),
    ("number-hex-3600-digits", "plan: P\nindicators:\n  - id: k\n    title: K\n    baseline: 0x" + "f" * 3600 + "\n", 5, "baseline must be a number, not '0xfff"),
    ("number-5000-digits", "plan: P\nindicators:\n  - id: k\n    title: K\n    target: " + "9" * 5000 + "\n", 5, "target must be a number"),
    ("number-octal-long", "plan: P\nindicators:\n  - id: k\n    title: K\n    current: 0o" + "7" * 70 + "\n", 5, "current must be a number"),
    ("number-too-large-exactly", "plan: P\nindicators:\n  - id: k\n    title: K\n    current: 0x" + "f" * 40 + "\n", 5, "too large to keep exactly"),
    ("checkin-timestamp", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - {at: 2026-10-05 10:00:00, value: 1}\n", 6, "at must be a date (YYYY-MM-DD), not a timestamp"),
    ("checkin-timestamps-one-day", "plan: P\nindicators:\n  - id: k\n    title: K\n    history:\n      - {at: 2026-10-05, value: 1}\n      - {at: 2026-10-06T09:00:00Z, value: 2}\n", 7, "not a timestamp"),
    ("due-timestamp", "plan: P\nindicators:\n  - id: k\n    title: K\n    due: 2027-06-30t23:59:59.5+02:00\n", 5, "due must be a date (YYYY-MM-DD), not a timestamp"),
    ("due-compact-date-quoted", "plan: P\nindicators:\n  - id: k\n    title: K\n    due: '20270630'\n", 5, "due must be an ISO date"),
    ("due-a-list", "plan: P\nindicators:\n  - id: k\n    title: K\n    due: [2027, 6, 30]\n", 5, "due must be an ISO date (YYYY-MM-DD), not a list"),
    ("description-nul", G + '    description: "before\\0after"\n', 5, "description must not contain control characters (found '\\x00')"),
    ("description-escape", G + '    description: "\\e]8;;http://x\\e\\\\link"\n', 5, "must not contain control characters"),
    ("description-block-bell", G + "    description: |\n      fine\n      ring\a\n", 7, "not valid YAML: control characters are not allowed"),
    ("plan-description-osc-title", 'plan: P\ndescription: "\\e]0;pwned\\a"\n', 2, "description must not contain control characters"),
    ("unit-bell", 'plan: P\nindicators:\n  - id: k\n    title: K\n    unit: "%\\a"\n', 5, "unit must not contain control characters"),
    ("owner-c1-csi", G + '    owner: "Ops\\x9b31m"\n', 5, "owner must not contain control characters"),
    ("owner-line-separator", G + '    owner: "Ops\\L"\n', 5, "owner must not contain control characters"),
    ("raw-escape-byte", G + "    owner: Ops\x1b[31m\n", 5, "not valid YAML: control characters are not allowed (found '\\x1b')"),
    ("long-unknown-field", G + "    " + "k" * 500 + ": 1\n", 5, "unknown field 'kkkk"),
    ("long-unknown-parent", G + "    supports: [" + "x" * 5000 + "]\n", 5, "… (5000 chars), which is not in the file"),
    # Additions to format 1: field-level refusals (metric roles, formulas, aims, time).
    ("unknown-role", "plan: P\nindicators:\n  - id: k\n    title: K\n    role: hero\n", 5, "role must be north-star, lagging, leading or guardrail, not 'hero'"),
    ("formula-does-not-parse", "plan: P\nindicators:\n  - id: k\n    title: K\n    formula: ${a} +\n", 5, "formula '${a} +': "),
    ("formula-calls-a-function", "plan: P\nindicators:\n  - id: k\n    title: K\n    formula: abs(${a})\n", 5, "formula 'abs(${a})': "),
    ("formula-with-current", "plan: P\nindicators:\n  - id: k\n    title: K\n    formula: ${a} / 2\n    current: 3\n", 6, "current is computed from the formula"),
    ("formula-with-history", "plan: P\nindicators:\n  - id: k\n    title: K\n    formula: ${a} / 2\n    history:\n      - {at: 2026-01-05, value: 1}\n", 7, "history is computed from the formula"),
    ("condition-without-comparison", "plan: P\ngoals:\n  - id: g\n    title: G\n    condition: ${ltv}\n", 5, "condition '${ltv}': "),
    ("cadence-unknown", "plan: P\nindicators:\n  - id: k\n    title: K\n    cadence: daily\n", 5, "cadence must be weekly, monthly, quarterly or Nd"),
    ("cadence-zero-days", "plan: P\nindicators:\n  - id: k\n    title: K\n    cadence: 0d\n", 5, "cadence must be weekly, monthly, quarterly or Nd"),
    ("since-not-a-date", "plan: P\nindicators:\n  - id: k\n    title: K\n    since: last spring\n", 5, "since must be an ISO date"),
    ("change-without-measure", "plan: P\nstrategies:\n  - id: s\n    title: S\n    change: -20%\n", 5, "change needs a measure"),
    ("aim-without-measure", "plan: P\nstrategies:\n  - id: s\n    title: S\n    aim: 33\n", 5, "aim needs a measure"),
    ("change-and-aim", "plan: P\nindicators:\n  - id: cac\n    title: CAC\nstrategies:\n  - id: s\n    title: S\n    measure: cac\n    change: -20%\n    aim: 33\n", 10, "either change (relative) or aim (absolute), not both"),
    ("change-not-a-percentage", "plan: P\nindicators:\n  - id: cac\n    title: CAC\nstrategies:\n  - id: s\n    title: S\n    measure: cac\n    change: -20\n", 9, "change must be a percentage"),
    ("measure-not-an-id", "plan: P\nindicators:\n  - id: cac\n    title: CAC\nstrategies:\n  - id: s\n    title: S\n    measure: Customer Acquisition Cost\n", 8, "measure 'Customer Acquisition Cost' must be lower-case"),
    ("role-on-a-goal", "plan: P\ngoals:\n  - id: g\n    title: G\n    role: leading\n", 5, "unknown field 'role' in a goal"),
    ("mandatory-on-an-indicator", "plan: P\nindicators:\n  - id: k\n    title: K\n    mandatory: SOC 2\n", 5, "unknown field 'mandatory' in an indicator"),
    ("actual-on-an-indicator-link", "plan: P\ngoals:\n  - id: g\n    title: G\nindicators:\n  - id: k\n    title: K\n    supports:\n      - {id: g, actual: 2}\n", 9, "actual (the observed effect) is only for links from an initiative to an indicator"),
    # Plan-level refusals of names: the line of the field that names them.
    ("measure-not-an-indicator", "plan: P\ngoals:\n  - id: g\n    title: G\nstrategies:\n  - id: s\n    title: S\n    measure: g\n    supports: [g]\n", 8, "strategy s: measure: g is a goal, not an indicator"),
    ("formula-unknown-id", "plan: P\nindicators:\n  - id: k\n    title: K\n    formula: ${nope} + 1\n", 5, "indicator k: formula: nope is not in the plan"),
    ("condition-names-a-strategy", "plan: P\ngoals:\n  - id: g\n    title: G\n    condition: ${k} > ${s}\nstrategies:\n  - id: s\n    title: S\nindicators:\n  - id: k\n    title: K\n", 5, "goal g: condition: s is a strategy, not an indicator"),
    ("formula-cycle", "plan: P\nindicators:\n  - id: a\n    title: A\n    formula: ${b} * 2\n  - id: b\n    title: B\n    formula: ${a} / 2\n", 5, "indicator a: formula: the formulas make a cycle: a -> b -> a"),
    ("timestamp-as-due", "plan: P\nindicators:\n  - id: k\n    title: K\n    due: 2027-06-30 10:00:00\n", 5, "due must be a date"),
]  # fmt: skip

IDS = [case[0] for case in INVALID]


def write(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("case", "text", "line", "reason"), INVALID, ids=IDS)
def test_invalid_file_is_refused_naming_file_line_and_reason(case, text, line, reason):
    with pytest.raises(PlanFileError) as refused:
        parse_plan(text, "plans/p.yaml")
    message = str(refused.value)
    assert message.startswith(f"plans/p.yaml:{line}: "), message
    assert reason in message
    assert "\n" not in message, "one line per problem"
    assert (refused.value.filename, refused.value.line) == ("plans/p.yaml", line)


@pytest.fixture
def seeded_db(fresh_db: str, samples) -> str:
    """A database already holding the streaming sample."""
    Store.open(fresh_db).save_plan(read_plan_file(samples["streaming"]))
    return fresh_db


def stored(db: str) -> dict[str, str]:
    """Each stored plan's name and exported text: what a failed import must leave as it was."""
    from alignment.formats.plan_file import write_plan

    store = Store.open(db)
    return {name: write_plan(store.load(name)) for name in store.plan_names()}


@pytest.mark.parametrize(("case", "text", "line", "reason"), INVALID, ids=IDS)
def test_import_of_an_invalid_file_exits_2_and_writes_nothing(
    tmp_path, seeded_db, case, text, line, reason
):
    path = write(tmp_path, text)
    before = stored(seeded_db)
    result = CliRunner().invoke(main, ["import", str(path), "--db", seeded_db])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert re.fullmatch(
        rf"alignment: {re.escape(str(path))}:{line}: .*{re.escape(reason)}.*\n", result.stderr
    ), result.stderr
    assert "Traceback" not in result.output
    assert stored(seeded_db) == before


def test_one_invalid_file_among_several_imports_none(tmp_path, seeded_db, samples):
    bad = write(tmp_path, G + "    supports: [g]\n", "bad.yaml")
    before = stored(seeded_db)
    result = CliRunner().invoke(
        main, ["import", str(samples["unit-economics"]), str(bad), "--db", seeded_db]
    )
    assert result.exit_code == 2
    assert f"{bad}:5: " in result.stderr
    assert stored(seeded_db) == before


def test_invalid_file_creates_no_database(tmp_path, fresh_db):
    path = write(tmp_path, "plan: P\nepics: []\n")
    result = CliRunner().invoke(main, ["import", str(path), "--db", fresh_db])
    assert result.exit_code == 2
    assert not Path(fresh_db).exists()


# -- files that cannot be read at all ---------------------------------------------------------


def test_missing_file(tmp_path, fresh_db):
    path = tmp_path / "nope.yaml"
    with pytest.raises(PlanFileError, match=f"^{re.escape(str(path))}: no such file$"):
        read_plan_file(path)
    result = CliRunner().invoke(main, ["import", str(path), "--db", fresh_db])
    assert (result.exit_code, result.stderr) == (2, f"alignment: {path}: no such file\n")


def test_non_utf8_file(tmp_path, fresh_db):
    """The line of the first byte that is not UTF-8, counted from the bytes."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes("plan: P\ngoals:\n  - id: g\n    title: Café\n".encode("latin-1"))
    with pytest.raises(PlanFileError, match=f"^{re.escape(str(path))}:4: not UTF-8 text"):
        read_plan_file(path)
    result = CliRunner().invoke(main, ["import", str(path), "--db", fresh_db])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"alignment: {path}:4: not UTF-8 text")
    assert not Path(fresh_db).exists()


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(PlanFileError) as refused:
        read_plan_file(path)
    assert str(refused.value).startswith(f"{path}:")
    assert "must be a YAML mapping" in str(refused.value)


def test_a_directory_is_not_a_plan_file(tmp_path):
    with pytest.raises(PlanFileError, match="is a directory"):
        read_plan_file(tmp_path)
