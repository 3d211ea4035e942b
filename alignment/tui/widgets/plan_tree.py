"""PlanTree: the alignment map as a lazy tree (children are added when a branch expands).

Goals sit at the top; under each node, what supports it, the North Star first. Links count
as they mean: a formula indicator shows its inputs under it (each led by "ƒ", kept at any
width) and a strategy the indicator it measures itself by (noted "measure"), listed or not. Indicators carry their
role as a word ("★ north star", "leading", ...). A node with several parents appears under
each (marked shared). Whatever reaches no goal is gathered under a final "Unaligned" branch.
Each tree node's ``data`` is the plan node id (None for the Unaligned branch).
Edits are applied incrementally: only the branches that show a touched node are rebuilt.
"""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from alignment.core.analysis import Alignment, EffectiveLinks, effective_links
from alignment.core.changes import (
    AddNode,
    Batch,
    Change,
    LinkNodes,
    RecordCheckIn,
    RemoveNode,
    UnlinkNodes,
    UpdateNode,
)
from alignment.core.expressions import parse_expression, references
from alignment.core.model import Kind, Node, PlanError, Role, Status
from alignment.core.plan import Plan
from alignment.formats.escape import printable
from alignment.tui.widgets.badges import FORMULA_MARK, MEASURE_MARK, ROLE_BADGES, role_badge
from alignment.tui.widgets.charts import KIND_ICONS
from alignment.tui.widgets.text import plain_text

__all__ = ["PlanTree", "touched_ids"]

UNALIGNED_LABEL = "⚠ Unaligned"
MIN_TITLE = 22  # cells of icon and title kept before notes (shared, status) are cut


@lru_cache(maxsize=4096)
def formula_inputs(formula: str | None) -> frozenset[str]:
    """The ids a formula reads (none when it is unset or does not parse)."""
    if not formula:
        return frozenset()
    try:
        return frozenset(references(parse_expression(formula)))
    except PlanError:
        return frozenset()


def _implied_ends(node: Node) -> set[str]:
    """The nodes ``node``'s formula or measure links to it (their rows may change with it)."""
    ends = set(formula_inputs(node.formula))
    if node.measure:
        ends.add(node.measure)
    return ends


def touched_ids(change: Change, links: EffectiveLinks | None = None) -> set[str]:
    """Ids whose own row or list of supporters may look different after ``change``.

    With ``links``, a node whose role changed touches its parents too (the North Star moves
    to the top of their supporters)."""
    match change:
        case AddNode(node, listed, _) | RemoveNode(node, listed, _):
            return {node.id, *(end for link in listed for end in link.key), *_implied_ends(node)}
        case UpdateNode(before, after):
            ids = {after.id, *_implied_ends(before), *_implied_ends(after)}
            if links is not None and before.role != after.role and after.id in links.succ:
                ids.update(links.parents(after.id))
            return ids
        case RecordCheckIn():
            return {change.node}
        case LinkNodes(link) | UnlinkNodes(link):
            return set(link.key)
        case Batch(changes, _):
            return set().union(*(touched_ids(c, links) for c in changes))
    return set()


FORMULA_LEAD = "ƒ "  # leads the row of a formula input (a mark the width never cuts)


def _lead(label: Text) -> int:
    """Cells before the kind icon: the formula-input mark, if any."""
    return len(FORMULA_LEAD) if label.plain.startswith(FORMULA_LEAD) else 0


def link_mark(parent: Node, child_id: str) -> str:
    """How ``child_id`` supports ``parent`` when the parent's own fields say so: an input of
    its formula, or the indicator it measures itself by; "" for a plain listed link."""
    if parent.kind is Kind.INDICATOR and child_id in formula_inputs(parent.formula):
        return FORMULA_MARK
    if parent.kind is Kind.STRATEGY and parent.measure == child_id:
        return MEASURE_MARK
    return ""


