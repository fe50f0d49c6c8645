"""年度消保培训总结: a plan year's consumer-protection training of a unit's staff as of a day,
as tables (``report``: who was covered and compliant, by staff group, position and unit; hours
against the plan; quizzes; offline sessions; exemptions and corrections; the record chain),
rendered as an A4 PDF (``pdf``) and a workbook (``xlsx``)."""
