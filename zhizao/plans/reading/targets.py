"""Quantified goals: indicator, measure, value, unit, qualifier, target and base year.

Each sentence is masked (brackets, quotes and titles hidden) and cut into clauses at , ; :. Every
quantity in a clause is a candidate; the text from the previous quantity (or the clause start) up to it,
and for "verb + number + noun" goals the noun after it, names the indicator. Candidates that read as
history, eligibility thresholds, awards, scopes (聚焦1至2个…) or subjects (126家企业新增产值…) are dropped.
A clause without a verb of its own continues the measure of the goal before it in the sentence.
"""

from __future__ import annotations

import re

from zhizao.plans.reading.goal_years import (
    DUE_YEAR,
    WITHIN,
    DocumentYears,
    Due,
    continues_paragraph,
    due_year,
    opens_goals,
    opens_review,
)
from zhizao.plans.reading.indicators import BARE_MEASURES, BASE, clean_indicator
from zhizao.plans.reading.model import Target
from zhizao.plans.reading.numbers import to_number
from zhizao.plans.reading.quantities import AMOUNT, MASK, Quantity, find_quantities, mask
from zhizao.plans.reading.reported import reports_results, states_goals
from zhizao.plans.reading.respectively import Clause, Respectively, pair_respectively, split_clauses
from zhizao.plans.reading.structure import Block, match_heading
from zhizao.plans.reading.wrapped import shifted, unwrap

_SENTENCE_END = "。!?"
_CLAUSE_END = ",;:"
# results and estimates (预计全年增长5%), not goals
_HISTORY = re.compile(r"已经|已有|已达|累计已|去年|上年|截至目前|截至|同期|过去|曾|预计|预测|估计")
_AWARD = re.compile(r"奖励|奖补|补助|补贴|资助|贴息|给予|最高|扶持资金|专项资金|罚款")
# a rate or standard the policy itself sets (税额标准下调至1—8元/平方米), not a goal to reach
_SETTING = re.compile(r"税额|税率|费率|收费标准|下调至|下调到|上调至|上调到|调整为|调整至|标准为")
_SCOPE = re.compile(
    r"(?:聚焦|围绕|针对|依托|按照|遴选|选取|选择|筛选|以|对|从|(?<!稳定|保持|控制|维持|稳居)在|每|前|第|的|近|约有)$"
)
_CLAUSE_SCOPE = re.compile(r"^(?:对|凡|针对|对于)")
_GROWTH = re.compile(r"(?:增长|增速|增幅|涨幅|增长率|增加值增速)[^,;]{0,6}$")
_REDUCTION = re.compile(r"(?:降低|下降|减少|压减|削减|降幅)[^,;]{0,6}$")
_SHARE = re.compile(
    r"占|比重|占比|比例|覆盖率|普及率|渗透率|配套率|数控化率|达标率|合格率|利用率|上云率|联网率"
)
_INCREASE = re.compile(
    r"新[增建培认引开上获创入设评落]|入选|增加(?!值)|每年|年均新|(?:\d|[一二三四五六七八九十])年内|提高|提升|扩大"
)
_LEVEL_REACHED = re.compile(r"(?:达到|增加到|增加至|增至|提高到|提升到|扩大到)$")
_LEVEL_VERB = re.compile(r"达到|达|突破|超过|超|迈上|总数|总量|保持|实现|控制在|规模")
_ANY_VERB = re.compile(
    r"达到|达|突破|超过|超|迈上|增长|提高|提升|降低|下降|减少|新增|新建|培育|建设|建成|打造|实施|推动|推进|开展|发布|"
    r"带动|引进|入选|认定|创建|保持|实现|完成|开发|形成|组织|举办|改造|转型|竣工|开工|投产|招引|争创|布局|"
    r"上线|引育|认证|遴选|服务|帮扶|举行"
)
_GOAL_CONTEXT = re.compile(
    r"力争|争取|确保|目标|到\s*20\d{2}\s*年|达到|提高|提升|增长|新增|\d年内|[一二三四五六七八九十]年内"
)
# a verb of doing before a floor (培养不少于10名, 选派不少于1000名): the floor is a goal's
_DOING = re.compile(
    r"(?:培养|培训|引进|选拔|选派|资助|建设|建成|培育|新增|新建|打造|扶持|招引|认定)[\u4e00-\u9fff]{0,2}$"
)
# award wording that funds the people or bodies it counts (选拔资助200名, 资助培养…50名)
_FUNDED = re.compile(r"资助\s*\d|(?:选拔|评选|培养|遴选|择优)资助|资助(?:培养|引进|扶持)")


