"""The emulation and commendation council's decisions as inputs of the appraisal: its choice at a tie, a nominee
added to or withdrawn from an award's list. The latest decision on a tie or on a nominee applies; every one is
kept in the audit trail. A decision that no longer matches the appraisal (the tie changed) is reported stale."""

from collections.abc import Iterable, Sequence

from thidua.appraisal.model import LISTED, Action, AppraisalResult, AwardLine, Candidate, Decision, NomineeRef, Tie
from thidua.plan.schema import Award, NomineeKind
from thidua.words import NOMINEE

_TieKey = tuple[str, NomineeKind, frozenset[tuple[str, str]]]
_NomineeKey = tuple[str, NomineeKind, tuple[str, str]]


def parse_ref(text: str) -> NomineeRef:
    """`u1` (a collective: its unit code) or `u1:Nguyễn Văn An` (an individual of unit u1)."""
    unit, _, name = text.partition(":")
    return NomineeRef(unit.strip(), " ".join(name.split()))


def _tie_key(form: str, kind: NomineeKind, refs: Iterable[NomineeRef]) -> _TieKey:
    return form, kind, frozenset(r.key for r in refs)


class Council:
    """The decisions in force: the latest on each tie and on each nominee of each award."""

    def __init__(self, decisions: Sequence[Decision]) -> None:
        self.decisions = tuple(sorted(decisions, key=lambda d: d.at))
        self._choices: dict[_TieKey, Decision] = {}
        self._listing: dict[_NomineeKey, Decision] = {}
        for d in self.decisions:
            if d.action is Action.choose:
                self._choices[_tie_key(d.form, d.kind, d.tie)] = d
            else:
                for ref in d.nominees:
                    self._listing[(d.form, d.kind, ref.key)] = d

    def choice(self, award: Award, tied: Sequence[Candidate]) -> Decision | None:
        """The council's choice among exactly these tied candidates, if it made one."""
        return self._choices.get(_tie_key(award.form, award.nominee, (c.ref for c in tied)))

    def withdrawn(self, award: Award, candidate: Candidate) -> Decision | None:
        decision = self._listing.get((award.form, award.nominee, candidate.ref.key))
        return decision if decision and decision.action is Action.withdraw else None

    def additions(self, award: Award) -> list[Decision]:
        return [
            d
            for (form, kind, _), d in self._listing.items()
            if form == award.form and kind is award.nominee and d.action is Action.add
        ]

    def in_force(self) -> list[Decision]:
        """The latest decision on each tie and on each nominee, oldest first."""
        latest = {id(d): d for d in [*self._choices.values(), *self._listing.values()]}
        return sorted(latest.values(), key=lambda d: d.at)


def stale(council: Council, lines: Iterable[AwardLine], ties: Iterable[Tie]) -> tuple[Decision, ...]:
    """The choices and additions in force that the appraisal could not apply (their tie or nominee is not there
    any more). A withdrawal always applies: its nominee is off the list either way."""
    used = {id(x.decision) for x in [*lines, *ties] if x.decision is not None}
    return tuple(d for d in council.in_force() if id(d) not in used and d.action is not Action.withdraw)


def _who(kind: NomineeKind, ref: NomineeRef) -> str:
    return f"{NOMINEE[kind]} {ref}"


def _choose_errors(result: AppraisalResult, award: Award, decision: Decision) -> list[str]:
    chosen = {r.key for r in decision.nominees}
    ties = [t for t in result.ties if t.award is award and chosen <= {c.ref.key for c in t.candidates}]
    if not ties:
        names = ", ".join(map(str, decision.nominees))
        return [f"{names} không cùng thuộc một trường hợp đồng hạng của {award.name} ({NOMINEE[award.nominee]})"]
    tie = ties[0]
    if len(chosen) != tie.seats:
        tied = ", ".join(str(c.ref) for c in tie.candidates)
        return [f"phải chọn đúng {tie.seats} trong {len(tie.candidates)} đối tượng đồng hạng ({tied}); đã chọn {len(chosen)}"]
    return []


def _add_errors(result: AppraisalResult, award: Award, decision: Decision) -> list[str]:
    errors = []
    groups = set(award.groups or result.plan.group_names)
    for ref in decision.nominees:
        found = [c for c in result.candidates if c.kind is award.nominee and c.ref.key == ref.key]
        if not found:
            errors.append(f"không có {_who(award.nominee, ref)} trong danh sách xét của chu kỳ")
        elif found[0].unit.gone:
            errors.append(f"{_who(award.nominee, ref)}: {found[0].unit.gone}")
        elif found[0].unit.group not in groups:
            errors.append(f"{award.name} không xét cho nhóm {result.plan.group_names[found[0].unit.group]}")
        for line in result.lines:
            if line.outcome in LISTED and line.candidate.ref.key == ref.key and line.candidate.kind is award.nominee:
                where = "đã có trong danh sách" if line.award is award else f"đã được đề nghị {line.award.name}; rút khỏi hình thức đó trước"
                errors.append(f"{_who(award.nominee, ref)} {where}")
    return errors


def _withdraw_errors(result: AppraisalResult, award: Award, decision: Decision) -> list[str]:
    listed = {line.candidate.ref.key for line in result.proposals if line.award is award}
    return [
        f"{_who(award.nominee, ref)} không có trong danh sách đề nghị {award.name}"
        for ref in decision.nominees
        if ref.key not in listed
    ]


def decision_errors(result: AppraisalResult, decision: Decision) -> list[str]:
    """What is wrong with recording `decision` on top of `result`, in words; [] when it can be recorded."""
    award = result.plan.award(decision.form, decision.kind, result.year)
    if award is None:
        return [f"kế hoạch không có hình thức {decision.form} cho {NOMINEE[decision.kind]}"]
    errors = [] if decision.reason.strip() else ["phải ghi lý do của Hội đồng"]
    if not decision.nominees:
        errors.append("chưa nêu đối tượng")
    elif decision.action is Action.choose:
        errors += _choose_errors(result, award, decision)
    elif decision.action is Action.add:
        errors += _add_errors(result, award, decision)
    else:
        errors += _withdraw_errors(result, award, decision)
    return errors


def tie_of(result: AppraisalResult, decision: Decision) -> tuple[NomineeRef, ...]:
    """The candidates of the tie a choice is made in (call after `decision_errors` found none)."""
    award = result.plan.award(decision.form, decision.kind, result.year)
    chosen = {r.key for r in decision.nominees}
    tie = next(t for t in result.ties if t.award is award and chosen <= {c.ref.key for c in t.candidates})
    return tuple(c.ref for c in tie.candidates)
