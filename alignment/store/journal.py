"""Changes to and from JSON, for the journal."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from alignment.core.changes import (
    AddNode,
    Batch,
    Change,
    EditPlan,
    LinkNodes,
    RecordCheckIn,
    RemoveNode,
    UnlinkNodes,
    UpdateNode,
)
from alignment.core.model import Link, Node

__all__ = ["change_from_json", "change_to_json"]


def _link_data(link: Link) -> dict[str, Any]:
    return {
        "child": link.child,
        "parent": link.parent,
        "effect": link.effect,
        "confidence": link.confidence,
        "rank": link.rank,
        "actual": link.actual,
    }


# Version of the payload shape. 0.1.0 wrote none (read as 1); node data of any version reads
# back through ``Node.from_data``, which takes fields added since as absent.
JOURNAL_VERSION = 2


def change_to_json(change: Change) -> str:
    data = _change_data(change)
    data["v"] = JOURNAL_VERSION
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _change_data(change: Change) -> dict[str, Any]:
    data: dict[str, Any]
    match change:
        case AddNode() | RemoveNode():
            data = {
                "type": "add" if isinstance(change, AddNode) else "remove",
                "node": change.node.to_data(),
                "links": [_link_data(link) for link in change.links],
                "position": change.position,
            }
        case UpdateNode(before, after):
            data = {"type": "update", "before": before.to_data(), "after": after.to_data()}
        case RecordCheckIn(node, at, value, previous, was_current):
            data = {
                "type": "checkin",
                "node": node,
                "at": at.isoformat(),
                "value": value,
                "previous": previous,
                "was_current": was_current,
            }
        case LinkNodes(link) | UnlinkNodes(link):
            kind = "link" if isinstance(change, LinkNodes) else "unlink"
            data = {"type": kind, "link": _link_data(link)}
        case EditPlan(before, after):
            data = {"type": "plan", "before": list(before), "after": list(after)}
        case Batch(changes, label):
            data = {"type": "batch", "label": label, "changes": [_change_data(c) for c in changes]}
        case _:
            raise TypeError(f"not a change: {change!r}")
    return data


class NewerJournalEntry(ValueError):
    """A journal entry written by a newer version of alignment: it cannot be undone here."""


def change_from_json(text: str) -> Change:
    data = json.loads(text)
    if data.get("v", 1) > JOURNAL_VERSION:
        raise NewerJournalEntry(
            f"this change was recorded by a newer alignment (journal v{data['v']}); "
            "upgrade alignment to undo it"
        )
    return _change_from_data(data)


def _change_from_data(data: dict[str, Any]) -> Change:
    match data["type"]:
        case "add" | "remove":
            cls = AddNode if data["type"] == "add" else RemoveNode
            links = tuple(Link(**link) for link in data["links"])
            return cls(Node.from_data(data["node"]), links, data["position"])
        case "update":
            return UpdateNode(Node.from_data(data["before"]), Node.from_data(data["after"]))
        case "checkin":
            return RecordCheckIn(
                data["node"],
                date.fromisoformat(data["at"]),
                data["value"],
                data["previous"],
                data["was_current"],
            )
        case "link":
            return LinkNodes(Link(**data["link"]))
        case "unlink":
            return UnlinkNodes(Link(**data["link"]))
        case "plan":
            return EditPlan(tuple(data["before"]), tuple(data["after"]))
        case "batch":
            return Batch(tuple(_change_from_data(c) for c in data["changes"]), data["label"])
    raise ValueError(f"unknown change type {data['type']!r}")
