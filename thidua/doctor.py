"""What `thidua doctor` judges without any I/O: a check's outcome, and whom a plan's directory cannot reach."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from thidua.channels import REGISTRY, Person, addresses
from thidua.cycle.state import participating
from thidua.dates import TIMEZONE
from thidua.directory import Target, Unit
from thidua.plan.schema import EscalationTarget, Plan

LISTED = 5  # units named in a problem; the rest are counted
CLOCK_SKEW = timedelta(minutes=2)  # more than this between this machine and the database server is a problem
VIETNAM_OFFSET = timedelta(hours=7)  # Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving


@dataclass(frozen=True)
class Check:
    """One line of the checklist: what was checked, what is wrong (nothing: it passed) and how to fix it."""

    title: str
    problems: tuple[str, ...] = ()
    fix: str = ""
    detail: str = ""  # what was seen, when it passed

    @property
    def ok(self) -> bool:
        return not self.problems


def _named(units: Sequence[Unit]) -> str:
    names = [f"{unit.name} ({unit.code})" for unit in units[:LISTED]]
    more = f" và {len(units) - LISTED} đơn vị khác" if len(units) > LISTED else ""
    return ", ".join(names) + more


def _channels(plan: Plan) -> str:
    return ", ".join(REGISTRY[name].label for name in plan.channels)


def _escalates_to(plan: Plan) -> set[EscalationTarget]:
    ladders = [plan.escalations, *(d.escalations for d in plan.deliverables if d.escalations is not None)]
    return {step.to for ladder in ladders for step in ladder}


def _unreachable(units: Iterable[Unit], plan: Plan, target: Target) -> list[Unit]:
    return [unit for unit in units if not addresses(unit.person(target), plan.channels)]


def directory_problems(plan: Plan, units: Mapping[str, Unit], day: date) -> list[str]:
    """Whom the plan's reminders and escalations could not reach on `day`, in words (empty: everyone)."""
    if not units:
        return [f"kế hoạch {plan.code} chưa có danh mục đơn vị"]
    present = participating(plan, units.values(), day)
    if not present:
        return [f"kế hoạch {plan.code}: không đơn vị nào của các nhóm tham gia còn hiệu lực ngày {day:%d/%m/%Y}"]
    problems = []
    if silent := _unreachable(present, plan, "focal"):
        problems.append(f"{plan.code}: {len(silent)} đơn vị không có địa chỉ nào trên kênh {_channels(plan)}: {_named(silent)}")
    targets = _escalates_to(plan)
    if EscalationTarget.unit_head in targets and (headless := _unreachable(present, plan, "unit_head")):
        problems.append(f"{plan.code}: thủ trưởng của {len(headless)} đơn vị không có liên hệ để nhận báo cáo trễ hạn: {_named(headless)}")
    agency = plan.standing_agency
    if not addresses(Person(agency.name, email=agency.email, phone=agency.phone), plan.channels):
        problems.append(f"{plan.code}: cơ quan thường trực {agency.name} không có địa chỉ để nhận cảnh báo của hệ thống")
    elif EscalationTarget.standing_agency in targets and not agency.email:
        problems.append(f"{plan.code}: cơ quan thường trực {agency.name} không có email để nhận danh sách đơn vị trễ hạn")
    if EscalationTarget.chairman in targets and not (agency.chairman and agency.chairman.email):
        problems.append(f"{plan.code}: chưa có email của Chủ tịch (standing_agency.chairman) để nhận báo cáo trễ hạn")
    return problems


def clock_problems(here: datetime, database: datetime | None) -> list[str]:
    """What is wrong with this machine's clock, judged against the database server's (None: no separate server)."""
    if here.year < 2020:
        return [f"đồng hồ máy chỉ năm {here.year}: mọi thời hạn sẽ tính sai"]
    if database is not None and abs(here - database) > CLOCK_SKEW:
        seconds = int(abs(here - database).total_seconds())
        return [f"đồng hồ máy lệch {seconds} giây so với máy chủ cơ sở dữ liệu: tin nhắc có thể gửi sai ngày, khóa gửi hết hạn sai"]
    return []


def utc_offset(offset: timedelta) -> str:
    """An offset as people write it: +07:00, -03:30."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = int(abs(offset).total_seconds()) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def timezone_problems(offset: timedelta | None, why: str = "") -> list[str]:
    """What is wrong with the time-zone database's Asia/Ho_Chi_Minh: `offset` it gives now (None: unreadable, `why`)."""
    if offset is None:
        return [f"cơ sở dữ liệu múi giờ không cho được múi giờ {TIMEZONE} ({why}): không tính được thời hạn nào"]
    if offset != VIETNAM_OFFSET:
        return [f"cơ sở dữ liệu múi giờ cho {TIMEZONE} là {utc_offset(offset)} thay vì +07:00: mọi thời hạn sẽ tính sai"]
    return []


def local_zone_note(name: str, offset: timedelta | None) -> str:
    """This machine's own timezone, in words when it is not Vietnam's (information only: thidua computes in Vietnam time)."""
    if offset == VIETNAM_OFFSET:
        return ""
    shown = f"{name} ({utc_offset(offset)})" if offset is not None else name
    return f"múi giờ của máy này là {shown}, khác giờ Việt Nam — không sao: thidua luôn tính theo giờ Việt Nam"