class PlanTree(Tree[str | None]):
    COMPONENT_CLASSES = {
        "plan-tree--goal",
        "plan-tree--strategy",
        "plan-tree--indicator",
        "plan-tree--initiative",
        "plan-tree--note",
        "plan-tree--dropped",
        "plan-tree--warning",
        "plan-tree--north-star",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("plan", None, id=id)
        self.show_root = False
        self.guide_depth = 3
        self.plan: Plan | None = None
        self.alignment: Alignment | None = None
        self.links: EffectiveLinks | None = None
        self._unaligned_tops: list[str] = []
        self._branch: TreeNode[str | None] | None = None
        self._loaded: set[int] = set()

    def on_click(self, event: events.Click) -> None:
        """One click puts the cursor on a node (its details show) and leaves it as it is;
        the arrow before it, a double click, enter or space open and close it."""
        meta = event.style.meta
        if "line" in meta and not meta.get("toggle", False) and event.chain < 2:
            event.prevent_default()  # Tree's own click would also expand or collapse it
            self.cursor_line = meta["line"]

    # -- building ------------------------------------------------------------------------------

    def show_plan(self, plan: Plan, alignment: Alignment) -> None:
        """Rebuild from scratch: top goals (expanded one level) and the Unaligned branch;
        then more levels open, breadth first, while they fit the pane (a small plan shows
        whole, a big one stays folded and fast)."""
        self.plan, self.alignment = plan, alignment
        self.links = alignment.links or effective_links(plan)
        self.clear()
        self._loaded = {self.root.id}
        for goal in self._top_goals():
            self._add(self.root, goal).expand()
            self._load(self.root.children[-1])
        self._unaligned_tops = self._compute_unaligned_tops()
        self._branch = self.root.add(self._branch_label(), None, allow_expand=True)
        if self._unaligned_tops and len(self._unaligned_tops) <= 50:
            self._branch.expand()
            self._load(self._branch)
        self._open_while_it_fits(self.size.height or self.app.size.height - 4)
        if self.root.children:
            self.cursor_line = 0

    def _open_while_it_fits(self, rows: int) -> None:
        assert self.links is not None
        level = [child for top in self.root.children for child in top.children]
        shown = len(self.root.children) + len(level)
        links = self.links
        while level:
            deeper: list[TreeNode[str | None]] = []
            for tree_node in level:
                if tree_node.data is None or not tree_node.allow_expand:
                    continue
                shown += len(links.children(tree_node.data))
                if shown > rows:
                    return
                self._load(tree_node)
                tree_node.expand()
                deeper.extend(tree_node.children)
            level = deeper

    def _top_goals(self) -> list[str]:
        assert self.plan is not None
        return [n.id for n in self.plan.nodes(Kind.GOAL) if self.plan.is_top(n.id)]

    def _compute_unaligned_tops(self) -> list[str]:
        assert self.plan is not None and self.alignment is not None and self.links is not None
        aligned, links = self.alignment.aligned, self.links
        return [n.id for n in self.plan.nodes() if n.id not in aligned and not links.parents(n.id)]

    def _branch_label(self) -> Text:
        return Text(f"{UNALIGNED_LABEL} ({len(self._unaligned_tops)})")

    def _supporters(self, node_id: str) -> list[str]:
        """What supports ``node_id``, listed or implied: the North Star first, then by kind
        (strategies, indicators, initiatives), then in plan order."""
        assert self.plan is not None and self.links is not None
        plan = self.plan
        ids = dict.fromkeys(self.links.children(node_id))

        def order(i: str) -> tuple[bool, int, float]:
            node = plan.node(i)
            return (node.role != Role.NORTH_STAR, node.kind.rank, plan.position(i))

        return sorted(ids, key=order)

    def _expands(self, node_id: str) -> bool:
        assert self.links is not None
        return bool(self.links.children(node_id))

    def _add(self, parent: TreeNode[str | None], node_id: str) -> TreeNode[str | None]:
        label = self._label(node_id, parent.data)
        return parent.add(label, node_id, allow_expand=self._expands(node_id))

    def _label(self, node_id: str, parent_id: str | None = None) -> Text:
        """Plain text; render_label adds the styles (so a theme switch restyles it).

        An input of ``parent_id``'s formula is led by "ƒ "; notes after the title: "measure"
        when it is the indicator the parent strategy measures itself by, its role, an
        initiative's status, shared."""
        assert self.plan is not None and self.links is not None
        plan = self.plan
        node = plan.node(node_id)
        notes: list[str] = []
        lead = ""
        if parent_id is not None and parent_id in plan:
            mark = link_mark(plan.node(parent_id), node_id)
            if mark == FORMULA_MARK:
                lead = FORMULA_LEAD
            elif mark:
                notes.append(mark)
        if node.kind is Kind.INDICATOR and node.role:
            notes.append(role_badge(node))
        if node.kind is Kind.INITIATIVE and node.status is not Status.CANDIDATE:
            notes.append(str(node.status))
        if len(self.links.parents(node_id)) > 1:
            notes.append("⇄ shared")
        text = plain_text(f"{lead}{KIND_ICONS[node.kind]} {node.title}")
        if notes:
            text.append("  " + " · ".join(notes))
        return text

    def _load(self, tree_node: TreeNode[str | None]) -> None:
        """Add the children of ``tree_node`` unless they are there already."""
        if tree_node.id in self._loaded:
            return
        self._loaded.add(tree_node.id)
        node_id = tree_node.data
        ids = self._supporters(node_id) if node_id is not None else self._unaligned_tops
        for child_id in ids:
            self._add(tree_node, child_id)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str | None]) -> None:
        self._load(event.node)

    # -- rendering ----------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        try:
            return self.get_component_rich_style(name, partial=True)
        except KeyError:  # styles are not applied yet (first layout)
            return Style()

    def render_label(self, node: TreeNode[str | None], base_style: Style, style: Style) -> Text:
        label, title_end = self._fitted(node)
        node_id = node.data
        if node_id is None:
            label.stylize(self._style("plan-tree--warning"))
        elif self.plan is not None and node_id in self.plan:
            plan_node = self.plan.node(node_id)
            kind_style = self._style(f"plan-tree--{plan_node.kind}")
            lead = _lead(label)
            if lead:
                label.stylize(self._style("plan-tree--note"), 0, lead)
            # The icon and its space: one span in any renderer.
            label.stylize(kind_style, lead, lead + 2)
            if plan_node.status is Status.DROPPED:
                label.stylize(self._style("plan-tree--dropped"), lead + 2, title_end)
            label.stylize(self._style("plan-tree--note"), title_end)
            if plan_node.role == Role.NORTH_STAR:
                badge = ROLE_BADGES[Role.NORTH_STAR]
                start = label.plain.find(badge, title_end)
                if start >= 0:
                    label.stylize(self._style("plan-tree--north-star"), start, start + len(badge))
            if node.parent is self._branch:
                label.stylize(self._style("plan-tree--warning"))
        label.stylize(style)
        if node._allow_expand:
            prefix = (self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE, base_style)
        else:
            prefix = ("  ", base_style)
        return Text.assemble(prefix, label)

    def get_label_width(self, node: TreeNode[str | None]) -> int:
        # Tree measures every line after each change to size its horizontal scroll. A label
        # is fitted to the room its line leaves (_fitted), so no line is wider than the pane:
        # there is nothing to scroll to, and thousands of open lines need no measuring.
        return 0

    def _room(self, node: TreeNode[str | None]) -> int:
        """Cells left for ``node``'s label after its guides and its expand icon."""
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        return self.scrollable_content_region.width - depth * self.guide_depth - 2

    def _fitted(self, node: TreeNode[str | None]) -> tuple[Text, int]:
        """The label cut to the width left after the guides, and where its title ends.

        The title is shortened first, so the notes (shared, the status) stay in view.
        """
        label = node._label.copy()
        title_end = len(label)
        if node.data is not None and self.plan is not None and node.data in self.plan:
            title = printable(self.plan.node(node.data).title)
            title_end = _lead(label) + 2 + len(title)
        room = self._room(node)
        if room <= 0 or label.cell_len <= room:
            return label, title_end
        notes = label[title_end:]
        keep = room - notes.cell_len
        if keep < min(title_end, MIN_TITLE):  # the title matters more than the notes
            label.truncate(room, overflow="ellipsis")
            return label, min(title_end, len(label))
        head = label[:title_end]
        head.truncate(keep, overflow="ellipsis")
        return Text.assemble(head, notes), len(head)

    # -- incremental updates -------------------------------------------------------------------

    def apply_change(self, plan: Plan, alignment: Alignment, change: Change) -> None:
        self.plan, self.alignment = plan, alignment
        self.links = alignment.links or effective_links(plan)
        touched = touched_ids(change, self.links)
        for tree_node in list(self._tree_nodes.values()):
            node_id = tree_node.data
            if node_id is None or node_id not in touched or tree_node.id not in self._tree_nodes:
                continue
            if node_id not in plan:
                tree_node.remove()
                continue
            parent = tree_node.parent
            tree_node.set_label(self._label(node_id, None if parent is None else parent.data))
            tree_node.allow_expand = self._expands(node_id)
            if tree_node.id in self._loaded:
                self._sync_children(tree_node, self._supporters(node_id))
        self._sync_children(self.root, [*self._top_goals()], keep_last=True)
        tops = self._compute_unaligned_tops()
        if tops != self._unaligned_tops:
            self._unaligned_tops = tops
            assert self._branch is not None
            self._branch.set_label(self._branch_label())
            if self._branch.id in self._loaded:
                self._sync_children(self._branch, tops)

    def _sync_children(
        self, tree_node: TreeNode[str | None], ids: list[str], keep_last: bool = False
    ) -> None:
        """Make ``tree_node``'s children show ``ids`` in order, keeping what already matches."""
        children = list(tree_node.children)
        fixed = children[-1:] if keep_last else []
        current = children[:-1] if keep_last else children
        if [c.data for c in current] == ids:
            return
        existing = {c.data: c for c in current}
        if [c.data for c in current if c.data in ids] != [i for i in ids if i in existing]:
            existing = {}  # the order changed (a new North Star leads): lay them out again
        for old in current:
            if old.data not in existing or old.data not in ids:
                old.remove()
        anchor = fixed[0] if fixed else None
        previous: TreeNode[str | None] | None = None
        for node_id in ids:
            child: TreeNode[str | None] | None = existing.get(node_id)
            if child is None:
                label = self._label(node_id, tree_node.data)
                expands = self._expands(node_id)
                if previous is not None:
                    child = tree_node.add(label, node_id, after=previous, allow_expand=expands)
                elif anchor is not None or tree_node.children:
                    first = tree_node.children[0] if tree_node.children else anchor
                    child = tree_node.add(label, node_id, before=first, allow_expand=expands)
                else:
                    child = self._add(tree_node, node_id)
            previous = child
        self._invalidate()

    # -- finding a node -------------------------------------------------------------------------

    def path_to(self, node_id: str) -> list[str]:
        """Ids from a top of the tree down to ``node_id`` (aligned nodes via aligned parents)."""
        assert self.links is not None and self.alignment is not None
        aligned = self.alignment.aligned
        path = [node_id]
        current = node_id
        while True:
            parents = self.links.parents(current)
            if current in aligned:
                parents = [p for p in parents if p in aligned]
            if not parents or parents[0] in path:  # a top (or a loop the reader let through)
                return list(reversed(path))
            current = parents[0]
            path.append(current)

    def reveal(self, node_id: str) -> TreeNode[str | None] | None:
        """Expand the branches down to ``node_id`` and move the cursor there."""
        if self.plan is None or node_id not in self.plan:
            return None
        path = self.path_to(node_id)
        assert self.alignment is not None
        holder = self.root if path[0] in self.alignment.aligned else self._branch
        assert holder is not None
        target: TreeNode[str | None] | None = None
        for step in path:
            self._load(holder)
            holder.expand()
            target = next((c for c in holder.children if c.data == step), None)
            if target is None:
                return None
            holder = target
        if target is not None:
            self.move_to(target)
        return target

    def cursor_shows(self, node_id: str) -> bool:
        """Is the cursor on a live row of ``node_id`` (not on a row an edit removed)?"""
        cursor = self.cursor_node
        return cursor is not None and cursor.data == node_id and cursor.id in self._tree_nodes

    def move_to(self, tree_node: TreeNode[str | None]) -> None:
        """Move the cursor to ``tree_node`` now (lines are rebuilt first, so its line is known)."""
        self._tree_lines  # noqa: B018 - builds the lines, which sets each node's line number
        self.move_cursor(tree_node)
        self.call_after_refresh(self.scroll_to_node, tree_node, animate=False)
