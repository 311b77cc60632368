"""Write the sample documents shown in docs/appraisal.md, from the seed plans and made-up units (no database).

    .venv/bin/python scripts/sample_documents.py out/samples
    .venv/bin/python scripts/render_docx.py out/samples/*/*.docx --out out/samples/png --dpi 80

`loc-ninh/before/`: the Lộc Ninh 2024 tờ trình with two units tied for the sixth and last Giấy khen;
`loc-ninh/after/`: the same after the council chose one of them (tờ trình, quyết định, Giấy khen);
`mo-lao/`: Mộ Lao 2023, ranked on the council's order, collectives and individuals, after the council's choice.
"""

import sys
from datetime import UTC, date, datetime
from pathlib import Path

from documents.appraisal_files import write_appraisal_files
from imports.plans import load_plan
from thidua.appraisal.engine import appraise
from thidua.appraisal.model import Action, Deadline, Decision, Facts, NomineeRef, Person, PersonFacts, UnitInput
from thidua.cycle.state import DeliveryState
from thidua.plan.milestones import milestones_for_year
from thidua.plan.schema import Discipline, NomineeKind, Plan

PLANS = Path(__file__).parents[1] / "plans"
ON_TIME = DeliveryState("complete", (), datetime(2024, 11, 25, 2, tzinfo=UTC), datetime(2024, 11, 25, 2, tzinfo=UTC), False)
LATE = DeliveryState("complete", (), datetime(2024, 12, 3, 2, tzinfo=UTC), datetime(2024, 12, 3, 2, tzinfo=UTC), True)
CQ, XA, BN = "co-quan-chuyen-mon", "ubnd-xa", "ban-nganh"
LOC_NINH = [  # code, name, group, PAR INDEX, dossier
    ("u1", "Phòng Nội vụ", CQ, 95, ON_TIME), ("u2", "Phòng Tư pháp", CQ, 93, LATE),
    ("u3", "UBND xã Lộc Thái", XA, 92, ON_TIME), ("u5", "UBND xã Lộc Hưng", XA, 91.504, ON_TIME),
    ("u6", "Phòng Văn hóa và Thông tin", CQ, 91.501, ON_TIME), ("u7", "Phòng Tài chính - Kế hoạch", CQ, 91.501, ON_TIME),
    ("u8", "UBND xã Lộc Hòa", XA, 89.999, ON_TIME), ("u9", "Phòng Y tế", CQ, 94, ON_TIME),
    ("u10", "UBND xã Lộc Tấn", XA, 94, ON_TIME),
]  # fmt: skip
MO_LAO = [  # code, name, the council's order, people (name, position, the council's order)
    ("m1", "Văn phòng - Thống kê", 2, [("Cao Thị Mai", "Công chức", 2)]),
    ("m2", "Tư pháp - Hộ tịch", 1, [("Đinh Văn Nam", "Công chức", 1), ("Lý Thị Oanh", "Công chức", 2)]),
    ("m3", "Văn hóa - Xã hội", 3, []),
]  # fmt: skip
AT = datetime(2024, 12, 20, 2, tzinfo=UTC)


def deadline(plan: Plan, year: int, admin: dict[str, date] | None = None) -> Deadline:
    """The deadline of the plan's nomination dossier in `year` (what the appraisal judges dossiers against)."""
    assert plan.dossier is not None
    [milestone] = [m for m in milestones_for_year(plan, year, admin_dates=admin) if m.kind == plan.dossier.due[0]]
    return Deadline(milestone.date, milestone.rule)


def loc_ninh(out: Path) -> None:
    plan = load_plan(PLANS / "loc-ninh-2024-2025.yaml")
    units = [UnitInput(code, name, group, None, Facts(par, 1, Discipline.none, False), dossier, dossier)
             for code, name, group, par, dossier in LOC_NINH]  # fmt: skip
    as_of = datetime(2024, 12, 9, 2, tzinfo=UTC)
    write_appraisal_files(appraise(plan, 2024, as_of, deadline(plan, 2024), units), out / "before")
    choice = Decision(Action.choose, "giay_khen", NomineeKind.collective, (NomineeRef("u7"),),
                      "sáng kiến số hóa hồ sơ được áp dụng toàn huyện", "Trần Thị Bình, thư ký Hội đồng", AT,
                      (NomineeRef("u6"), NomineeRef("u7")))  # fmt: skip
    write_appraisal_files(appraise(plan, 2024, as_of, deadline(plan, 2024), units, [choice]), out / "after")


def mo_lao(out: Path) -> None:
    plan = load_plan(PLANS / "mo-lao-2023.yaml")
    units = [
        UnitInput(code, name, BN, None, Facts(None, 0, Discipline.none, False, None, rank), ON_TIME, ON_TIME,
                  tuple(Person(p, PersonFacts(position, 1, Discipline.none, None, r)) for p, position, r in people))
        for code, name, rank, people in MO_LAO
    ]  # fmt: skip
    choice = Decision(Action.choose, "giay_khen", NomineeKind.individual, (NomineeRef("m2", "Lý Thị Oanh"),),
                      "trực tiếp giải quyết thủ tục tại bộ phận một cửa", "Văn phòng UBND phường", AT,
                      (NomineeRef("m1", "Cao Thị Mai"), NomineeRef("m2", "Lý Thị Oanh")))  # fmt: skip
    closing = deadline(plan, 2023, {"submission_deadline": date(2023, 11, 30)})
    write_appraisal_files(appraise(plan, 2023, datetime(2023, 12, 8, 2, tzinfo=UTC), closing, units, [choice]), out)


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "out/samples")
    loc_ninh(root / "loc-ninh")
    mo_lao(root / "mo-lao")
    for path in sorted(root.rglob("*.docx")):
        print(path)