def _measure(prefix: str, unit: str, previous: str | None, span: bool = False) -> str:
    """The measure of a goal from the words before its number; `span` when its item set a span of years
    (5年内…,选拔培养10名…): counts added within the span are increases."""
    if unit in {"个百分点"}:
        if _REDUCTION.search(prefix):
            return "reduction"
        return "growth" if re.search(r"增速|增幅|增长率", prefix) else "increase"
    if unit == "%":
        if _GROWTH.search(prefix):
            return "growth"
        if _REDUCTION.search(prefix):
            return "reduction"
        return "share" if _SHARE.search(prefix) else "level"
    if _LEVEL_REACHED.search(prefix):
        return "level"  # 增加到3000户, 培训…达到40000名: a level reached
    if _INCREASE.search(prefix) or span:
        return "increase"
    if _ANY_VERB.search(prefix) or previous is None or previous in {"growth", "reduction", "share"}:
        return "level"  # 粮食产量1.3万亿斤以上 after 涨幅3%左右: a count or amount is no rate
    return previous


class _SentenceReader:
    """Reads the goals of one sentence; keeps what later clauses of the sentence inherit."""

    def __init__(self, sentence: Clause, doc: DocumentYears, section: tuple[int, str] | None = None) -> None:
        self.sentence = sentence
        self.doc = doc
        self.section = section  # the 到YYYY年 that opened the goal's paragraph or section
        self.year = section[0] if section else doc.year
        self.start_year = doc.start_year or doc.year
        self.previous: Target | None = None
        self.targets: list[Target] = []
        self.caption = False  # a short line without punctuation: a caption or heading, not a goal statement
        self.span = False  # an earlier sentence of the item set a span of years (5年内)
        self.values_follow = False  # later clauses of the sentence hold quantities

    def read(self) -> list[Target]:
        if self._history() or _ARRANGED.search(self.sentence.masked):
            return self.targets  # 赤字率拟按3%安排,赤字规模4.06万亿元: what the budget arranges, not a goal
        clauses = split_clauses(self.sentence.text, self.sentence.masked, self.sentence.start, _CLAUSE_END)
        scope_end = self._scope_end()
        for i, clause in enumerate(clauses):
            # a doubling restated by the values after it (在2023年的基础上实现翻番,分别超过120家和900家)
            self.values_follow = any(find_quantities(c.masked) for c in clauses[i + 1 :])
            self._clause(clause, clauses[:i], scope_end - (clause.start - self.sentence.start))
        return self.targets

    def _history(self) -> bool:
        """A sentence opening with 截至去年/过去五年, or with a five-year period that ended before the plan
        (“十三五”期间 in a 十四五 plan), reports what was done: none of its numbers is a goal."""
        if _SENTENCE_HISTORY.match(self.sentence.masked.lstrip()):
            return True
        period = _PERIOD.match(self.sentence.text.lstrip())
        first = self.start_year or self.year
        return bool(period and first and 2010 + 5 * _FIVE_YEAR.index(period.group(1)) < first)

    def _scope_end(self) -> int:
        """Where the 对…的 phrase opening the sentence closes (对一季度产值10亿元及以上,且增长10%及以上的企业,
        给予…): the numbers before it describe who qualifies. 0 when the sentence opens otherwise."""
        opening = _OPENING_SCOPE.match(self.sentence.masked)
        if not opening:
            return 0
        closing = self.sentence.masked.find("的", opening.end())
        return closing if closing > 0 else 0

    def _due(self, clause: Clause, q: Quantity) -> Due | None:
        """When the goal at q is due, and why; None when its year is past (history)."""
        before = self.sentence.masked[: clause.start - self.sentence.start + q.start]
        return due_year(before, self.doc, self.section)

    def _clause(self, clause: Clause, earlier: list[Clause], scope_end: int = 0) -> None:
        quantities = [q for q in find_quantities(clause.masked) if q.start >= scope_end]
        if not quantities or (_CLAUSE_SCOPE.match(clause.masked) and "的" in clause.masked):
            return
        if _HISTORY.search(clause.masked) or _SETTING.search(clause.masked):
            return
        if _AWARD.search(clause.masked):  # 给予100万元奖励; but 选拔资助200名人才 counts whom it funds
            quantities = [q for q in quantities if not AMOUNT.match(q.unit)]
            if not quantities or not _FUNDED.search(clause.masked):
                return
        cursor, first = 0, 0
        paired = pair_respectively(clause, quantities, earlier)
        if paired:
            cursor, first = self._emit_pairs(clause, paired), len(paired.values)
        thresholds = _listed_thresholds(clause.masked, quantities)
        for i, q in enumerate(quantities[first:], start=first):
            following = quantities[i + 1] if i + 1 < len(quantities) else None
            consumed = self._quantity(clause, q, cursor, following) if i not in thresholds else None
            if not (following and _qualifies_next(clause.masked, q)):
                cursor = consumed or q.end

    def _quantity(self, clause: Clause, q: Quantity, cursor: int, following: Quantity | None) -> int | None:
        """Reads the goal at q, if it is one; returns where the words it took end (a noun after a count)."""
        masked, text = clause.masked, clause.text
        lead = len(text[cursor : q.start]) - len(text[cursor : q.start].lstrip("、和及与 "))
        prefix = text[cursor + lead : q.start]
        stop = following.start if following else len(text)
        if following and "、" in masked[q.end : stop]:
            stop = q.end + masked[q.end : stop].index("、")
        elif following and _qualifies_next(masked, following):
            # 打造4个收入规模超千亿元的战略性新兴产业: the threshold belongs to the counted noun
            stop = _noun_end(masked, following.end)
        suffix = text[q.end : stop]
        share_of = _SHARE_OF.match(masked[q.end :]) if q.unit == "%" else None
        if share_of and not _SCOPE.search(masked[: q.start].rstrip()):
            self._emit_share_of(clause, q, share_of)
            return None
        if self._skip(masked, q, prefix, suffix, following) or self._not_a_goal(clause, q, suffix):
            return None
        if q.doubling and self.values_follow:
            return None
        due = self._due(clause, q)
        if due is None:
            return None
        return self._emit(clause, q, (cursor + lead, stop), due)

    def _emit_share_of(self, clause: Clause, q: Quantity, share_of: re.Match[str]) -> None:
        """50%的城市社区建成…, 80%以上的规上企业实现…: the share of a set that reaches a state."""
        due = self._due(clause, q)
        if due is None:
            return
        end = q.end + share_of.end()
        noun = clause.text[q.end + 1 : q.end + share_of.start("verb")]
        target = Target(
            noun,
            "share",
            q.value,
            q.unit,
            q.qualifier,
            due.year,
            None,
            clause.text[q.start : end],
            (clause.start + q.start, clause.start + end),
        )
        self._add(target, due)

    def _skip(self, masked: str, q: Quantity, prefix: str, suffix: str, following: Quantity | None) -> bool:
        after = masked[q.end : q.end + 1]
        if _qualifies_next(masked, q) or _SCOPE.search(masked[: q.start].rstrip()):
            return True
        if q.unit == "倍" and not re.search(r"增长|提高|扩大|翻", prefix):
            return True
        coordinated = suffix.rstrip().endswith(("和", "及", "与", "以及"))  # 2个A和6个B: two goals
        # 10个A、30个B和300个C: a list of counted goals, not a subject before its goal
        coordinated = coordinated or masked[q.end + len(suffix) : q.end + len(suffix) + 1] == "、"
        threshold_after = following is not None and _qualifies_next(masked, following)
        subject = following and after != "、" and suffix.strip() and q.qualifier == "exact"
        if subject and not coordinated and not threshold_after:
            return True  # 126家培育企业新增产值300亿元: the subject, not a goal
        constraint = re.search(r"(不低于|不少于|不超过|不高于)$", masked[: q.start])
        if constraint and (_DOING.search(masked[: constraint.start()]) or self.previous is not None):
            return False  # 培养不少于10名A,不少于20名B: floors of goals, not conditions
        return bool(constraint and not _GOAL_CONTEXT.search(self.sentence.masked))

    def _not_a_goal(self, clause: Clause, q: Quantity, suffix: str) -> bool:
        """A count before a noun that names a set rather than a goal: with no verb before it on a short
        unpunctuated line (a caption: “十三五”应急体系9个具体建设任务), or the document counting its
        own parts (《行动计划》将实施八大行动和27项工程, 《规划》中提出的…7项重点建设项目)."""
        if not suffix.strip("等 ") or suffix.startswith(("、", *_MILESTONE)) or AMOUNT.match(q.unit):
            return False
        before = clause.masked[: q.start]
        verbless = not (_ANY_VERB.search(before) or _INCREASE.search(before) or _GOAL_CONTEXT.search(before))
        if self.caption and self.previous is None and verbless:
            return True
        if _DOCUMENTS.search(suffix.rstrip("等 ")):
            return True  # 落实14个…等重点规划: the count names documents, not a goal
        if q.unit == "条" and _MEASURES.match(suffix):
            return True  # 出台10条支持政策: the document counts its measures
        if clause.masked[: q.start].endswith("等") and _ASPECTS.match(suffix):
            return True  # 高端化、低碳化…等6个方向转型: the count sums up the list before it
        own_parts = _OWN_PARTS.match(suffix)
        sentence_before = self.sentence.text[: clause.start - self.sentence.start + q.start]
        return bool(own_parts and _DOCUMENT_SUBJECT.search(sentence_before))

    def _emit(self, clause: Clause, q: Quantity, segment: tuple[int, int], due: Due) -> int:
        prefix, suffix = clause.text[segment[0] : q.start], clause.text[q.end : segment[1]]
        noun_after = bool(suffix.strip("等 ")) and not suffix.startswith(("、", *_MILESTONE))
        noun_after = noun_after and not prefix.endswith(("达到", "为")) and not _GOAL_NOUN.match(suffix)
        # a count opens its noun phrase (打造10个示例集群): what stands before it is the predicate, or the
        # list the count sums up (形成A、B和C等3个产业集聚带), not part of the name
        subject = suffix if noun_after else prefix
        end = segment[1] if noun_after else q.end
        indicators = self._indicators(prefix, subject)
        previous = self.previous.measure if self.previous else None
        span = self.span or bool(WITHIN.search(self.sentence.masked[: clause.start - self.sentence.start]))
        measure = "growth" if q.doubling else _measure(prefix, q.unit, previous, span)
        base = BASE.search(prefix)
        for indicator in indicators:
            target = Target(
                indicator=indicator,
                measure=measure,
                value=q.value,
                unit=q.unit,
                qualifier=q.qualifier,
                target_year=due.year,
                base_year=int(base.group(1)) if base else None,
                text=clause.text[segment[0] : end].strip(),
                span=(clause.start + segment[0], clause.start + end),
            )
            self._add(target, due)
        return end

    def _emit_pairs(self, clause: Clause, paired: Respectively) -> int:
        """One goal per subject–value pair of an `A和B分别…X和Y` clause; returns where the values end."""
        lead_in = clause.text[: paired.values[0].start]
        measure = None
        qualifier = paired.values[0].qualifier
        # a 以上/左右 closing the list (分别增长8%和10%以上) qualifies each value,
        # unless the others carry qualifiers of their own
        last = paired.values[-1].qualifier
        if last != "exact" and all(v.qualifier == "exact" for v in paired.values[:-1]):
            qualifier = last
        for name, q in zip(paired.subjects, paired.values, strict=True):
            if measure is None or not re.search(r"增长|降低|下降|占|比重", clause.text[: q.start]):
                measure = _measure(lead_in, q.unit, self.previous.measure if self.previous else None)
            due = self._due(clause, q)
            if due is None or self._skip(clause.masked, q, lead_in, "", None):
                continue
            base = BASE.search(paired.context)
            target = Target(
                indicator=name,
                measure=measure,
                value=q.value,
                unit=q.unit,
                qualifier=q.qualifier if q.qualifier != "exact" else qualifier,
                target_year=due.year,
                base_year=int(base.group(1)) if base else None,
                text=f"{paired.context}{clause.text[: paired.values[-1].end]}".strip(),
                span=(clause.start, clause.start + paired.values[-1].end),
            )
            self._add(target, due)
        return paired.values[-1].end

    def _add(self, target: Target, due: Due) -> None:
        """Keeps a goal with the reason for its year and how sure the reading is."""
        target.reasons["target_year"] = due.reason
        confidence = due.confidence
        if self.previous is not None and target.indicator == self.previous.indicator:
            target.reasons["indicator"] = "指标名称沿用前一目标"
            confidence -= 0.1
        elif len(target.indicator) > 20:
            target.reasons["indicator"] = "指标名称较长,请核对"
            confidence -= 0.1
        target.confidence = round(max(confidence, 0.1), 2)
        self.targets.append(target)
        self.previous = target

    def _indicators(self, prefix: str, subject: str) -> list[str]:
        if "分别" in prefix:
            names = [clean_indicator(n) for n in prefix[: prefix.index("分别")].split("、")]
            return [n for n in names if n]
        if prefix.lstrip().startswith("占") and self.previous:
            return [self.previous.indicator]
        name = clean_indicator(subject)
        if not name and self.previous:
            return [self.previous.indicator]
        if name in BARE_MEASURES and self.previous:  # 新开通5G基站15万个,总数达到30万个 → 5G基站总数
            return [self.previous.indicator + name]
        return [name] if name else []


