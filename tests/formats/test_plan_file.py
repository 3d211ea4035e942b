"""Reading valid plan files, and writing them back: deterministic and lossless."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from alignment.cli import main
from alignment.core.model import CheckIn, Direction, Kind, Link, Node, PlanError, Status
from alignment.core.plan import Plan
from alignment.formats.plan_file import parse_plan, plan_to_data, read_plan_file, write_plan
from alignment.store import Store


def roundtrip(plan: Plan) -> Plan:
    return parse_plan(write_plan(plan), "exported.yaml")


def same_plan(a: Plan, b: Plan) -> bool:
    """Equal as a user sees them: name, description, nodes in order, links in order."""
    return (
        (a.name, a.description) == (b.name, b.description)
        and a.nodes() == b.nodes()
        and [a.parents(n.id) for n in a.nodes()] == [b.parents(n.id) for n in b.nodes()]
    )


# -- reading valid files --------------------------------------------------------------------------


def test_the_format_example_reads_as_documented():
    text = """\
format: 1
plan: Break even on unit economics
description: CAC <= LTV by the end of FY27
goals:
  - id: break-even
    title: Break even on our unit economics (CAC <= LTV)
    owner: Exec
strategies:
  - id: reduce-cac
    title: Reduce CAC by 20%
    supports: [break-even]
indicators:
  - id: bounce-rate
    title: Bounce rate
    unit: "%"
    direction: down
    baseline: 52
    target: 40
    current: 49.5
    due: 2027-06-30
    history:
      - {at: 2026-11-02, value: 49.5}
      - {at: 2026-10-05, value: 51}
    supports: [reduce-cac]
  - id: registration-rate
    title: Registration rate
    supports: [reduce-cac]
initiatives:
  - id: page-speed
    title: Rework entry pages to a Page Speed score above 90
    status: planned
    owner: Engineering
    effort: 3
    supports:
      - bounce-rate
      - {id: registration-rate, effect: 2, confidence: 0.5}
"""
    plan = parse_plan(text, "example.yaml")
    assert plan.name == "Break even on unit economics"
    assert plan.description == "CAC <= LTV by the end of FY27"
    assert [(n.id, n.kind) for n in plan.nodes()] == [
        ("break-even", Kind.GOAL),
        ("reduce-cac", Kind.STRATEGY),
        ("bounce-rate", Kind.INDICATOR),
        ("registration-rate", Kind.INDICATOR),
        ("page-speed", Kind.INITIATIVE),
    ]
    assert plan.node("bounce-rate") == Node(
        id="bounce-rate", kind=Kind.INDICATOR, title="Bounce rate", unit="%", direction=Direction.DOWN,
        baseline=52, target=40, current=49.5, due=date(2027, 6, 30),
        history=(CheckIn(date(2026, 10, 5), 51), CheckIn(date(2026, 11, 2), 49.5)),
    )  # fmt: skip
    assert plan.node("page-speed").status is Status.PLANNED
    assert plan.node("page-speed").effort == 3
    assert plan.parents("page-speed") == [
        Link("page-speed", "bounce-rate"),
        Link("page-speed", "registration-rate", 2, 0.5),
    ]


def test_initiative_status_defaults_to_candidate():
    plan = parse_plan("plan: P\ninitiatives:\n  - id: i\n    title: I\n")
    assert plan.node("i").status is Status.CANDIDATE


def test_format_and_sections_are_optional():
    plan = parse_plan("plan: Nothing yet\n")
    assert (plan.name, plan.description, len(plan)) == ("Nothing yet", None, 0)


@pytest.mark.parametrize("empty", ["", " []", " null", " ~"])
def test_empty_sections(empty):
    text = f"plan: P\ngoals:{empty}\nstrategies:{empty}\nindicators:{empty}\ninitiatives:{empty}\n"
    plan = parse_plan(text)
    assert len(plan) == 0
    assert write_plan(plan) == "format: 1\nplan: P\n"


@pytest.mark.parametrize("supports", ["", " []", " null"])
def test_empty_supports(supports):
    plan = parse_plan(f"plan: P\ngoals:\n  - id: g\n    title: G\n    supports:{supports}\n")
    assert plan.parents("g") == []


def test_quoted_dates_are_dates():
    text = """\
plan: P
indicators:
  - id: k
    title: K
    due: "2027-06-30"
    history:
      - {at: '2026-10-05', value: 51}
