"""A small review store for the app's tests: users of every role with random
passwords, and de-identified conversations with machine suggestions, stored
through the store's API. All text is invented and non-graphic."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from research.contracts import Conversation, load_taxonomy
from research.store import ConversationRecord, MachineSuggestions, Store

MODEL = "disclosure-classifier/test"
FAST_BCRYPT = 4  # the minimum cost: logins in the tests stay fast

USERS = {"anna": "counsellor", "bo": "counsellor", "rolf": "researcher", "dina": "data_scientist", "adam": "admin"}

# (id, channel, age, gender, start, [(speaker, text, [(move, score)])], {category: score}, (turn, score))
CONVERSATIONS = [
    ("APP-001", "chat", 12, "jente", "2024-03-14T19:22:00", [
        ("counsellor", "Hei, du har kommet til chatten. Hva vil du snakke om i dag?", [("C_OPENING", 0.93)]),
        ("user", "hei. jeg heter <PERSON_1> og går på <ORGANIZATION_1>", [("U_GREETING", 0.81)]),
        ("counsellor", "Så fint at du skriver, <PERSON_1>. Fortell gjerne mer.", [("C_OPEN_Q", 0.74)]),
        ("user", "det er mye krangling hjemme og jeg er lei meg", [("U_CONTEXT", 0.66), ("U_EMOTION", 0.52)]),
        ("counsellor", "Det høres vanskelig ut. Har noen voksne gjort deg vondt?", [("C_DIRECT_Q", 0.71)]),
        ("user", "pappa slo meg i går da han var sint", [("U_DISCLOSURE", 0.48)]),
        ("counsellor", "Takk for at du forteller det. Det er ikke din skyld.", [("C_VALIDATE", 0.88)]),
        ("user", "ok. takk", [("U_CLOSING", 0.77)]),
    ], {"vold_foreldre": 0.58, "konflikt_foreldre": 0.61, "depresjon_angst": 0.34}, (3, 0.55)),
    ("APP-002", "sms", 15, "gutt", "2024-05-02T15:05:00", [
        ("user", "noen i klassen tuller med meg hele tiden", [("U_CONTEXT", 0.71)]),
        ("counsellor", "Så leit å høre. Hvor lenge har det holdt på?", [("C_OPEN_Q", 0.69)]),
        ("user", "siden høsten. de skriver ting om meg på <USERNAME_1>", [("U_DISCLOSURE", 0.63)]),
        ("counsellor", "Har du fortalt det til en voksen på skolen?", [("C_CLOSED_Q", 0.75)]),
    ], {"mobbing": 0.92, "nettovergrep": 0.21}, (2, 0.81)),
    ("APP-003", "telefon", 9, "ikke_oppgitt", "2024-06-20T11:40:00", [
        ("counsellor", "Hei, du snakker med en voksen her. Hva tenker du på?", [("C_OPENING", 0.9)]),
        ("user", "jeg er redd for mørket og får ikke sove", [("U_EMOTION", 0.8)]),
        ("counsellor", "Mange er redde for mørket. Hva pleier å hjelpe deg?", [("C_NORMALIZE", 0.62)]),
    ], {"sorg_ensomhet_frykt": 0.97}, (None, 0.03)),
    ("APP-004", "chat", 13, "jente", "2024-08-09T21:10:00", [
        ("user", "mamma og pappa skal skilles", [("U_CONTEXT", 0.85)]),
        ("counsellor", "Det er mye å ta inn. Hvordan har du det med det?", [("C_OPEN_Q", 0.81)]),
        ("user", "vet ikke. jeg vil bo hos begge", [("U_EMOTION", 0.57)]),
    ], {"samlivsbrudd": 0.95, "konflikt_foreldre": 0.35}, (None, 0.08)),
]


@dataclass
class SeededStore:
    passwords: dict[str, str] = field(default_factory=dict)
    conversation_ids: list[str] = field(default_factory=list)

    def role_of(self, username: str) -> str:
        return USERS[username]


def record(cid, channel, age, gender, start, messages, category_scores, disclosure, *,
           threshold: float = 0.5) -> ConversationRecord:
    """A stored conversation whose model suggests every category scoring at least
    ``threshold``, and hands the store that threshold with its suggestions."""
    tax = load_taxonomy()
    started = datetime.fromisoformat(start)
    conversation = Conversation.model_validate({
        "conversation_id": cid, "channel": channel, "started_at": start, "age": age, "gender": gender,
        "contact_type": "barn", "deidentified": True,
        "messages": [{"speaker": speaker, "text": text, "sent_at": (started + timedelta(minutes=i)).isoformat()}
                     for i, (speaker, text, _) in enumerate(messages)],
    })
    scores = {code: category_scores.get(code, 0.02) for code in tax.category_codes}
    turn, disclosure_score = disclosure
    suggested = sorted((c for c, s in scores.items() if s >= threshold), key=lambda c: -scores[c])
    suggestions = MachineSuggestions.from_contract(
        {"model": MODEL, "categories": [{"code": c, "score": scores[c]} for c in suggested],
         "category_scores": scores, "disclosure_turn": turn, "disclosure_score": disclosure_score},
        [[{"code": code, "score": score} for code, score in moves] for _, _, moves in messages],
        len(messages), {"category_thresholds": dict.fromkeys(scores, threshold)})
    return ConversationRecord(conversation, suggestions)


def seed(store: Store) -> SeededStore:
    seeded = SeededStore()
    for username, role in USERS.items():
        password = secrets.token_urlsafe(12)
        store.users.add(username, role, password)
        seeded.passwords[username] = password
    for row in CONVERSATIONS:
        store.conversations.add(record(*row))
        seeded.conversation_ids.append(row[0])
    return seeded