_LISTED = re.compile(r"^\s*(?:、|和|及|与|以及)\s*$")


def _listed_thresholds(masked: str, quantities: list[Quantity]) -> set[int]:
    """Values listed before a 的 (收入突破1000万元、2000万元、1亿元的,分别给予…): thresholds, every one."""
    skipped: set[int] = set()
    run: list[int] = []
    for i, q in enumerate(quantities):
        if run and not _LISTED.match(masked[quantities[run[-1]].end : q.start]):
            run = []
        run.append(i)
        share_of = q.unit == "%" and _SHARE_OF.match(masked[q.end :])
        if masked[q.end : q.end + 1] == "的" and not (share_of or _GOAL_NOUN.match(masked, q.end)):
            skipped.update(run)
    return skipped


def _ranks(sentence: Clause, year: int | None) -> list[Target]:
    pattern = re.compile(
        r"([^,;。]{2,30}?)(?:排名|位次|排位)[^,;。]{0,4}?(?:保持|稳居|位居|进入|居|跻身|位列)?"
        r"(?:全国|全省|全市|全球|世界|国内)?(?:同类城市)?前(\d+|[一二三四五六七八九十]+)(?:位|名|强)?(?!的)"
    )
    found: list[Target] = []
    for m in pattern.finditer(sentence.masked):
        value = to_number(m.group(2))
        if value is None:
            continue
        indicator = clean_indicator(sentence.text[m.start(1) : m.end(1)])
        span = (sentence.start + m.start(), sentence.start + m.end())
        text = sentence.text[m.start() : m.end()]
        found.append(Target(indicator, "rank", value, "名", "at_most", year, None, text, span))
    return found


