"""The store as one object: repositories composed over one database.

    store = open_store()                       # DISCLOSURE_DB_URL or the SQLite file
    store.users.authenticate("anna", pw)       # -> UserInfo | None (audited)
    store.queue.next_for("anna")               # -> [QueueItem]
    view = store.conversations.get(cid)        # messages, suggestions, labels, label_version
    store.reviews.save(cid, "anna", view.label_version, [Decision.category("mobbing", "accept")])
    store.labels.categories()                  # DataFrame: final label per conversation x category
"""

from __future__ import annotations

from sqlalchemy import Engine

from research.store.assignments import Assignments
from research.store.audit import AuditLog
from research.store.conversations import Conversations
from research.store.engine import create_store_engine
from research.store.labels import Labels
from research.store.migrate import current_revision, upgrade
from research.store.queue import ReviewQueue
from research.store.reviews import Reviews
from research.store.runs import Runs
from research.store.session import Sessions
from research.store.users import Users


class Store:
    def __init__(self, engine: Engine, *, bcrypt_rounds: int | None = None):
        self.sessions = Sessions(engine)
        self.audit = AuditLog(self.sessions)
        self.users = Users(self.sessions, self.audit, bcrypt_rounds=bcrypt_rounds)
        self.conversations = Conversations(self.sessions)
        self.reviews = Reviews(self.sessions)
        self.queue = ReviewQueue(self.sessions)
        self.labels = Labels(self.sessions)
        self.assignments = Assignments(self.sessions)
        self.runs = Runs(self.sessions)

    @property
    def engine(self) -> Engine:
        return self.sessions.engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return current_revision(conn)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(url: str | None = None, *, bcrypt_rounds: int | None = None) -> Store:
    """Connect (``url``, else ``DISCLOSURE_DB_URL``, else the SQLite file in the
    data folder) and bring the schema up to date."""
    engine = create_store_engine(url)
    upgrade(engine)
    return Store(engine, bcrypt_rounds=bcrypt_rounds)
