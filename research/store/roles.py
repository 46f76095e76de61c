"""Which role may open which page of the app, as data.

The app asks :func:`can_open` before rendering a page; the store asks it
before accepting a review. Changing who sees what is an edit of
:data:`ROLE_PAGES`, not of code.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from research.store.models import Role


class Page(StrEnum):
    review = "review"  # the review queue and saving decisions
    explore = "explore"  # trends and the conversation explorer
    export = "export"  # downloading (suppressed) tables
    models = "models"  # model registry, evaluation
    users = "users"  # user administration
    audit = "audit"  # the audit log


ROLE_PAGES: MappingProxyType[Role, frozenset[Page]] = MappingProxyType({
    Role.counsellor: frozenset({Page.review}),
    Role.researcher: frozenset({Page.explore, Page.export, Page.review}),
    Role.data_scientist: frozenset({Page.models, Page.explore}),
    Role.admin: frozenset(Page),
})


def pages_for(role: Role | str) -> frozenset[Page]:
    return ROLE_PAGES[Role(role)]


def can_open(role: Role | str, page: Page | str) -> bool:
    return Page(page) in pages_for(role)
