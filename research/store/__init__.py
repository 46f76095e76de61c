"""The label store: de-identified conversations, machine suggestions,
append-only human reviews, users and roles, and the audit log.

SQLite in the data folder by default, PostgreSQL with ``DISCLOSURE_DB_URL``;
the schema is created and upgraded by the shipped Alembic migrations on first
use. Start with :func:`open_store` (see :mod:`research.store.store`).
"""

from research.store.audit import AuditAction, AuditDetailError, AuditRecord
from research.store.conversations import ConversationFilter
from research.store.engine import StoreUnavailableError
from research.store.labels import CurrentLabels, DisclosureLabel, Label, Source, derive_labels
from research.store.models import DecisionType, Kind, Role
from research.store.records import ConversationRecord, MachineSuggestions, NotDeidentifiedError, SuggestionFormatError
from research.store.reviews import Decision, ReviewError, SavedDecisions, StaleLabelsError
from research.store.roles import ROLE_PAGES, Page, can_open, pages_for
from research.store.runs import RunCounts
from research.store.store import Store, open_store
from research.store.users import NewUser, UserError, UserInfo
from research.store.views import ConversationSummary, ConversationView, MessageView, QueueItem, ReviewRecord

__all__ = [
    "StoreUnavailableError",
    "ROLE_PAGES", "AuditAction", "AuditDetailError", "AuditRecord", "ConversationFilter", "ConversationRecord",
    "ConversationSummary", "ConversationView", "CurrentLabels", "Decision", "DecisionType", "DisclosureLabel",
    "Kind", "Label", "MachineSuggestions", "MessageView", "NewUser", "NotDeidentifiedError", "Page", "QueueItem",
    "ReviewError", "ReviewRecord", "Role", "RunCounts", "SavedDecisions", "StaleLabelsError", "Source", "Store",
    "SuggestionFormatError", "UserError", "UserInfo", "can_open", "derive_labels", "open_store", "pages_for",
]
