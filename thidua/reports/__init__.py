"""Annual review and phase summary reports: one self-contained HTML file each, charts embedded."""

from thidua.reports.build import annual_report, phase_report

__all__ = ["annual_report", "phase_report"]
