"""Bad input, every case a real `thidua` process: plan files, unit/score/nominee/registration files (CSV and XLSX),
command-line arguments and settings. Each must end with a clean error: exit 2 (bad input) or 1 (environment), a
Vietnamese message on stderr, no traceback, no hang, and nothing written.

`CASES` is shared with tests/test_bad_inputs.py, which runs the cases in process (fast) on every `make test-fast`.
"""

import csv
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from faults.harness import ROOT, Outcome, Workspace, plan_text

PLAN = "loc-ninh-2024-2025"
REGISTRATION = {  # the plan with a registration deliverable, so that `register` has something to record
    "\nmilestones:\n": '\nmilestones:\n  - {kind: registration_deadline, label: hạn đăng ký thi đua, rule: {type: yearly, day: "15/03"}}\n',
    "\ndeliverables:\n": "\ndeliverables:\n  - {code: dang_ky, name: Đăng ký thi đua, kind: registration, due: [registration_deadline]}\n",
}
UNIT_HEADER = "code,name,group,parent,focal_name,focal_email,focal_phone,focal_zalo_user_id,head_name,head_email,head_phone,valid_from,valid_to,merged_into"
SCORES_HEADER = "unit_code,par_index,initiatives_recognized,discipline,excellent_group"
A_UNIT = "ln-p-noi-vu"  # a unit of the plan's directory (plans/units/loc-ninh-2024-2025.csv)
PY = ("--plan", PLAN, "--year", "2025")
Content = str | bytes | Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One bad input: the command, the files it reads (name → content or a writer), settings, standard input, and
    the exit code it must end with."""

    label: str
    args: tuple[str, ...]
    files: dict[str, Content] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    stdin: str | None = None
    code: int = 2
    in_process: bool = True  # False: only a real process shows it (standard input, Prefect's server, the process's settings)


def _csv(*rows: list[object]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _unit_csv(**values: str) -> str:
    """A unit file of one row: a valid unit with `values` changed."""
    row = {"code": "u-moi", "name": "UBND xã Mới", "group": "ubnd-xa", "focal_email": "moi@locninh.gov.vn", **values}
    return _csv(UNIT_HEADER.split(","), [row.get(column, "") for column in UNIT_HEADER.split(",")])


def _xlsx(*rows: list[object]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)

    return write


def _sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as file:
            file.truncate(size)

    return write


def _plan(**replacements: str) -> str:
    return plan_text(PLAN, **replacements)


def _laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    return "\n".join(lines) + "\n"


def _check(name: str, content: Content) -> Case:
    return Case(f"plan check: {name}", ("plan", "check", name), {name: content})


PLAN_FILES = [
    _check("unclosed.yaml", "code: x\ngroups: [a, b\n"),
    _check("tab.yaml", "code: x\nperiod:\n\tstart: 01/01/2025\n"),
    _check("dup-key.yaml", _plan(**{"title:": "title: a\ntitle:"})),
    _check("alias.yaml", "code: *nowhere\n"),
    _check("mapping.yaml", "code: x: y\n"),
    _check("bomb.yaml", _laughs()),
    _check("deep-list.yaml", "x: " + "[" * 5000 + "]" * 5000),
    _check("deep-map.yaml", "".join("  " * i + f"k{i}:\n" for i in range(40))),
    _check("huge-int.yaml", _plan(**{"days: -10": "days: " + "9" * 5000})),
    _check("72mb.yaml", _sparse(72_000_000)),
    _check("utf16.yaml", "code: x\ntitle: Kế hoạch\n".encode("utf-16")),
    _check("latin1.yaml", "code: x\ntitle: Kế hoạch\n".encode("utf-8").replace("ế".encode(), b"\xe9")),
    _check("nul.yaml", "code: a\x00b\n"),
    _check("python-tag.yaml", "code: !!python/object/apply:os.system [id]\n"),
    _check("two-docs.yaml", "code: a\n---\ncode: b\n"),
    _check("list.yaml", "- code: x\n"),
    _check("empty.yaml", ""),
    _check("no-code.yaml", _plan(**{f"code: {PLAN}\n": ""})),
    _check("bad-code.yaml", _plan(**{f"code: {PLAN}": "code: Lộc Ninh 2024"})),
    _check("offset.yaml", _plan(**{"days: -10": "days: -1000000000"})),
    _check("float-days.yaml", _plan(**{"days: -10": "days: 1e400"})),
    _check("year-offset.yaml", _plan(**{"year_offset: 1": "year_offset: 100000"})),
    _check("nan.yaml", _plan(**{"[14, 7, 3, 1, 0]": "[.nan]"})),
    _check("long-list.yaml", _plan(**{"[14, 7, 3, 1, 0]": "[" + ", ".join(["1"] * 31) + "]"})),
    _check("year-9999.yaml", _plan(**{"end: 30/11/2025": "end: 30/11/9999"})),
    _check("31-11.yaml", _plan(**{"end: 30/11/2025": "end: 31/11/2025"})),
    _check("29-02.yaml", _plan(**{'day: "30/11"': 'day: "29/02"'})),
    _check("quota.yaml", _plan(**{"quota: {max: 6}": "quota: {max: 10000000}"})),
    _check("channel.yaml", _plan(**{"channels: [email]": "channels: [email, fax]"})),
    _check("escalation.yaml", _plan(**{"after_working_days: 1,": "after_working_days: 999,"})),
    _check("unknown-field.yaml", _plan(**{"title:": "tieu_de: x\ntitle:"})),
    _check("old-shape.yaml", _plan(**{"\ndeliverables:\n": "\ndocuments: []\ndeliverables:\n"})),
    _check("loop.yaml", _plan(**{"from: par_announcement": "from: appraisal_deadline"})),
    _check("unknown-due.yaml", _plan(**{"due: [submission_deadline]": "due: [khong_co]"})),
    _check("days-off.yaml", _plan(**{"\nchannels:": "\ncalendar:\n  extra_days_off: [" + ", ".join(["01/01/2025"] * 401) + "]\nchannels:"})),
    Case("plan check: a folder", ("plan", "check", "inputs")),
    Case("plan check: no such file", ("plan", "check", "khong-co.yaml")),
    Case("plan check: a device that never ends", ("plan", "check", "/dev/zero")),
    Case("calendar: a YAML bomb", ("calendar", "bomb-2.yaml", "--year", "2025"), {"bomb-2.yaml": _laughs()}),
]

_UNITS = ("units", "import")
UNIT_FILES = [
    Case(f"units import: {label}", (*_UNITS, name, "--plan", PLAN), {name: content})
    for label, name, content in [
        ("code with capitals and spaces", "u1.csv", _unit_csv(code="UBND Xã Mới")),
        ("code with diacritics", "u2.csv", _unit_csv(code="xã-mới")),
        ("name with a line break", "u3.csv", _unit_csv(name="UBND xã\nMới")),
        ("name with NUL", "u4.csv", _unit_csv(name="UBND\x00xã")),
        ("name with a tab", "u5.csv", _unit_csv(name="UBND\txã")),
        ("name with a direction override", "u6.csv", _unit_csv(name="UBND \u202exã")),
        ("focal name with a line break", "u7.csv", _unit_csv(focal_name="Trần\r\nVăn A")),
        ("a 1 MB cell", "u8.csv", _unit_csv(name="x" * 1_000_000)),
        ("a formula never computed (XLSX)", "u9.xlsx", _xlsx(UNIT_HEADER.split(","), ["u-moi", "=1+1", "ubnd-xa"])),
        ("not UTF-8", "u10.csv", _unit_csv(name="UBND xã Mới").encode("utf-8").replace("ã".encode(), b"\xe3")),
        ("an empty file", "u11.csv", ""),
        ("a header only", "u12.csv", UNIT_HEADER + "\n"),
        ("a missing column", "u13.csv", "code,group\nu-moi,ubnd-xa\n"),
        ("an unknown column", "u14.csv", "code,name,group,ghi_chu\nu-moi,Mới,ubnd-xa,x\n"),
        ("a code twice", "u15.csv", _unit_csv() + _unit_csv().split("\n", 1)[1]),
        ("a bad email", "u16.csv", _unit_csv(focal_email="khong-phai-email")),
        ("a bad phone", "u17.csv", _unit_csv(focal_phone="12345")),
        ("a landline for Zalo", "u18.csv", _unit_csv(focal_phone="0271 3566 123")),
        ("validity ending before it starts", "u19.csv", _unit_csv(valid_from="2025-07-01", valid_to="2025-01-01")),
        ("a date in year 1", "u20.csv", _unit_csv(valid_from="0001-01-01")),
        ("a date in year 9999", "u21.csv", _unit_csv(valid_to="9999-12-31")),
        ("merged into an unknown unit", "u22.csv", _unit_csv(valid_to="2025-06-30", merged_into="khong-co")),
        ("merged into itself", "u23.csv", _unit_csv(valid_to="2025-06-30", merged_into="u-moi")),
        ("a .txt file", "u24.txt", _unit_csv()),
        ("a .xlsx that is not one", "u25.xlsx", b"PK\x03\x04 not a workbook"),
        ("an unknown group", "u26.csv", _unit_csv(group="so-nganh")),
        ("a Zalo id with letters", "u27.csv", _unit_csv(focal_zalo_user_id="abc123")),
        ("100,001 rows", "u28.csv", UNIT_HEADER + "\n" + "".join(f"u{i},Đơn vị {i},ubnd-xa\n" for i in range(100_001))),
        ("a 21 MB file", "u29.csv", lambda path: path.write_bytes(UNIT_HEADER.encode() + b"\n" + b" " * 21_000_000)),
    ]
] + [
    Case("units import: a folder", (*_UNITS, "inputs", "--plan", PLAN)),
    Case("units import: no such file", (*_UNITS, "khong-co.csv", "--plan", PLAN)),
    Case("units import: an unknown plan", (*_UNITS, "u30.csv", "--plan", "khong-co"), {"u30.csv": _unit_csv()}),
    Case("units import: no --plan, a file not named after a plan", (*_UNITS, "u31.csv"), {"u31.csv": _unit_csv()}),
]

_SCORES = ("scores", "import")
SCORE_FILES = [
    Case(f"scores import: {label}", (*_SCORES, name, *PY), {name: content})
    for label, name, content in [
        ("unit code not a slug", "s1.csv", _csv(SCORES_HEADER.split(","), ["LN Nội Vụ", 95, 1, "none", 0])),
        ("unknown unit", "s2.csv", _csv(SCORES_HEADER.split(","), ["khong-co", 95, 1, "none", 0])),
        ("PAR INDEX 150", "s3.csv", _csv(SCORES_HEADER.split(","), [A_UNIT, 150, 1, "none", 0])),
        ("PAR INDEX in words", "s4.csv", _csv(SCORES_HEADER.split(","), [A_UNIT, "chín lăm", 1, "none", 0])),
        ("a fraction among percentages", "s5.csv", _csv(SCORES_HEADER.split(","), [A_UNIT, 0.955, 1, "none", 0], ["ln-p-tu-phap", 95, 1, "none", 0])),
        ("negative initiatives", "s6.csv", _csv(SCORES_HEADER.split(","), [A_UNIT, 95, -1, "none", 0])),
        ("unknown discipline", "s7.csv", _csv(SCORES_HEADER.split(","), [A_UNIT, 95, 1, "phat_tien", 0])),
        ("excellent group 2", "s8.csv", _csv(SCORES_HEADER.split(","), [A_UNIT, 95, 1, "none", 2])),
        ("a unit twice", "s9.csv", _csv(SCORES_HEADER.split(","), [A_UNIT, 95, 1, "none", 0], [A_UNIT, 96, 1, "none", 0])),
        ("a formula never computed (XLSX)", "s10.xlsx", _xlsx(SCORES_HEADER.split(","), [A_UNIT, "=90+5", 1, "none", 0])),
        ("a 1 MB cell", "s11.csv", SCORES_HEADER + "\n" + A_UNIT + ",95,1," + "n" * 1_000_000 + ",0\n"),
        ("initiatives with 400 digits", "s12.csv", _csv(SCORES_HEADER.split(","), [A_UNIT, 95, "9" * 400, "none", 0])),
    ]
] + [Case("scores import: a year outside the plan", (*_SCORES, "s13.csv", "--plan", PLAN, "--year", "2030"), {"s13.csv": _csv(SCORES_HEADER.split(","), [A_UNIT, 95, 1, "none", 0])})]

_NOMINEES = ("nominees", "import")
NOMINEE_FILES = [
    Case(f"nominees import: {label}", (*_NOMINEES, name, *PY), {name: content})
    for label, name, content in [
        ("unit code not a slug", "n1.csv", _csv(["unit_code", "kind", "name"], ["Phòng Nội vụ", "collective", "Phòng Nội vụ"])),
        ("unknown kind", "n2.csv", _csv(["unit_code", "kind", "name"], [A_UNIT, "tap_the", "Phòng Nội vụ"])),
        ("a name with a line break", "n3.csv", _csv(["unit_code", "kind", "name"], [A_UNIT, "collective", "Phòng\nNội vụ"])),
        ("an empty name", "n4.csv", _csv(["unit_code", "kind", "name"], [A_UNIT, "collective", ""])),
        ("individuals the plan does not commend", "n5.csv", _csv(["unit_code", "kind", "name"], [A_UNIT, "individual", "Nguyễn Văn A"])),
        ("unknown unit", "n6.csv", _csv(["unit_code", "kind", "name"], ["khong-co", "collective", "X"])),
        ("a name with NUL", "n7.csv", _csv(["unit_code", "kind", "name"], [A_UNIT, "collective", "Phòng\x00Nội vụ"])),
        ("a formula never computed (XLSX)", "n8.xlsx", _xlsx(["unit_code", "kind", "name"], [A_UNIT, "collective", '=HYPERLINK("http://x","y")'])),
    ]
]

_REGISTER = ("register", "import")
REGISTRATION_FILES = [
    Case(f"register import: {label}", (*_REGISTER, name, *PY), {name: content})
    for label, name, content in [
        ("unit code not a slug", "r1.csv", _csv(["unit_code", "name", "position"], ["LN Nội Vụ", "An", "Trưởng phòng"])),
        ("a position without a name", "r2.csv", _csv(["unit_code", "name", "position"], [A_UNIT, "", "Trưởng phòng"])),
        ("a name with a line break", "r3.csv", _csv(["unit_code", "name", "position"], [A_UNIT, "Nguyễn\nVăn A", "Trưởng phòng"])),
        ("a position with NUL", "r4.csv", _csv(["unit_code", "name", "position"], [A_UNIT, "Nguyễn Văn A", "Trưởng\x00phòng"])),
        ("unknown unit", "r5.csv", _csv(["unit_code", "name", "position"], ["khong-co", "An", ""])),
        ("a 1 MB cell", "r6.csv", "unit_code,name,position\n" + A_UNIT + "," + "A" * 1_000_000 + ",x\n"),
        ("a header only", "r7.csv", "unit_code,name,position\n"),
        ("a wrong header", "r8.csv", "ma,ten\nx,y\n"),
    ]
]

_RECEIVE = ("dossier", "receive", *PY)
ARGUMENTS = [
    Case("calendar --year abc", ("calendar", "plans/loc-ninh-2024-2025.yaml", "--year", "abc")),
    Case("calendar --year 99999", ("calendar", "plans/loc-ninh-2024-2025.yaml", "--year", "99999")),
    Case("calendar --year -1", ("calendar", "plans/loc-ninh-2024-2025.yaml", "--year", "-1")),
    Case("calendar without --year", ("calendar", "plans/loc-ninh-2024-2025.yaml")),
    Case("calendar, a year outside the plan", ("calendar", "plans/loc-ninh-2024-2025.yaml", "--year", "2030")),
    Case("calendar --par-announcement 31/02/2025", ("calendar", "plans/loc-ninh-2024-2025.yaml", "--year", "2025", "--par-announcement", "31/02/2025")),
    Case("an unknown option", ("status", *PY, "--bogus")),
    Case("an unknown command", ("plan", "chek")),
    Case("status --as-of 31/02/2025", ("status", *PY, "--as-of", "31/02/2025")),
    Case("status --as-of 0001-01-01", ("status", *PY, "--as-of", "0001-01-01")),
    Case("status --as-of hôm nay", ("status", *PY, "--as-of", "hôm nay")),
    Case("status for an unknown plan", ("status", "--plan", "khong-co", "--year", "2025")),
    Case("status for a year outside the plan", ("status", "--plan", PLAN, "--year", "2030")),
    Case("dossier receive --unit with spaces", (*_RECEIVE, "--unit", "Phòng Nội vụ", "--doc", "to_trinh", "--at", "2025-11-20T09:00")),
    Case("dossier receive --unit unknown", (*_RECEIVE, "--unit", "khong-co", "--doc", "to_trinh", "--at", "2025-11-20T09:00")),
    Case("dossier receive --doc unknown", (*_RECEIVE, "--unit", A_UNIT, "--doc", "khong_co", "--at", "2025-11-20T09:00")),
    Case("dossier receive --nominee without a kind", (*_RECEIVE, "--unit", A_UNIT, "--nominee", "Nguyễn Văn A", "--at", "2025-11-20T09:00")),
    Case("dossier receive --nominee with a line break", (*_RECEIVE, "--unit", A_UNIT, "--nominee", "collective:Phòng\nNội vụ", "--at", "2025-11-20T09:00")),
    Case("dossier receive --at in the future", (*_RECEIVE, "--unit", A_UNIT, "--doc", "to_trinh", "--at", "2099-01-01T09:00")),
    Case("dossier receive --at year 1", (*_RECEIVE, "--unit", A_UNIT, "--doc", "to_trinh", "--at", "0001-01-01T00:00")),
    Case("dossier receive --at 9h sáng", (*_RECEIVE, "--unit", A_UNIT, "--doc", "to_trinh", "--at", "9h sáng")),
    Case("dossier receive --deliverable unknown", (*_RECEIVE, "--unit", A_UNIT, "--deliverable", "khong_co", "--at", "2025-11-20T09:00")),
    Case("register unit --person with a line break", ("register", "unit", *PY, "--unit", A_UNIT, "--person", "Nguyễn\nVăn A:Trưởng phòng", "--at", "2025-03-05T09:00")),
    Case("register unit --unit with capitals", ("register", "unit", *PY, "--unit", "LN-P-NOI-VU", "--at", "2025-03-05T09:00")),
    Case("cycle set-date --milestone unknown", ("cycle", "set-date", *PY, "--milestone", "khong_co", "--date", "2025-12-20")),
    Case("cycle set-date outside the cycle", ("cycle", "set-date", *PY, "--milestone", "par_announcement", "--date", "2031-12-20")),
    Case("cycle set-announcement --date 32/12/2025", ("cycle", "set-announcement", *PY, "--date", "32/12/2025")),
    Case("appraise for a year outside the plan", ("appraise", "--plan", PLAN, "--year", "2023")),
    Case("appraise --as-of 2025-13-01", ("appraise", *PY, "--as-of", "2025-13-01")),
    Case("appraise --out under a file", ("appraise", *PY, "--out", "a-file/out"), {"a-file": "x"}),
    Case("report annual --out under a file", ("report", "annual", *PY, "--out", "a-file-2/out"), {"a-file-2": "x"}),
    Case("report phase --out /proc", ("report", "phase", "--plan", PLAN, "--out", "/proc/thidua")),
    Case("outbox list --status bogus", ("outbox", "list", "--status", "bogus")),
    Case("outbox list --limit 0", ("outbox", "list", "--limit", "0")),
    Case("outbox list --limit 10^30", ("outbox", "list", "--limit", "1" + "0" * 30)),
    Case("outbox retry --id 0", ("outbox", "retry", "--id", "0")),
    Case("outbox retry --id 10^30", ("outbox", "retry", "--id", "1" + "0" * 30)),
    Case("outbox retry --id unknown", ("outbox", "retry", "--id", "424242")),
    Case("notify test --channel fax", ("notify", "test", "--channel", "fax", "--to", "a@b.vn")),
    Case("notify test --channel zalo --to a name", ("notify", "test", "--channel", "zalo", "--to", "Nguyễn Văn A")),
    Case("notify zalo-token --expires-in 1", ("notify", "zalo-token", "--expires-in", "1")),
    Case("notify zalo-token --from-file missing", ("notify", "zalo-token", "--from-file", "khong-co.json")),
    Case("notify zalo-token: one line on stdin", ("notify", "zalo-token"), stdin="chỉ-một-dòng\n", in_process=False),
    Case("notify zalo-token: NUL in a token", ("notify", "zalo-token"), stdin="acc\x00x\nref\n", in_process=False),
    Case("notify zalo-token: expires_in in words", ("notify", "zalo-token"), stdin='{"access_token": "a", "refresh_token": "r", "expires_in": "lâu"}', in_process=False),
    Case("settings: THIDUA_SMTP_PORT=abc", ("outbox", "retry", "--send"), env={"THIDUA_SMTP_PORT": "abc"}),
    Case("settings: THIDUA_DISPATCH_TIME=25:00", ("serve", "--embedded"), env={"THIDUA_DISPATCH_TIME": "25:00"}),
    Case("settings: THIDUA_CLAIM_TIMEOUT_S=0", ("outbox", "retry", "--send"), env={"THIDUA_CLAIM_TIMEOUT_S": "0"}),
    Case("settings: a database URL that does not parse", ("units", "list"), env={"THIDUA_DATABASE_URL": "khong-phai-url"}),
    Case("environment: a database that is down", ("units", "list"), env={"THIDUA_DATABASE_URL": "postgresql+psycopg://thidua:s3cret@127.0.0.1:1/thidua"}, code=1),
    Case("environment: a data folder that cannot be created", ("units", "list"), env={"THIDUA_DATA_DIR": "/proc/thidua", "THIDUA_DATABASE_URL": ""}, code=1),
    Case("environment: Prefect's temporary server too slow", ("tick", "--as-of", "2025-11-17"), env={"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "0"}, code=1, in_process=False),
]

CASES = PLAN_FILES + UNIT_FILES + SCORE_FILES + NOMINEE_FILES + REGISTRATION_FILES + ARGUMENTS


def prepare(folder: Path, plans: Path) -> None:
    """The plan (with a registration deliverable) in `plans` (the cases name it as plans/…), and every case's files
    under `folder`."""
    plans.mkdir(exist_ok=True)
    (plans / f"{PLAN}.yaml").write_text(_plan(**REGISTRATION), encoding="utf-8")
    (folder / "inputs").mkdir(exist_ok=True)
    for case in CASES:
        for name, content in case.files.items():
            path = folder / name
            if callable(content):
                content(path)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")


def written(engine: Engine) -> dict[str, int]:
    """Rows in the tables bad input must never touch."""
    from models import Nominee, Registrant, Registration, Score, Submission, Unit

    with Session(engine) as session:
        return {model.__name__: session.exec(select(func.count()).select_from(model)).one() for model in (Unit, Score, Nominee, Submission, Registration, Registrant)}


def bad_inputs(space: Workspace, outcome: Outcome) -> None:
    prepare(space.folder, space.plans)
    seed = outcome.count(space.thidua("units", "import", str(ROOT / "plans" / "units" / f"{PLAN}.csv"), "--plan", PLAN))
    outcome.check(seed.code == 0, f"the unit directory could not be imported: {seed.stderr[-200:]!r}")
    before = written(space.engine)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda case: space.thidua(*case.args, stdin=case.stdin, limit_s=120, **case.env), CASES))
    for case, run in zip(CASES, runs, strict=True):
        outcome.count(run)
        outcome.bad_inputs += 1
        outcome.clean_errors += run.clean_error
        outcome.check(run.clean_error, f"{case.label}: exit {run.code}, stderr {run.stderr.strip()[-160:]!r}")
        if run.clean_error and run.code != case.code:
            outcome.check(False, f"{case.label}: exit {run.code}, expected {case.code}")
    outcome.check(written(space.engine) == before, f"bad input changed the database: {before} → {written(space.engine)}")
    slowest = max(zip(runs, CASES, strict=True), key=lambda pair: pair[0].seconds)
    outcome.note(f"{len(CASES)} đầu vào sai; chậm nhất {slowest[0].seconds:.1f} s ({slowest[1].label}); cơ sở dữ liệu không đổi")
