"""The evaluation report as documents: a Word file with pictures of its charts, native charts in a workbook.

Both are rendered from the evaluation's JSON body (GET /api/v1/plans/{id}/evaluation?year=Y) and nothing
else: docs/REPORTS.md.
"""
