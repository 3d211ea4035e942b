"""Walks over the plan's links that several analyses share."""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = ["post_order"]


def post_order(starts: Iterable[str], following: Callable[[str], Iterable[str]]) -> list[str]:
    """Every node reachable from ``starts``, each listed after all the nodes it leads to.

    An iterative depth-first search (a deep plan would overflow a recursive one); the links
    followed must not form a cycle, which the plan guarantees for listed and implied links.

    >>> post_order(["a"], {"a": ["b", "c"], "b": ["c"], "c": []}.__getitem__)
    ['c', 'b', 'a']
    """
    order: list[str] = []
    done: set[str] = set()
    for start in starts:
        if start in done:
            continue
        done.add(start)
        stack = [(start, iter(following(start)))]
        while stack:
            node_id, rest = stack[-1]
            nxt = next(rest, None)
            if nxt is None:
                stack.pop()
                order.append(node_id)
            elif nxt not in done:
                done.add(nxt)
                stack.append((nxt, iter(following(nxt))))
    return order
