"""How much memory an in-process structure holds (the search cache, the matching index).

`deep_size` follows containers, instances' attributes and numpy arrays once each, so a shared
object (an embedder, a model) is counted where it is first met; pass it in `exclude` to leave it
out. An estimate from `sys.getsizeof`: it leaves out allocator overhead and the memory of C
extensions that do not report it, so read it as "at least".
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import numpy as np


def deep_size(obj, *, exclude: Iterable = ()) -> int:
    """Bytes held by `obj` and everything reachable from it (see the module docstring)."""
    seen = {id(x) for x in exclude}
    total = 0
    stack = [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            # a view holds no data of its own; its base is counted where it is met
            total += sys.getsizeof(item) + (item.nbytes if item.base is None else 0)
            if item.base is not None:
                stack.append(item.base)
            continue
        total += sys.getsizeof(item)
        if isinstance(item, str | bytes | bytearray | int | float | bool | type(None)):
            continue
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        else:
            if hasattr(item, "__dict__"):
                stack.append(vars(item))
            for slot in getattr(type(item), "__slots__", ()):
                if hasattr(item, slot):
                    stack.append(getattr(item, slot))
    return total
