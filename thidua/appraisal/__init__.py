"""The standing agency's appraisal as pure rules: eligibility, rankings on the plan's basis, awards within quotas,
and the emulation and commendation council's decisions applied to them.

`engine.appraise` takes the units (with their facts, people's records and dossiers) and the council's decisions
as plain values and returns an `AppraisalResult`; `counts` states it in numbers and words, `export` as JSON,
rows and Markdown. Reading the database is `models.queries.appraisal`; the XLSX and DOCX files are written by
`documents`.
"""