def _qualifies_next(masked: str, q: Quantity) -> bool:
    """A threshold on the noun after it (超500亿元的开发区, 5亿元以上企业), not a goal: it belongs to the
    name of the goal that counts that noun (建成产值超500亿元的开发区6个 → 产值超500亿元的开发区)."""
    after = masked[q.end : q.end + 1]
    if after == "的":
        return not _GOAL_NOUN.match(masked, q.end)  # 实现…突破1000亿元的目标: the goal itself
    milestone = masked[q.end : q.end + 2] in _MILESTONE  # 迈上3600亿元台阶: a level, not a threshold
    noun_after = bool(after) and after not in "、,;和及" and after != MASK
    return bool(AMOUNT.match(q.unit) and noun_after and not milestone)


def _noun_end(masked: str, start: int) -> int:
    """Where the noun phrase that opens at `start` ends (at 、 , ; 和 or the clause end)."""
    m = re.search(r"[、,;和及与]", masked[start:])
    return start + m.start() if m else len(masked)


def _same(a: Target, b: Target) -> bool:
    key_a = (a.value, a.unit, a.qualifier, a.measure, a.target_year)
    key_b = (b.value, b.unit, b.qualifier, b.measure, b.target_year)
    return key_a == key_b and (a.indicator in b.indicator or b.indicator in a.indicator)


