"""Research data platform for studies of how children disclose violence."""

__version__ = "0.1.0"
