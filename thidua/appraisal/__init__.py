"""The standing agency's appraisal as pure rules: eligibility, rankings and awards within quotas.

`engine.appraise` takes the units as plain values and returns an `AppraisalResult`; `export` turns a
result into JSON, rows and Markdown. Reading the database is `models.queries.appraisal`; the XLSX and
DOCX files are written by `documents`.
"""
