from __future__ import annotations


def find_targets(blocks, year):
    return []