"""
    node = parse_plan(text).node("k")
    assert node.due == date(2027, 6, 30)
    assert node.history == (CheckIn(date(2026, 10, 5), 51),)


@pytest.mark.parametrize(
    ("written", "value"),
    [("52", 52), ("52.0", 52), ("49.5", 49.5), ("-3", -3), ("0", 0), ("0.125", 0.125),
     ("1_000", 1000), ("1.5e+3", 1500), ("+7", 7)],
)  # fmt: skip
def test_numbers_as_ints_and_floats(written, value):
    text = f"plan: P\nindicators:\n  - id: k\n    title: K\n    baseline: {written}\n"
    baseline = parse_plan(text).node("k").baseline
    assert baseline == value
    assert type(baseline) is type(value)


def test_a_supports_list_may_be_a_single_id():
    plan = parse_plan("plan: P\ngoals:\n  - id: g\n    title: G\n  - id: h\n    title: H\n"
                      "    supports: g\n")  # fmt: skip
    assert [link.parent for link in plan.parents("h")] == ["g"]


def test_text_fields_are_text_as_written():
    """YAML would read these as booleans, numbers or dates; in a title they are words."""
    text = """\
plan: 2027
goals:
  - id: g
    title: yes
    owner: 1.10
    description: 0x10
"""
    node = parse_plan(text).node("g")
    assert parse_plan(text).name == "2027"
    assert (node.title, node.owner, node.description) == ("yes", "1.10", "0x10")


@pytest.mark.parametrize("node_id", ["yes", "no", "on", "off", "true", "null", "010", "0x1f",
                                     "12", "1e3", "2026-01-05", "1-0"])  # fmt: skip
def test_ids_that_look_like_other_yaml_values_stay_ids(node_id):
    plan = Plan("P")
    plan.add(Node(id=node_id, kind=Kind.GOAL, title="G"))
    plan.add(Node(id="s", kind=Kind.STRATEGY, title="S"), supports=[node_id])
    again = roundtrip(plan)
    assert [n.id for n in again.nodes()] == [node_id, "s"]
    assert [link.parent for link in again.parents("s")] == [node_id]


def test_the_plan_file_is_read_with_line_numbers_even_deep_inside(tmp_path):
    path = tmp_path / "p.yaml"
    lines = ["plan: P", "goals:"] + [f"  - id: g{i}\n    title: G{i}" for i in range(50)]
    path.write_text("\n".join(lines) + "\n    colour: red\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{path}:103: unknown field 'colour'"):
        read_plan_file(path)


# -- writing: round trips --------------------------------------------------------------------------

AWKWARD_TEXT = [
    "Reduce CAC: by 20%",
    "Ship it #now",
    "Ship it # now",
    "- leading dash",
    "-1",
    "yes",
    "No",
    "null",
    "~",
    "1.0",
    "1e3",
    "0x10",
    "2027-06-30",
    "'single quoted'",
    '"double quoted"',
    "it's",
    "trailing colon:",
    "? question",
    "[not a list]",
    "{not: a map}",
    "& anchor",
    "*alias",
    "!tag",
    "| pipe",
    "> folded",
    "% directive",
    "@at",
    "`backtick`",
    ",comma",
    " leading space",
    "trailing space ",
    "back\\slash",
    "Réduire le CAC de 20 % — 目标 🚀",
    "Ünïcödé only",
    "\u00a0non-breaking lead",
    "CAC <= LTV",
    "100%",
    "=",
    "---",
    "...",
    "a: b: c",
    "\ufeffbyte order mark",
    "non-character \ufffe",
]


@pytest.mark.parametrize("text", AWKWARD_TEXT)
def test_awkward_titles_and_text_round_trip(text):
    plan = Plan(text, description=text)
    plan.add(Node(id="g", kind=Kind.GOAL, title=text, description=text, owner=text))
    plan.add(Node(id="k", kind=Kind.INDICATOR, title=text, unit=text), supports=["g"])
    again = roundtrip(plan)
    assert again.name == text
    assert again.description == text
    assert (again.node("g").title, again.node("g").description, again.node("g").owner) == (
        text,
        text,
        text,
    )
    assert again.node("k").unit == text


@pytest.mark.parametrize(
    "description",
    [
        "first line\nsecond line",
        "ends with a newline\n",
        "paragraph one\n\nparagraph two\n",
        "  indented first line\nsecond",
        "trailing spaces  \nhere",
        "two trailing newlines\n\n",
        "\nstarts with a newline",
        "a: colon\n# not a comment\n- not a list",
        "tab\tinside\nand more",
        "unicode — 目标\n🚀",
        "\n",
        "\n\n\n",
        " \n",
        "",
    ],
)
def test_multi_line_descriptions_round_trip(description):
    plan = Plan("P", description=description)
    plan.add(Node(id="g", kind=Kind.GOAL, title="G", description=description))
    again = roundtrip(plan)
    assert again.description == description
    assert again.node("g").description == description


@pytest.mark.parametrize(
    "text", ["windows\r\nline end", "next line\x85character", "line\u2028separator", "delete\x7f",
             "bell\x07", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "nul\x00"],
)  # fmt: skip
def test_control_characters_in_free_text_are_refused(text):
    """Descriptions keep line breaks and tabs, nothing else that a terminal would obey."""
    with pytest.raises(PlanError, match="description must not contain control characters"):
        Node(id="g", kind=Kind.GOAL, title="G", description=text)
    with pytest.raises(PlanError, match="control characters|one line"):
        Node(id="k", kind=Kind.INDICATOR, title="K", unit=text)
    with pytest.raises(PlanError, match="description must not contain control characters"):
        Plan("P", description=text)


def test_numbers_keep_their_value_and_type():
    plan = Plan("P")
    plan.add(Node(id="k", kind=Kind.INDICATOR, title="K", direction="up", baseline=52, target=0.1 + 0.2,
                  current=-1e-7, history=(CheckIn(date(2026, 1, 5), 1e21),)))  # fmt: skip
    plan.add(
        Node(id="i", kind=Kind.INITIATIVE, title="I", effort=0.5), supports=[Link("i", "k", -3, 0)]
    )
    again = roundtrip(plan)
    assert again.node("k") == plan.node("k")
    assert type(again.node("k").baseline) is int
    assert again.link_between("i", "k") == Link("i", "k", -3, 0)
    assert again.node("i").effort == 0.5


def test_every_field_round_trips(samples):
    plan = read_plan_file(samples["unit-economics"])
    assert same_plan(roundtrip(plan), plan)


# -- determinism -------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", ["unit-economics", "streaming"])
def test_writing_twice_gives_the_same_bytes(samples, sample):
    assert write_plan(read_plan_file(samples[sample])) == write_plan(
        read_plan_file(samples[sample])
    )


@pytest.mark.parametrize("sample", ["unit-economics", "streaming"])
def test_export_import_export_is_a_fixed_point(samples, sample):
    first = write_plan(read_plan_file(samples[sample]))
    assert write_plan(parse_plan(first)) == first


@pytest.mark.parametrize("sample", ["unit-economics", "streaming"])
def test_import_export_import_export_through_the_store_gives_identical_bytes(
    tmp_path, samples, sample
):
    plan = read_plan_file(samples[sample])
    one = Store.open(tmp_path / "one.db")
    one.save_plan(plan)
    first = write_plan(one.load(plan.name))
    two = Store.open(tmp_path / "two.db")
    two.save_plan(parse_plan(first))
    assert write_plan(two.load(plan.name)) == first


@pytest.mark.parametrize("sample", ["unit-economics", "streaming"])
def test_import_export_import_export_through_the_cli_gives_identical_bytes(
    tmp_path, samples, sample
):
    runner = CliRunner()
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    assert runner.invoke(main, ["import", str(samples[sample]), "--db", one]).exit_code == 0
    assert runner.invoke(main, ["export", "--db", one, "-o", str(first)]).exit_code == 0
    assert runner.invoke(main, ["import", str(first), "--db", two]).exit_code == 0
    assert runner.invoke(main, ["export", "--db", two, "-o", str(second)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert same_plan(read_plan_file(first), read_plan_file(samples[sample]))


def test_the_written_file_layout():
    plan = Plan("Demo plan", description="Why we do this")
    plan.add(Node(id="grow", kind=Kind.GOAL, title="Grow: fast", owner="Exec"))
    plan.add(Node(id="k", kind=Kind.INDICATOR, title="K", unit="%", direction="down", baseline=5, target=2,
                  due=date(2027, 1, 31), history=(CheckIn(date(2026, 1, 5), 4.5),)),
             supports=["grow"])  # fmt: skip
    plan.add(Node(id="i", kind=Kind.INITIATIVE, title="I", status="active", effort=2),
             supports=[Link("i", "k", effect=-1, confidence=0.5), "grow"])  # fmt: skip
    assert write_plan(plan) == (
        "format: 1\n"
        "plan: Demo plan\n"
        "description: Why we do this\n"
        "\n"
        "goals:\n"
        "  - id: grow\n"
        '    title: "Grow: fast"\n'
        "    owner: Exec\n"
        "\n"
        "indicators:\n"
        "  - id: k\n"
        "    title: K\n"
        '    unit: "%"\n'
        "    direction: down\n"
        "    baseline: 5\n"
        "    target: 2\n"
        "    due: 2027-01-31\n"
        "    history:\n"
        "      - {at: 2026-01-05, value: 4.5}\n"
        "    supports: [grow]\n"
        "\n"
        "initiatives:\n"
        "  - id: i\n"
        "    title: I\n"
        "    status: active\n"
        "    effort: 2\n"
        "    supports:\n"
        "      - {id: k, effect: -1, confidence: 0.5}\n"
        "      - grow\n"
    )


def test_json_export_has_the_plan_file_shape(samples):
    data = plan_to_data(read_plan_file(samples["unit-economics"]))
    assert list(data) == ["format", "plan", "description", "goals", "strategies", "indicators",
                          "initiatives"]  # fmt: skip
    page_speed = next(i for i in data["initiatives"] if i["id"] == "page-speed")
    assert page_speed == {
        "id": "page-speed",
        "title": "Rework entry pages to a Page Speed score above 90",
        "owner": "Engineering",
        "status": "planned",
        "effort": 3,
        "supports": [{"id": "bounce-rate", "effect": -6, "confidence": 0.6}],
    }


METRIC_FIELDS_PLAN = """\
format: 1
plan: Unit economics

