"""Documents for people outside the app: the annual report as one
self-contained HTML file with charts (:mod:`.html_report`, :mod:`.documents`).

Every number comes from :mod:`research.analysis`, already suppressed; this
room lays the tables out and draws the charts, and computes nothing itself
(the analysis room must not draw).
"""
