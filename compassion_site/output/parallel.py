"""Work over many built files, shared among processes: the harden and verify passes read every page, and each edition has a search index to rewrite."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def by_shares(work: Callable[[list[T]], R], items: list[T], workers: int, *, minimum: int = 200) -> list[tuple[list[T], R]]:
    """Each of `workers` interleaved shares of `items`, with `work`'s result for it, computed in its
    own process; in this one when there is one worker or fewer than `minimum` items, where
    starting processes would cost more than it saves."""
    if workers <= 1 or len(items) < minimum:
        return [(items, work(items))]
    shares = [items[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        return list(zip(shares, pool.map(work, shares), strict=True))