goals:
  - id: break-even
    title: Break even
    condition: "${ltv} >= ${cac}"
    due: 2027-06-30

strategies:
  - id: reduce-cac
    title: Reduce CAC by 20%
    measure: cac
    change: -20%
    supports: [break-even]
  - id: grow-ltv
    title: Grow LTV
    measure: ltv
    aim: 34.2
    supports: [break-even]

indicators:
  - id: ltv-to-cac
    title: LTV to CAC
    role: north-star
    formula: "${ltv} / ${cac}"
    direction: up
    target: 1.2
  - id: cac
    title: CAC
    role: lagging
    unit: USD
    direction: down
    baseline: 41.4
    cadence: monthly
    since: 2026-09-01
  - id: ltv
    title: LTV
    role: lagging
    unit: USD
    direction: up
    baseline: 28.5
    cadence: 30d

initiatives:
  - id: soc2
    title: Close the SOC 2 findings
    status: candidate
    mandatory: SOC 2 audit in March
  - id: page-speed
    title: Faster pages
    status: done
    supports:
      - {id: cac, effect: -2, confidence: 0.6, actual: -1.5}
"""


def test_every_metric_field_round_trips_byte_for_byte():
    """Roles, formulas, conditions, aims, cadences, mandatory work and actual effects are read,
    kept, and written back exactly as a person wrote them."""
    plan = parse_plan(METRIC_FIELDS_PLAN)
    assert plan.node("ltv-to-cac").formula == "${ltv} / ${cac}"
    assert plan.node("ltv-to-cac").role == "north-star"
    assert plan.node("break-even").condition == "${ltv} >= ${cac}"
    assert plan.node("break-even").due == date(2027, 6, 30)
    assert (plan.node("reduce-cac").measure, plan.node("reduce-cac").change) == ("cac", "-20%")
    assert plan.node("grow-ltv").aim == 34.2
    assert plan.node("cac").since == date(2026, 9, 1) and plan.node("ltv").cadence == "30d"
    assert plan.node("soc2").mandatory == "SOC 2 audit in March"
    assert plan.link_between("page-speed", "cac").actual == -1.5
    assert write_plan(plan) == METRIC_FIELDS_PLAN
    assert parse_plan(write_plan(plan)).nodes() == plan.nodes()
    data = plan_to_data(plan)
    assert data["indicators"][0]["formula"] == "${ltv} / ${cac}"
    assert data["initiatives"][1]["supports"] == [
        {"id": "cac", "effect": -2, "confidence": 0.6, "actual": -1.5}
    ]