_MILESTONE = ("台阶", "大关", "关口")
_GOAL_NOUN = re.compile(r"的(?:发展|奋斗|工作)?(?:目标|任务)")
# 50%的城市社区建成…: a share of a set reaching a state (a goal), unlike 增长20%以上的企业 (who qualifies)
_SHARE_OF = re.compile(r"的(?P<noun>[^,;。的\u25a1]{2,12}?)(?P<verb>建成|实现|达到|完成|具备|接入|开展|应用)")
_OWN_PARTS = re.compile(r"^[^,;。]{0,8}?(?:任务|工程|行动|措施|举措|项目|方面|条|政策|事项)")
_DOCUMENT_SUBJECT = re.compile(
    r"(?:《[^》]{1,40}》|本(?:方案|计划|意见|规划|措施|要点))(?:[^,;。]{0,6}?|从[^,;。]{0,80}?)(?:将|中|共|还)?"
    r"(?:实施|部署|提出|明确|包括|涵盖|梳理|分解|安排|设置|制定)"
)
_MEASURES = re.compile(r"^[^,;。]{0,4}?(?:政策|措施|举措|意见|规定|建议|硬措施)")
# a count of documents (落实14个…等重点规划, 制定3个实施方案): not a goal
_DOCUMENTS = re.compile(r"(?:规划|方案|计划|意见|文件|政策|办法|细则)$")
_ASPECTS = re.compile(r"^(?:方面|方向|领域|维度|层面|环节|板块|类别)")
_ARRANGED = re.compile(r"拟按|拟安排")
_SENTENCE_HISTORY = re.compile(
    r"^(?:回顾)?(?:截至|截止|去年|上年|预计|过去(?:的)?(?:\d+|[一二三四五六七八九十])年)"
)
_FIVE_YEAR = "一二三四五六"  # 十一五 ends 2010, 十二五 2015, …
_PERIOD = re.compile(r"^[“\"]?十([一二三四五六])五[”\"]?(?:期间|时期|以来)")
_OPENING_SCOPE = re.compile(r"^[\s\u25a1]*(?:[一二三四五六七八九十\d]+[、.])?(?:对(?![标接外])|凡|对于|针对)")


