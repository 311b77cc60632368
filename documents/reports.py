"""The annual review report (quarter I) and the phase summary: one self-contained HTML file each."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from documents.charts import bar_chart, distribution_chart
from thidua.appraisal.export import as_text, par_values, ranking_columns, ranking_rows
from thidua.appraisal.model import AppraisalResult
from thidua.plan.schema import Plan
from thidua.reports import MESSAGE_COLUMNS, OnTimeRate, ReportData
from thidua.words import BASIS, long_date, percent, scale
from thidua.words import NOMINEE as KIND_WORDS
from thidua.words import OUTCOME as OUTCOME_WORDS

ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=select_autoescape(["html", "j2"])
)
Cell = str | int | float


@dataclass(frozen=True)
class Section:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    chart: str | None = None
    intro: str = ""
    note: str = ""


def _rate(value: float | None) -> str:
    return percent(value) if value is not None else "chưa xác định hạn"


def _on_time_section(plan: Plan, rows: list[OnTimeRate], years: Sequence[int]) -> Section:
    names = plan.group_names
    series = {
        names[g.code]: [next((r.rate or 0.0 for r in rows if r.year == y and r.group == g.code), 0.0) for y in years]
        for g in plan.groups
    }
    categories = [str(y) for y in years] if len(years) > 1 else list(series)
    if len(years) == 1:
        series = {f"Năm {years[0]}": [values[0] for values in series.values()]}
    chart = bar_chart(categories, series, "Tỉ lệ hồ sơ đủ và đúng hạn", "Tỉ lệ", percent=True)
    return Section(
        "Tỉ lệ hồ sơ đề nghị khen thưởng đủ và đúng hạn, theo năm và nhóm",
        ("Năm", "Hạn nộp", "Nhóm", "Số đơn vị", "Đủ, đúng hạn", "Tỉ lệ"),
        [(r.year, r.deadline or "chưa xác định", names[r.group], r.units, r.on_time, _rate(r.rate)) for r in rows],
        chart,
        note="Đơn vị tính: các đơn vị còn tồn tại vào ngày hạn nộp; hồ sơ đủ các tài liệu bắt buộc trước khi hết ngày hạn.",
    )


def _messages_section(counts: dict[int, Counter[str]], years: Sequence[int]) -> Section:
    series = {label: [counts[y][label] for y in years] for label in MESSAGE_COLUMNS}
    chart = bar_chart([str(y) for y in years], series, "Tin nhắc hạn và đôn đốc đã gửi", "Số tin", stacked=True)
    rows = [(y, *(counts[y][label] for label in MESSAGE_COLUMNS), sum(counts[y].values())) for y in years]
    return Section("Nhắc hạn và đôn đốc đã gửi", ("Năm", *MESSAGE_COLUMNS, "Tổng"), rows if any(r[-1] for r in rows) else [], chart)


def _ranking_section(appraisals: dict[int, AppraisalResult], years: Sequence[int]) -> Section:
    """One year: the appraisal's ranking, row for row as in the XLSX; several years: the PAR INDEX spread."""
    values = {str(y): par_values(appraisals[y]) for y in years}
    chart = distribution_chart(values, "Phân bố Chỉ số CCHC")
    if len(years) == 1:
        result = appraisals[years[0]]
        columns = ranking_columns(result)
        rows = [tuple(row[c] for c in columns) for row in as_text(ranking_rows(result))]
        title = f"Xếp hạng theo {BASIS[result.basis]}, từng nhóm" + (": phân bố và xếp hạng" if chart else "")
        note = "Xếp hạng của lần thẩm định gần nhất: chỉ các đơn vị còn tồn tại vào ngày thẩm định (đơn vị đã sáp nhập xếp theo đơn vị tiếp nhận)."
        return Section(title, columns, rows, chart, note=note)
    rows = []
    for y, v in ((int(label), v) for label, v in values.items()):
        if v:
            shown = scale([min(v), sum(v) / len(v), max(v)])
            rows.append((y, len(v), percent(min(v), shown), percent(sum(v) / len(v), shown), percent(max(v), shown)))
    return Section("Phân bố Chỉ số CCHC qua các năm", ("Năm", "Số đơn vị", "Thấp nhất", "Trung bình", "Cao nhất"), rows, chart)


def _awards_section(plan: Plan, appraisals: dict[int, AppraisalResult], years: Sequence[int]) -> Section:
    label = {(a.form, a.nominee): f"{a.name} ({KIND_WORDS[a.nominee]})" for a in plan.awards}
    series = {
        text: [sum(1 for line in appraisals[y].listed if (line.award.form, line.award.nominee) == key) for y in years]
        for key, text in label.items()
    }
    chart = bar_chart([str(y) for y in years], series, "Số khen thưởng đề nghị theo năm", "Số đề nghị", stacked=True)
    rows = [
        (y, label[(line.award.form, line.award.nominee)], line.candidate.name, line.candidate.unit.code,
         line.rank if line.rank is not None else "", OUTCOME_WORDS[line.outcome], line.reasons[0] if line.reasons else "")
        for y in years
        for line in appraisals[y].proposals
    ]  # fmt: skip
    return Section(
        "Khen thưởng đề nghị",
        ("Năm", "Hình thức", "Tên", "Mã đơn vị", "Hạng", "Kết quả", "Lý do chính"),
        rows,
        chart,
        note="Biểu đồ đếm danh sách khen thưởng (kể cả do Hội đồng chọn, bổ sung); trường hợp đồng hạng chờ Hội đồng quyết định không được đếm.",
    )


def _write(title: str, subtitle: str, sections: list[Section], path: Path, today: date) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    html = ENV.get_template("report.html.j2").render(title=title, subtitle=subtitle, sections=sections, generated=long_date(today))
    path.write_text(html, encoding="utf-8")
    return path


def _sections(data: ReportData) -> list[Section]:
    plan, years = data.plan, data.years
    return [
        _on_time_section(plan, data.on_time, years),
        _messages_section(data.messages, years),
        _ranking_section(data.appraisals, years),
        _awards_section(plan, data.appraisals, years),
    ]


def write_annual_report(data: ReportData, out_dir: Path, today: date) -> Path:
    """The annual review report of one year: milestones, dossiers, chasing, PAR INDEX, proposals."""
    plan, year = data.plan, data.years[0]
    milestones = [(m.label, long_date(m.date) if m.date else "chưa xác định", m.rule) for m in data.milestones]
    sections = [Section("Các mốc của chu kỳ", ("Mốc", "Ngày", "Quy tắc áp dụng"), milestones), *_sections(data)]
    title = f"Báo cáo tổng kết phong trào thi đua cải cách hành chính năm {year}"
    return _write(title, f"{plan.title} — {plan.issuer}", sections, out_dir / f"tong-ket-{plan.code}-{year}.html", today)


def write_phase_report(data: ReportData, out_dir: Path, today: date) -> Path:
    """The phase summary over every cycle year of the plan, year by year."""
    plan, years = data.plan, data.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    title = f"Báo cáo sơ kết phong trào thi đua cải cách hành chính giai đoạn {span}"
    return _write(title, f"{plan.title} — {plan.issuer}", _sections(data), out_dir / f"so-ket-{plan.code}.html", today)
