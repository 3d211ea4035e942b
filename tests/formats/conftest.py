"""Plans for the export tests: the two sample plans, a small plan built in Python, a plan whose
every piece of user text is hostile, and a plan large enough to split the map per goal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from alignment.core.model import CheckIn, Direction, Kind, Link, Node, Status
from alignment.core.plan import Plan
from alignment.formats.plan_file import read_plan_file

REPO = Path(__file__).resolve().parents[2]
SAMPLE_NAMES = ("unit-economics", "streaming-subscriptions")
AS_OF = date(2026, 11, 23)  # the date every golden file is exported "as of"

# Every character that means something in Markdown, GFM tables, HTML, Mermaid or DOT, plus
# emoji, CJK and right-to-left scripts. Each is a node title in ``hostile_plan``.
HOSTILE_TITLES = [
    "Pipe | in | the | middle |",
    "*stars* and _underscores_ and **bold** __too__",
    "# Not a heading #",
    "[link](https://evil.example) and ![image](x.png) [^1]",
    "(parens) \"double\" 'single' \\ back\\slash\\",
    "`code` and ``` fence ~~~",
    "<script>alert(1)</script> <b>bold</b> <!-- comment --> <br/>",
    "{braces} ; semicolons; %% comment %%{init: {'theme':'dark'}}%%",
    "arrow --> n1 --- n2 ==> n3 -.-> n4 --x n5",
    "end",
    "Emoji 🚀🎯 and a family 👩‍👩‍👧 ✅",
    "中文标题：提高转化率（第一季度）",
    "עברית: הגדלת שיעור ההמרה",
    "العربية: زيادة معدل التحويل",
    "style:x#35;classDef y fill:#f00;",
    "&amp; &lt;b&gt; &#35; entities & a lone ampersand",
    "$x$ and $$y = 2$$ math",
    "~~strike~~ and ~tilde~",
    "1. looks like a list",
    "- dash start",
    "> quote start",
    "#quot; a Mermaid entity #lt;b#gt;",
    "trailing backslash \\",
    "|",
    "graph",
]


def sample_plan(name: str) -> Plan:
    return read_plan_file(REPO / "sample_plans" / f"{name}.yaml")


def demo_plan() -> Plan:
    """A small plan with each kind, a KPI tree, a shared node and each finding."""
    nodes = [
        Node(id="grow", kind=Kind.GOAL, title="Grow revenue", owner="Exec", description="By FY27."),
        Node(id="keep", kind=Kind.GOAL, title="Keep customers"),
        Node(id="cac", kind=Kind.STRATEGY, title="Reduce CAC by 20%", owner="Marketing"),
        Node(id="ltv", kind=Kind.STRATEGY, title="Increase LTV by 20%", owner="Product"),
        Node(
            id="bounce",
            kind=Kind.INDICATOR,
            title="Bounce rate",
            owner="Marketing",
            unit="%",
            direction=Direction.DOWN,
            baseline=52,
            target=40,
            current=49,
            due=date(2026, 6, 30),
            history=(CheckIn(date(2026, 1, 5), 52), CheckIn(date(2026, 2, 2), 49)),
        ),
        Node(
            id="sessions",
            kind=Kind.INDICATOR,
            title="Sessions per week",
            owner="Product + Marketing",
        ),
        Node(
            id="followers",
            kind=Kind.INDICATOR,
            title="Followers",
            direction=Direction.UP,
            target=100,
        ),
        Node(
            id="speed", kind=Kind.INITIATIVE, title="Faster pages", status=Status.ACTIVE, effort=3
        ),
        Node(
            id="emails", kind=Kind.INITIATIVE, title="Win-back emails", owner="Marketing", effort=2
        ),
        Node(
            id="tool", kind=Kind.INITIATIVE, title="Analytics tool", status=Status.PLANNED, effort=4
        ),
        Node(id="memes", kind=Kind.INITIATIVE, title="Daily memes", status=Status.ACTIVE, effort=1),
        Node(
            id="rewrite", kind=Kind.INITIATIVE, title="Rewrite the front end", status=Status.PLANNED
        ),
        Node(
            id="old", kind=Kind.INITIATIVE, title="Old orphan, done", status=Status.DONE, effort=5
        ),
        Node(id="bot", kind=Kind.INITIATIVE, title="Chatbot", status=Status.DROPPED, effort=8),
    ]
    links = [
        Link("cac", "grow"),
        Link("ltv", "grow"),
        Link("ltv", "keep"),
        Link("bounce", "cac"),
        Link("sessions", "ltv"),
        Link("sessions", "bounce"),
        Link("speed", "bounce", effect=-6, confidence=0.6),
        Link("emails", "sessions", effect=0.3),
        Link("tool", "cac"),
        Link("tool", "ltv"),
        Link("memes", "followers"),
        Link("bot", "bounce"),
    ]
    return Plan.build("Demo plan", "Line one.\n\nLine two.", nodes, links)


def hostile_plan() -> Plan:
    """Every kind of node titled with hostile text, hostile owners, units and descriptions."""
    nodes: list[Node] = []
    links: list[Link] = []
    goal = Node(
        id="g0",
        kind=Kind.GOAL,
        title=HOSTILE_TITLES[0],
        owner="Exec | <i>Board</i>",
        description="# heading?\n---\n<div>html</div>\n    indented code\n1. list\n=====",
    )
    nodes.append(goal)
    kinds = [Kind.STRATEGY, Kind.INDICATOR, Kind.INITIATIVE]
    parents = {Kind.STRATEGY: "g0"}
    for index, title in enumerate(HOSTILE_TITLES[1:], start=1):
        kind = kinds[index % 3]
        node_id = f"n{index}x"
        fields: dict = {"owner": f"Team *{index}* + <u>Other</u> | x" if index % 4 else None}
        if kind is Kind.INDICATOR:
            fields.update(unit="%|<b>`", direction=Direction.UP, baseline=1, target=2, current=1.5)
            fields["history"] = (CheckIn(date(2026, 1, 1), 1), CheckIn(date(2026, 2, 1), 1.5))
        elif kind is Kind.INITIATIVE:
            fields.update(status=Status.ACTIVE, effort=index)
        nodes.append(Node(id=node_id, kind=kind, title=title, **fields))
        parent = parents.get(kind)
        if parent is not None and index % 5:  # every fifth node is left unaligned
            effect = -1.5 if kind is Kind.INITIATIVE else None
            links.append(Link(node_id, parent, effect=effect, confidence=0.5 if effect else None))
        if kind is Kind.STRATEGY:
            parents[Kind.INDICATOR] = node_id
        elif kind is Kind.INDICATOR:
            parents[Kind.INITIATIVE] = node_id
    return Plan.build('Plan "name" | <b>with</b> # *hostile* [text]', "<p>hi</p>", nodes, links)


def large_plan(goals: int = 3, per_goal: int = 40) -> Plan:
    """More than 60 nodes: goals with strategies, indicators and initiatives, one shared
    strategy, an unmeasured initiative and a few unaligned nodes."""
    nodes: list[Node] = []
    links: list[Link] = []
    for g in range(goals):
        nodes.append(Node(id=f"goal-{g}", kind=Kind.GOAL, title=f"Goal {g}"))
        nodes.append(Node(id=f"strat-{g}", kind=Kind.STRATEGY, title=f"Strategy {g}"))
        links.append(Link(f"strat-{g}", f"goal-{g}"))
        for i in range(per_goal // 4):
            ind = f"ind-{g}-{i}"
            nodes.append(
                Node(
                    id=ind,
                    kind=Kind.INDICATOR,
                    title=f"Indicator {g}.{i}",
                    direction="up",
                    target=1,
                )
            )
            links.append(Link(ind, f"strat-{g}"))
            for j in range(3):
                work = f"work-{g}-{i}-{j}"
                nodes.append(
                    Node(id=work, kind=Kind.INITIATIVE, title=f"Work {g}.{i}.{j}", effort=1)
                )
                links.append(Link(work, ind))
    nodes.append(Node(id="both", kind=Kind.STRATEGY, title="Serves two goals"))
    links += [Link("both", f"goal-{g}") for g in range(min(goals, 2))]
    nodes.append(Node(id="unmeasured", kind=Kind.INITIATIVE, title="Straight to a strategy"))
    links.append(Link("unmeasured", "both"))
    nodes.append(
        Node(id="vanity", kind=Kind.INDICATOR, title="Vanity metric", direction="up", target=9)
    )
    nodes.append(Node(id="memes", kind=Kind.INITIATIVE, title="Moves only the vanity metric"))
    links += [Link("memes", "vanity"), Link("work-0-0-0", "vanity")]
    nodes.append(Node(id="lonely", kind=Kind.INITIATIVE, title="Supports nothing"))
    return Plan.build("Large plan", None, nodes, links)


@pytest.fixture(params=SAMPLE_NAMES)
def sample(request: pytest.FixtureRequest) -> tuple[str, Plan]:
    return request.param, sample_plan(request.param)


@pytest.fixture(scope="session")
def plans() -> SimpleNamespace:
    """The builders above (test modules cannot import conftest under importlib mode)."""
    return SimpleNamespace(
        demo=demo_plan,
        hostile=hostile_plan,
        large=large_plan,
        sample=sample_plan,
        hostile_titles=list(HOSTILE_TITLES),
        sample_names=SAMPLE_NAMES,
        as_of=AS_OF,
        repo=REPO,
    )


def build_named(name: str) -> Plan:
    """A plan by the name its golden files use."""
    builders = {"demo": demo_plan, "hostile": hostile_plan, "large": large_plan}
    return builders[name]() if name in builders else sample_plan(name)


@pytest.fixture(scope="session")
def named_plan() -> Callable[[str], Plan]:
    return build_named


# -- reading the Markdown back the way a viewer does (CommonMark + GFM tables) -------------------

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _plain(inline: Token) -> str:
    """What a reader sees of an inline token: its text, code spans without the backticks."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def headings(text: str, level: int) -> list[str]:
    tokens = _MD.parse(text)
    return [
        _plain(tokens[i + 1])
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == f"h{level}"
    ]


def tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of plain-text cells, the header row first."""
    result: list[list[list[str]]] = []
    row: list[str] = []
    for i, token in enumerate(tokens := _MD.parse(text)):
        if token.type == "table_open":
            result.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(_plain(tokens[i + 1]))
        elif token.type == "tr_close":
            result[-1].append(row)
    return result


def section(text: str, title: str) -> str:
    """The Markdown of one ``## title`` section (up to the next level-2 heading)."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


@pytest.fixture
def md() -> SimpleNamespace:
    return SimpleNamespace(
        parse=_MD.parse,
        render=_MD.render,
        headings=headings,
        tables=tables,
        section=section,
        plain=_plain,
    )
