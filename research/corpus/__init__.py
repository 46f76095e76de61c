"""Corpora the platform is trained and demonstrated on: the hand-written seed
corpus (authored with inline PII markup) and the calibrated synthetic generator."""
