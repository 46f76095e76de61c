"""Shared widgets of the explorer pages (Trends, 11–13, Disclosure analysis, Annual report, Agreement, Models)."""
