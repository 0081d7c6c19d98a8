"""The heading hierarchy of a GB/T 9704 document: 一、 (一) 1. (1) ①, assigned by marker type, not depth.

第X章 > 第X节 > 第X条 (the articles of a 若干措施 or 办法, numbered as printed without 第/条) > (一) > 1. ...

Lines are split into blocks; web-page noise (site navigation, 登录, 上一篇/下一篇, share buttons) is dropped;
a line starting with a heading marker opens a node when its number continues the sequence (so look-alikes
such as 6.5%, (2022—2025年) or (此件公开发布) stay body text). A heading that shares its paragraph with
the body ends at the first 。. Tables flattened to rows (cells split by tabs or |) are kept as rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhizao.plans.reading.numbers import chinese_to_number

_CN = "一二三四五六七八九十百零〇"
_MARKERS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("chapter", 0, re.compile(rf"第([{_CN}\d]+)(?:章|部分)\s*")),
    ("section", 1, re.compile(rf"第([{_CN}\d]+)节\s*")),
    ("article", 2, re.compile(rf"第([{_CN}\d]+)条(?:\s+|(?=[\u4e00-\u9fff“]))")),
    ("A", 2, re.compile(rf"([{_CN}]+)\s*[、.]\s*")),
    ("B", 3, re.compile(rf"[(〔]([{_CN}]+)[)〕]\s*[、.]?\s*")),
    ("C", 4, re.compile(r"(\d{1,3})\s*(?:\.(?![\d%])|、)\s*")),
    # 11.121人才梯队项目: an item whose title starts with digits (taken only when it continues the sequence)
    ("C", 4, re.compile(r"(\d{1,3})\.(?=\d+[\u4e00-\u9fff“])")),
    ("D", 5, re.compile(r"[(〔](\d{1,3})[)〕]\s*[、.]?\s*")),
    ("E", 6, re.compile(r"([①-⑳])\s*")),
)
_NOISE = re.compile(
    r"^(?:登录|注册|登录\s*\|?\s*注册|首页.{0,40}|上一篇.*|下一篇.*|分享到.*|分享\s*[:]?.{0,20}|"
    r"相关(?:资讯|阅读|新闻|文章|链接|推荐).*|扫一扫.*|.*扫描到手机.*|打印(?:本页)?|关闭(?:窗口)?|"
    r"\[?(?:打印|关闭|收藏|纠错)\]?|【(?:打印|关闭|大|中|小|收藏)】.*|字号.{0,20}|责任编辑.*|编辑[:].{0,20}|"
    r"来源[:].{0,40}|作者[:].{0,40}|浏览(?:次数)?[:].*|阅读(?:次数)?[:].*|网站地图.*|版权所有.*|"
    r"Copyright.*|©.*|.*ICP备.*|微信|微博|QQ空间|返回顶部|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s.{0,40})?|"
    r"当前位置.*|您的位置.*|查看完整版本.*|页[:]\s*\[\d+\].*|时间[:]\s*\d{4}[-/.年].{0,60}|.{1,30}\s发表于\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.{0,12})$",
    re.IGNORECASE,
)
# a breadcrumb trail (首页 > 政务要闻 > 正文) or a row of site links (中国政府网 某省政府 某市政府)
_BREADCRUMB = re.compile(r"^[^。,;]{0,60}?(?:\s*[>›»]\s*[^>›»。,;]{1,12}){2,}$")
_SITE = r"[\u4e00-\u9fff]{2,8}(?:网|政府|首页|门户)"
_LINK_ROW = re.compile(rf"^{_SITE}(?:\s+{_SITE}){{2,}}$")
_DIGIT_TITLE = re.compile(r"\d{1,3}\.\d")
TABLE_HEADER = re.compile(r"牵头单位|责任单位|牵头部门|责任部门|配合单位|完成时限")


@dataclass
class Block:
    """A line of body text (or a table row) and where it starts in the normalised text."""

    text: str
    start: int
    cells: list[str] | None = None
    parts: list[Block] | None = None  # each cell as a block, for a row joined from one cell per line
    in_table: bool = False  # a table cell read on its own


@dataclass
class Node:
    """A heading and what it holds: its own body blocks and its child headings."""

    kind: str
    rank: int
    number: str
    value: int
    title: str | None
    inline: bool
    start: int
    heading_text: str = ""
    body: list[Block] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    table_header: list[str] | None = None

    @property
    def end(self) -> int:
        last = self.children[-1].end if self.children else self.start + len(self.heading_text)
        if self.body:
            tail = self.body[-1]
            last = max(last, tail.start + len(tail.text))
        return last


def split_lines(text: str) -> list[Block]:
    """Non-empty lines, stripped, with their start offsets."""
    blocks: list[Block] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            blocks.append(Block(stripped, pos + raw.index(stripped)))
        pos += len(raw) + 1
    return blocks


def is_noise(line: str) -> bool:
    """Web-page furniture around a document."""
    if _NOISE.match(line) or _BREADCRUMB.match(line) or _LINK_ROW.match(line):
        return True
    cells = [c for c in re.split(r"\s*\|\s*", line) if c]
    return len(cells) >= 3 and all(len(c) <= 6 for c in cells)


_SPACE_RUN = re.compile(r" {2,}|\u3000+")


def split_cells(line: str) -> list[str] | None:
    """The cells of a table row split by tabs, `|` or runs of two or more spaces; None for other lines."""
    for sep in ("\t", "|"):
        if line.count(sep) >= 2:
            return [c.strip() for c in line.strip(sep + " ").split(sep)]
    parts = [p for p in _SPACE_RUN.split(line.strip()) if p]
    return parts if len(parts) >= 3 else None


def match_heading(line: str) -> tuple[str, int, int, str, int] | None:
    """(kind, rank, value, display number, end of marker) when the line starts with a heading marker."""
    for kind, rank, pattern in _MARKERS:
        m = pattern.match(line)
        if not m or m.end() >= len(line):
            continue
        raw = m.group(1)
        if raw.isdigit():
            value = int(raw)
        elif kind == "E":
            value = ord(raw) - ord("①") + 1
        else:
            value = chinese_to_number(raw) or 0
        if value <= 0:
            continue
        display = {"B": f"({raw})", "D": f"({raw})"}.get(kind, raw)
        return kind, rank, value, display, m.end()
    return None


def _title_of(rest: str) -> tuple[str, bool]:
    cut = rest.find("。")
    if cut >= 0:
        return rest[:cut].strip(), True
    return rest.strip().rstrip(":;,"), False


class _Builder:
    def __init__(self) -> None:
        self.root = Node("root", -1, "", 0, None, False, 0)
        self.stack: list[Node] = [self.root]
        self.last_value: dict[str, int] = {}
        self.table: tuple[Node, list[str]] | None = None

    def _parent_for(self, rank: int) -> Node:
        for node in reversed(self.stack):
            if node.rank < rank:
                return node
        return self.root

    def _continues(self, kind: str, rank: int, value: int) -> bool:
        siblings = [c for c in self._parent_for(rank).children if c.kind == kind]
        if value == 1 or (siblings and value == siblings[-1].value + 1):
            return True
        last = self.last_value.get(kind)
        return last is None or value == last + 1

    def add(self, block: Block) -> None:
        cells = block.cells if block.cells is not None else split_cells(block.text)
        if cells is not None and self._table_row(block, cells):
            return
        header = self.table[1] if self.table else None
        self.table = None
        found = match_heading(block.text)
        if found and _DIGIT_TITLE.match(block.text) and found[2] != self.last_value.get("C", -1) + 1:
            found = None  # 6.5亿元…: a decimal, unless the number is the next item's (10. then 11.121人才…)
        if found and self._continues(found[0], found[1], found[2]):
            self._open(block, *found)
            if header is not None and not self.stack[-1].inline:
                # a group row inside a table (一、工业经济运行): the rows after it belong to it
                self.table = (self.stack[-1], header)
                self.stack[-1].table_header = header
            return
        self.stack[-1].body.append(block)

    def _table_row(self, block: Block, cells: list[str]) -> bool:
        owner = self.stack[-1]
        # a header row names its columns (short cells); 牵头单位:A  责任单位:B  … is a note, not a header
        header = all(len(c) <= 10 and ":" not in c for c in cells)
        if TABLE_HEADER.search(block.text) and len(cells) >= 3 and header:
            self.table = (owner, cells)
            owner.table_header = cells
            return True
        if self.table is None:
            return False
        owner.body.append(Block(block.text, block.start, cells, block.parts))
        return True

    def _open(self, block: Block, kind: str, rank: int, value: int, display: str, cut: int) -> None:
        parent = self._parent_for(rank)
        while self.stack[-1] is not parent:
            self.stack.pop()
        rest = block.text[cut:]
        title, inline = _title_of(rest)
        node = Node(kind, rank, display, value, title or None, inline, block.start, heading_text=block.text)
        if inline:
            body_at = cut + rest.find("。") + 1
            if body_at < len(block.text):
                node.body.append(Block(block.text[body_at:], block.start + body_at))
        parent.children.append(node)
        self.stack.append(node)
        self.last_value[kind] = value


def build_tree(blocks: list[Block]) -> Node:
    """The heading tree of the document's body blocks (noise already removed)."""
    builder = _Builder()
    for block in blocks:
        builder.add(block)
    return builder.root


def walk(node: Node, path: tuple[str, ...] = ()) -> list[tuple[Node, tuple[str, ...]]]:
    """Every node below `node` with its path of heading numbers, outermost first, in document order."""
    out: list[tuple[Node, tuple[str, ...]]] = []
    for child in node.children:
        child_path = (*path, child.number)
        out.append((child, child_path))
        out.extend(walk(child, child_path))
    return out
