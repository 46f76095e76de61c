"""Widgets of the Review page (app_pages/review.py composes them)."""