def find_targets(
    blocks: list[Block], year: int | None, start_year: int | None = None, year_reason: str = ""
) -> list[Target]:
    """The quantified goals in the body blocks, a goal stated twice kept once.

    A 到2025年 that opens a goal statement (到2029年,…基本实现。规模总量…) dates the goals after it in the
    same section, up to the next heading (in a text without headings, up to the end of its paragraph and
    the —— bullets after it), unless they name a year of their own. A review of past work (一、2018年工作回顾,
    回顾2023年工作成果) holds results, not goals, up to the line that opens what is to be done.
    """
    doc = DocumentYears(year, start_year or year, year_reason)
    targets: list[Target] = []
    section: tuple[int, str] | None = None
    headed, review, previous = False, False, None
    among_goals = False  # under a heading that states goals (一、工作目标)
    for block, shifts in unwrap(blocks):
        span = False  # a span of years (5年内) stated in the item covers its later sentences
        if block.cells is not None:
            continue
        heading = match_heading(block.text)
        headed = headed or bool(heading)
        if heading:
            among_goals = states_goals(block.text)
        if heading or not (headed or continues_paragraph(block.text, previous)):
            section = None
        previous = block.text
        if opens_review(block.text):
            review = True
        elif review and (opens_goals(block.text) or heading):
            review = False
        if review:
            continue
        masked = mask(block.text)
        if heading:  # the item's own number (11.121人才…) is no quantity
            masked = MASK * heading[4] + masked[heading[4] :]
        for sentence in split_clauses(block.text, masked, block.start, _SENTENCE_END):
            if reports_results(sentence.masked, among_goals or section is not None):
                continue
            reader = _SentenceReader(sentence, doc, section)
            reader.caption = len(block.text) <= 40 and not re.search(r"[。!?;,]", block.text)
            reader.span = span
            span = span or bool(heading and WITHIN.search(sentence.masked))
            found = reader.read() + _ranks(sentence, reader.year)
            for target in found:
                target.span = (shifted(target.span[0], shifts), shifted(target.span[1] - 1, shifts) + 1)
            targets.extend(t for t in found if not any(_same(t, seen) for seen in targets))
            stated = list(DUE_YEAR.finditer(sentence.masked))
            if stated and not (doc.start_year and int(stated[-1].group(1)) < doc.start_year):
                section = int(stated[-1].group(1)), stated[-1].group().strip()
    return targets
