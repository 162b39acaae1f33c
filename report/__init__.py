"""Knowledge-base report ("kunnskapsgrunnlag") for an SLT action plan or the politiråd.

``analysis.findings`` turns figures into ranked Norwegian sentences; ``report.build`` assembles
tables, charts, findings, sources and the data version; ``report.writers`` renders md, html,
docx, pdf and csv.  Reads the store read-only; never imported by ``etl``.
"""
