"""Awards within the plan's quotas, in the plan's order of awards; a tie at a quota boundary goes to the council.

Rules (docs/appraisal.md): a quota is counted per pool — the whole plan (`max`), each group (`per_group`)
or each unit (`per_unit`, `per_unit_excellent` for a unit of the excellent group). Only eligible candidates
compete, ranked on the plan's basis. A candidate gets at most one award a year: one listed for an earlier award
of the plan file is passed over by the later ones, keeping its place in the ranking. Candidates tied for the last
seats are all marked `tie` and none is chosen until the council chooses; the council may also add a nominee to
an award's list or withdraw one (its seat then goes to the next in line).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from thidua.appraisal.council import Council
from thidua.appraisal.model import LISTED, AwardLine, Candidate, Decision, Outcome, PoolFill, Tie
from thidua.appraisal.ranking import ranked, standing
from thidua.plan.schema import Award, NomineeKind, Plan, Quota, RankingBasis
from thidua.words import NOMINEE as KIND_WORDS
from thidua.words import Scale, number, percent


@dataclass(frozen=True)
class _Pool:
    scope: str
    seats: int
    seats_reason: str
    candidates: list[Candidate]


@dataclass
class _Allocation:
    lines: list[AwardLine] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    pools: list[PoolFill] = field(default_factory=list)


def _pools(plan: Plan, award: Award, candidates: Sequence[Candidate]) -> Iterator[_Pool]:
    quota, who = award.quota, KIND_WORDS[award.nominee]
    if quota.max is not None:
        yield _Pool("toàn kế hoạch", quota.max, f"tối đa {quota.max} {who}", list(candidates))
    elif quota.per_group is not None:
        for group in award.groups or [g.code for g in plan.groups]:
            name = plan.group_names[group]
            pool = [c for c in candidates if c.unit.group == group]
            yield _Pool(f"nhóm {name}", quota.per_group, f"{quota.per_group} {who} mỗi nhóm", pool)
    else:
        assert quota.per_unit is not None  # one of the three, checked when the plan is loaded
        for code in dict.fromkeys(c.unit.code for c in candidates):
            pool = [c for c in candidates if c.unit.code == code]
            unit = pool[0].unit
            if quota.per_unit_excellent and unit.facts and unit.facts.excellent_group:
                seats, why = quota.per_unit_excellent, f"{quota.per_unit_excellent} {who} (đơn vị thuộc nhóm xuất sắc)"
            else:
                seats, why = quota.per_unit, f"{quota.per_unit} {who} mỗi đơn vị"
            yield _Pool(f"đơn vị {unit.name}", seats, why, pool)


def value_words(candidate: Candidate, basis: RankingBasis, numbers: Scale) -> str:
    """What the candidate is ranked on, in words: `Chỉ số CCHC 95%`, `điểm bình xét 9,5`, `Hội đồng xếp thứ 2`."""
    value = candidate.value or 0.0
    if basis is RankingBasis.council_order:
        return f"Hội đồng xếp thứ {int(value)}"
    if basis is RankingBasis.council_score:
        return f"điểm bình xét {number(value, numbers)}"
    if candidate.kind is NomineeKind.individual:
        return f"thứ tự {candidate.position + 1} trong hồ sơ của đơn vị (đơn vị có Chỉ số CCHC {percent(value, numbers)})"
    return f"Chỉ số CCHC {percent(value, numbers)}"


class _PoolRun:
    """One pool of one award, tier by tier: seats to the runners, a tie at the boundary to the council."""

    def __init__(self, award: Award, pool: _Pool, earlier: dict[tuple[str, str], str], council: Council,
                 basis: RankingBasis, numbers: Scale) -> None:  # fmt: skip
        self.award, self.pool, self.earlier, self.council = award, pool, earlier, council
        self.basis, self.numbers = basis, numbers
        self.out = _Allocation()
        self.taken = self.held = 0
        self.above: list[str] = []  # ranked above the next tier but taking no seat here, in words

    def line(self, c: Candidate, outcome: Outcome, rank: int, why: str, decision: Decision | None = None) -> None:
        place = "; ".join([f"hạng {rank} trong {self.pool.scope}", *self.above])
        reasons = (f"{value_words(c, self.basis, self.numbers)} — {place}; {why}", *c.passed, *c.notes)
        self.out.lines.append(AwardLine(self.award, c, outcome, rank, self.pool.scope, reasons, place, decision))

    def skipped(self, tier: list[tuple[int, Candidate]]) -> list[tuple[int, Candidate]]:
        """The runners of a tier; those passed over (an earlier award) or withdrawn get their line here."""
        runners, passed = [], []
        for rank, c in tier:
            if c.ref.key in self.earlier:
                why = f"đã được đề nghị {self.earlier[c.ref.key]}; mỗi {KIND_WORDS[c.kind]} chỉ nhận một hình thức trong năm"
                passed.append((c, Outcome.other_form, rank, why, None, f"hạng {rank} nhận {self.earlier[c.ref.key]}"))
            elif decision := self.council.withdrawn(self.award, c):
                why = f"Hội đồng rút khỏi danh sách: {decision.reason}"
                passed.append((c, Outcome.withdrawn, rank, why, decision, f"hạng {rank} được Hội đồng rút"))
            else:
                runners.append((rank, c))
        for c, outcome, rank, why, decision, note in passed:
            self.line(c, outcome, rank, why, decision=decision)
            self.above.append(note)
        return runners

    def tie(self, runners: list[tuple[int, Candidate]], left: int) -> None:
        tied = [c for _, c in runners]
        rank = runners[0][0]
        decision = self.council.choice(self.award, tied)
        chosen = {r.key for r in decision.nominees} if decision else set()
        for _, c in runners:
            others = ", ".join(o.name for o in tied if o is not c)
            at = f"đồng hạng {rank} với {others} khi chỉ còn {left} suất"
            if decision is None:
                self.line(c, Outcome.tie, rank, f"{at} — Hội đồng quyết định")
            elif c.ref.key in chosen:
                self.line(c, Outcome.chosen, rank, f"{at} — Hội đồng chọn: {decision.reason}", decision=decision)
            else:
                self.line(c, Outcome.not_chosen, rank, f"{at} — Hội đồng không chọn: {decision.reason}", decision=decision)
        self.out.ties.append(Tie(self.award, self.pool.scope, rank, left, tuple(tied), decision))
        self.taken += left if decision else 0
        self.held += 0 if decision else left

    def run(self) -> _Allocation:
        for tier in ranked(self.pool.candidates, standing(self.basis)):
            runners = self.skipped(tier)
            left = self.pool.seats - self.taken - self.held
            if not runners:
                continue
            if len(runners) <= left:
                for rank, c in runners:
                    self.line(c, Outcome.proposed, rank, f"trong chỉ tiêu {self.pool.seats_reason}")
                self.taken += len(runners)
            elif left > 0:
                self.tie(runners, left)
            else:
                for rank, c in runners:
                    self.line(c, Outcome.over_quota, rank, f"ngoài chỉ tiêu {self.pool.seats_reason}")
        award = self.award
        self.out.pools.append(PoolFill(award, self.pool.scope, self.pool.seats, award.quota.min, self.taken, self.held))
        return self.out


def _additions(award: Award, candidates: Sequence[Candidate], council: Council, lines: list[AwardLine]) -> list[AwardLine]:
    """The award's lines with the council's additions: an added candidate's line replaced, or a new one."""
    for decision in council.additions(award):
        keys = {r.key for r in decision.nominees}
        for c in candidates:
            if c.kind is not award.nominee or c.ref.key not in keys:
                continue
            old = next((line for line in lines if line.candidate is c), None)
            unmet = f"; chưa đạt tiêu chuẩn: {'; '.join(c.failed)}" if c.failed else ""
            why = f"Hội đồng bổ sung: {decision.reason}{unmet}"
            rank, scope, place = (old.rank, old.scope, old.place) if old else (None, "", "")
            added = AwardLine(award, c, Outcome.added, rank, scope, (why, *c.passed, *c.notes), place, decision)
            lines = [added if line is old else line for line in lines] if old else [*lines, added]
    return lines


def allocate(
    plan: Plan, awards: Sequence[Award], candidates: Sequence[Candidate], council: Council, numbers: Scale
) -> _Allocation:
    """Each of `awards` (their quotas known) in file order: the lines, the ties and how each pool was filled."""
    result = _Allocation()
    earlier: dict[tuple[str, str], str] = {}  # candidate -> name of the award it is already listed for
    for award in awards:
        assert isinstance(award.quota, Quota)
        groups = set(award.groups or plan.group_names)
        eligible = [c for c in candidates if c.kind is award.nominee and c.eligible and c.unit.group in groups]
        lines: list[AwardLine] = []
        for pool in _pools(plan, award, eligible):
            part = _PoolRun(award, pool, earlier, council, plan.ranking.basis, numbers).run()
            lines += part.lines
            result.ties += part.ties
            result.pools += part.pools
        lines = _additions(award, [c for c in candidates if c.unit.group in groups], council, lines)
        result.lines += lines
        earlier |= {line.candidate.ref.key: award.name for line in lines if line.outcome in LISTED}
    return result
