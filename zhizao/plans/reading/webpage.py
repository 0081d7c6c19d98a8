"""A web page (gov.cn, a provincial portal, a mirror) as the lines a reader sees.

Block elements (p, div, li, h1…, br) end lines; inline elements (span, a, font, strong) do not, so a sentence
split over styled runs stays whole. Scripts, styles, forms, navigation, headers, footers, hidden elements and
ruby annotations (<rt>, <rp>: pinyin over characters) are dropped. A table is a data table (a 任务分工表: each
row one line of tab-separated cells) unless it lays the page out: a table holding another table, one column,
or a cell with a long text (the document's body in a <td>), whose cells are read as blocks of their own.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

_DROP = {
    "script", "style", "noscript", "iframe", "form", "select", "button", "input", "textarea", "head",
    "nav", "header", "footer", "object", "embed", "svg", "template", "rt", "rp", "map", "audio", "video",
}  # fmt: skip
_BLOCK = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main", "aside",
    "blockquote", "pre", "center", "dd", "dt", "dl", "tr", "td", "th", "caption", "figure", "figcaption",
    "hr", "address", "body", "tbody", "thead", "tfoot",
}  # fmt: skip
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_LAYOUT_CELL = 300  # a cell this long holds a body of text, not a value of a row
_CJK_END = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


class _Lines:
    """Lines being written: text runs join the current line, a block boundary ends it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def text(self, value: str) -> None:
        # a line break in the page's source is a space between words, nothing between Chinese characters
        for i, piece in enumerate(re.split(r"[ \t\r\f\v]*\n\s*", value)):
            if i and piece and self.current:
                before = self.current[-1]
                if not (_CJK_END.search(before) and _CJK_START.search(piece)):
                    self.current.append(" ")
            self.current.append(re.sub(r"[ \t\r\f\v]+", " ", piece))

    def row(self, cells: list[str]) -> None:
        """A table row as a line of its own, cells split by tabs."""
        self.end_line()
        self.lines.append("\t".join(cells) if len(cells) > 1 else "".join(cells))

    def end_line(self) -> None:
        line = "".join(self.current).strip(" ")
        if line:
            self.lines.append(line)
        self.current = []


def _hidden(tag: Tag) -> bool:
    return tag.name in _DROP or bool(_HIDDEN.search(str(tag.get("style") or ""))) or tag.has_attr("hidden")


def _rows(table: Tag) -> list[list[Tag]]:
    rows = [r for r in table.find_all("tr") if r.find_parent("table") is table]
    return [[c for c in r.find_all(["td", "th"]) if c.find_parent("tr") is r] for r in rows]


def _is_layout(table: Tag) -> bool:
    if table.find("table") is not None:
        return True
    rows = _rows(table)
    if not rows or max(len(cells) for cells in rows) <= 1:
        return True
    return any(len(c.get_text(strip=True)) > _LAYOUT_CELL for cells in rows for c in cells)


def _cell_text(cell: Tag) -> str:
    inner = _Lines()
    _walk(cell, inner)
    inner.end_line()
    return " ".join(inner.lines)


def _walk(node: Tag, out: _Lines) -> None:
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a doctype, CDATA or processing instruction
                out.text(str(child))
            continue
        if not isinstance(child, Tag) or _hidden(child):
            continue
        if child.name == "br":
            out.end_line()
        elif child.name == "table" and not _is_layout(child):
            out.end_line()
            for cells in _rows(child):
                out.row([_cell_text(c) for c in cells])
        elif child.name in _BLOCK or child.name == "table":
            out.end_line()
            _walk(child, out)
            out.end_line()
        else:
            _walk(child, out)


def _head_title(soup: BeautifulSoup) -> str:
    """The document's name from the page's <title> (`名称_政策文件_网站名`: the part before the site's)."""
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    return re.split(r"\s*(?:[_|｜]|\s-\s|——)\s*", title)[0].strip()


def page_text(html: str) -> str:
    """The visible text of a page, one line per block; the <title>'s document name first when the body does
    not carry it (a mirror page that prints only the text)."""
    soup = BeautifulSoup(html, "html.parser")
    title = _head_title(soup)
    out = _Lines()
    _walk(soup.body or soup, out)
    out.end_line()
    text = "\n".join(out.lines)
    compact = re.sub(r"\s+", "", text)
    if len(title) >= 6 and re.sub(r"\s+", "", title) not in compact:
        return f"{title}\n{text}"
    return text
