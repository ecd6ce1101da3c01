"""The performance figures, one module each (``reports.selectors.FIGURES`` lists them).

Each figure is one function returning a small frozen dataclass, counted by aggregate
queries in the database (grouped and filtered there, never a Python loop over every
request). Each figure also gives itself as a ``Table``: the page shows it beneath the
chart and the CSV download is the same table.
"""
