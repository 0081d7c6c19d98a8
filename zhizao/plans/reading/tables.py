"""Task tables flattened to text: 序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限 rows.

Copied from Word or a web page, a table arrives as rows whose cells are split by tabs, `|` or runs of two or
more spaces, or as one cell per line (the header cells on lines of their own, then each row starting with
its bare 序号). Rows of either kind become one `Block` with its `cells`; `parts` keeps each cell as a block
of its own so targets can be read cell by cell.
"""

from __future__ import annotations

import re

from zhizao.plans.reading.structure import TABLE_HEADER, Block, Node, match_heading, walk

_HEADER_CELL = re.compile(
    r"^(?:序号|编号|(?:重点|主要|工作|具体)?(?:任务|工作|事项|措施|内容)(?:名称|内容|事项)?|"
    r"(?:牵头|责任|配合|协办|协助|参与)(?:单位|部门)|完成(?:时限|时间)|时间节点|时限(?:要求)?|备注|分管(?:市|区|县)?领导)$"
)
DEADLINE_HEADER = re.compile(r"时限|时间|节点")
TIME_CELL = re.compile(r"(?:19|20)\d{2}年|\d{1,2}月|年底|年内|全年|季度|长期|持续|上半年|下半年")
_NUMBER_CELL = re.compile(r"^\d{1,3}$")


def cell_parts(block: Block) -> list[Block]:
    """Each non-empty cell of a row as a block of its own, at its place in the text."""
    if block.parts is not None:
        return [Block(p.text, p.start, in_table=True) for p in block.parts]
    parts: list[Block] = []
    at = 0
    for cell in block.cells or []:
        if not cell:
            continue
        found = block.text.find(cell, at)
        if found < 0:
            continue
        parts.append(Block(cell, block.start + found, in_table=True))
        at = found + len(cell)
    return parts


def _header_run(blocks: list[Block], i: int) -> int:
    """How many lines from i are header cells of a table written one cell per line (0 when none)."""
    n = 0
    while i + n < len(blocks) and _HEADER_CELL.match(blocks[i + n].text):
        n += 1
    names = " ".join(b.text for b in blocks[i : i + n])
    return n if n >= 3 and TABLE_HEADER.search(names) else 0


def _joined(lines: list[Block]) -> Block:
    cells = [b.text for b in lines]
    return Block("\t".join(cells), lines[0].start, cells, parts=list(lines))


def join_cell_lines(blocks: list[Block]) -> list[Block]:
    """A table written one cell per line, joined back into rows: the header, then each row from a line
    holding its bare 序号 up to the next number (at most as many cells as the header); a heading line
    between rows (一、工业经济运行) is a group row and stays a line of its own."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        width = _header_run(blocks, i)
        if not width:
            out.append(blocks[i])
            i += 1
            continue
        out.append(_joined(blocks[i : i + width]))
        i += width
        expected = 1
        while i < len(blocks):
            line = blocks[i]
            if match_heading(line.text) and not _NUMBER_CELL.match(line.text):
                out.append(line)
                i += 1
                continue
            if not _NUMBER_CELL.match(line.text) or int(line.text) < expected:
                break
            row = [line]
            i += 1
            while i < len(blocks) and len(row) < width:
                nxt = blocks[i].text
                if _NUMBER_CELL.match(nxt) and int(nxt) == int(line.text) + 1:
                    break
                if match_heading(nxt) and len(nxt) <= 30 and not _NUMBER_CELL.match(nxt):
                    break
                row.append(blocks[i])
                i += 1
            out.append(_joined(row))
            expected = int(line.text) + 1
    return out


def rows_of(root: Node) -> dict[int, Block]:
    """Every table row in the tree, by where it starts."""
    nodes = [root, *(node for node, _ in walk(root))]
    return {b.start: b for node in nodes for b in node.body if b.cells is not None}


def read_cell_by_cell(body: list[Block], root: Node) -> list[Block]:
    """The body with each table row replaced by its cells, so a goal in a task cell is read on its own
    (not run together with the 序号 before it or the units and deadline after it)."""
    rows = rows_of(root)
    out: list[Block] = []
    for block in body:
        row = rows.get(block.start)
        out.extend(cell_parts(row) if row is not None else [block])
    return out


def aligned(cells: list[str], header: list[str]) -> list[str]:
    """A row's cells under the header; a row short of cells (empty cells lost in copying) keeps its first
    cells in place and its last cell under the last column when that cell names a time."""
    if len(cells) >= len(header):
        return cells
    missing = len(header) - len(cells)
    if len(cells) >= 2 and DEADLINE_HEADER.search(header[-1]) and TIME_CELL.search(cells[-1]):
        return [*cells[:-1], *([""] * missing), cells[-1]]
    return cells + [""] * missing
