"""Conversation scripts: the phases a synthetic conversation goes through.

A conversation is built as a list of :class:`Beat` (one phrase with its moves
and the cast it is filled from), phase by phase: opening → context → hints or
testing → the counsellor's open and direct questions → disclosure or not →
validation, information, advice, referral → closing. Which path it takes
(tells at once, tells when asked, only hints, a friend's story, a
hypothetical, a negation, a non-literal «dreper meg») is drawn from the
``disclosure`` section of the marginals. The channel decides the shape: a
dialogue (chat, SMS, phone) or a letter and its answer (e-mail, ung.no).

The gold labels follow from the script: the moves are those of the phrases
used, and ``actions`` are the actions whose phrases the counsellor says.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from research.corpus.synth_cast import CastMaker, Fill
from research.corpus.synth_marginals import Marginals, Metadata, Weighted
from research.corpus.synth_pii import pick
from research.corpus.synth_templates import CategoryScript, PhraseGroup, ScriptBook, TemplateError, Variant

LETTER_CHANNELS = ("epost", "ungno")


@dataclass(frozen=True, slots=True)
class Beat:
    speaker: str
    moves: tuple[str, ...]
    variant: Variant
    fill: Fill


@dataclass
class Topic:
    """One category of the conversation with its own cast overlay."""

    script: CategoryScript
    fill: Fill
    disclosed: bool = False

    def group(self, name: str) -> PhraseGroup | None:
        return self.script.groups.get(name)


@dataclass
class Scene:
    """The state one conversation is built in."""

    rng: random.Random
    book: ScriptBook
    meta: Metadata
    topics: list[Topic]
    path: str
    actions: list[str] = field(default_factory=list)
    beats: list[Beat] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # ids of template lines already said

    def __post_init__(self) -> None:
        self.main = self.topics[0]  # an attribute, not a property: read for every phrase

    @property
    def asides(self) -> list[Topic]:
        return self.topics[1:]

    # saying things -----------------------------------------------------------------------
    def say(self, group: PhraseGroup, topic: Topic | None = None, speaker: str | None = None) -> None:
        line = pick(self.rng, group.lines)
        for _ in range(3):  # the same line twice in one conversation reads like a machine
            if id(line) not in self.used:
                break
            line = pick(self.rng, group.lines)
        self.used.add(id(line))
        variant = line[0] if len(line) == 1 else pick(self.rng, line)
        fill = (topic or self.main).fill
        self.beats.append(Beat(speaker or group.speaker, group.moves, variant, fill))

    def common(self, name: str, topic: Topic | None = None, speaker: str | None = None) -> None:
        self.say(self.book.common[name], topic, speaker)

    def several(self, name: str, low: int, high: int) -> None:
        """Up to ``high`` different common phrases of one group (no line twice)."""
        group = self.book.common[name]
        count = min(self.rng.randint(low, high), len(group.lines))
        fill = self.main.fill
        for line in self.rng.sample(group.lines, count):
            variant = line[0] if len(line) == 1 else pick(self.rng, line)
            self.beats.append(Beat(group.speaker, group.moves, variant, fill))

    def own(self, topic: Topic, name: str, fallback: str | None = None, p_own: float = 1.0) -> bool:
        """Say the topic's own phrase (with probability p_own), else the common fallback."""
        group = topic.group(name)
        if group is not None and (fallback is None or self.rng.random() < p_own):
            self.say(group, topic)
            return True
        if fallback is not None:
            self.common(fallback, topic)
            return True
        return False

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


# --------------------------------------------------------------------------- actions


def draw_actions(rng: random.Random, book: ScriptBook, topics: list[Topic], adult: bool, letter: bool,
                 action_order: tuple[str, ...]) -> list[str]:
    """Actions in taxonomy order, drawn from the tables of the topics that call for them."""
    chosen: set[str] = set()
    for i, topic in enumerate(topics):
        if adult:
            situation = "adult"
        elif topic.disclosed:
            situation = "disclosed"
        elif i == 0:
            situation = "not_disclosed"
        else:
            continue  # an aside that was not disclosed does not change what the counsellor does
        table = topic.script.actions.get(situation) or topic.script.actions.get("not_disclosed", {})
        chosen.update(code for code, p in table.items() if rng.random() < p)
    if letter:  # nobody calls the police or an ambulance in reply to a letter
        chosen -= set(book.identity_actions) & set(book.acute_actions)
    if not chosen:
        chosen.add(book.advice_action)
    return [code for code in action_order if code in chosen]


# --------------------------------------------------------------------------- shared phases


def advise(sc: Scene, *, adult: bool = False, identity_given: bool = False) -> None:
    """Advice and referrals, one phrase group per action; identity first where an action needs it
    (unless the writer already gave it, as in a letter)."""
    book = sc.book
    acute = [a for a in sc.actions if a in book.acute_actions]
    if acute and not adult:
        sc.common("safety_q_perp" if sc.main.script.violence else "safety_q")
        sc.common("safe_now_perp" if sc.main.script.violence else "safe_now")
    if book.advice_action in sc.actions:
        if adult:
            sc.own(sc.main, "c_adult_advice", "c_adult_advice", 0.6)
        else:
            sc.own(sc.main, "c_advice", "advice", 0.7)
            if sc.chance(0.25):
                sc.common("advice")
    for action in sc.actions:
        if action == book.advice_action or action in book.identity_actions:
            continue
        if adult:
            sc.common("c_adult_referral")
        elif action == book.topic_referral_action and sc.main.group("c_referral") and sc.chance(0.7):
            sc.own(sc.main, "c_referral")
        elif book.referral(action):
            sc.say(book.referral(action), sc.main)
    identity = [a for a in sc.actions if a in book.identity_actions]
    if identity and not identity_given:
        sc.common("c_adult_identity_request" if adult else "identity_request")
        sc.several("adult_identity" if adult else "identity", 1, 3)
    for action in identity:
        report = book.common.get(f"c_adult_report_{action}") if adult else None
        sc.say(report or book.referral(action), sc.main)


def closing(sc: Scene, *, adult: bool = False) -> None:
    if sc.chance(0.8):
        sc.common("adult_closing" if adult else ("thanks_emotion" if sc.chance(0.25) else "thanks"))
    sc.common("closing_validate" if sc.chance(0.3) else "closing")


def tell_asides(sc: Scene, *, counsellor_reacts: bool = True) -> None:
    """Each further topic: the child mentions it (or tells it, for violence), the counsellor takes it up."""
    for topic in sc.asides:
        if topic.disclosed:
            sc.own(topic, "aside_disclosure")
        else:
            sc.own(topic, "aside")
            if sc.chance(0.3):
                sc.own(topic, "emotion", "emotion", 0.5)
        if counsellor_reacts:
            if topic.disclosed:
                sc.common("validate_disclosure", topic)
            else:
                sc.own(topic, "c_reflect", "reflect", 0.7)
            if sc.chance(0.45):
                sc.own(topic, "c_info")
            elif sc.chance(0.4):
                sc.common("open_q", topic)


# --------------------------------------------------------------------------- children, in dialogue


class ChildDialogue:
    """A child in chat, SMS or on the phone."""

    def build(self, sc: Scene) -> None:
        self.opening(sc)
        getattr(self, f"path_{sc.path}")(sc)
        if sc.chance(0.08):  # «kan dere sende meg en mail på …»
            sc.common("contact_detail")
            sc.common("contact_reply")
        closing(sc)

    @staticmethod
    def opening(sc: Scene) -> None:
        roll = sc.rng.random()
        greet = "greeting_name" if sc.chance(0.35) else "greeting"
        if roll < 0.5:
            sc.common(greet)
            sc.common("opening_named" if greet == "greeting_name" and sc.chance(0.6) else "opening")
        elif roll < 0.85:
            sc.common("opening")
            sc.common(greet)
        else:
            sc.common("opening")
        if sc.chance(0.22):
            sc.common("test_early")
            sc.common("confidential" if sc.chance(0.5) else "confidential_info")
            if sc.chance(0.5):
                sc.common("open_q")

    @staticmethod
    def context(sc: Scene, low: int = 1, high: int = 2) -> None:
        for _ in range(sc.rng.randint(low, high)):
            sc.own(sc.main, "context")
        if sc.chance(0.45):
            sc.common("about_me")

    @staticmethod
    def after_disclosure(sc: Scene) -> None:
        sc.own(sc.main, "c_info")
        if sc.chance(0.3):
            sc.common("info_rights")
        if sc.chance(0.35):
            sc.common("test_late")
            sc.common("confidential_info")
        if sc.chance(0.4):
            sc.common("trusted_q")
            sc.common("plan")
        if sc.chance(0.7):
            sc.own(sc.main, "help", "help", 0.5)
        advise(sc)
        if sc.chance(0.4):
            sc.common("plan")

    def path_early(self, sc: Scene) -> None:
        if sc.chance(0.4):
            self.context(sc, 1, 1)
        sc.own(sc.main, "disclosure")
        if sc.chance(0.6):
            sc.own(sc.main, "detail")
        if sc.chance(0.5):
            sc.own(sc.main, "emotion", "emotion", 0.6)
        sc.common("validate_disclosure")
        if sc.chance(0.6):
            sc.common("open_q")
            sc.own(sc.main, "detail" if sc.chance(0.5) else "context")
        tell_asides(sc)
        self.after_disclosure(sc)

    def path_after_questions(self, sc: Scene) -> None:
        self.context(sc)
        sc.own(sc.main, "hint")
        if sc.chance(0.4):
            sc.own(sc.main, "emotion", "emotion", 0.5)
        if sc.chance(0.6):
            sc.own(sc.main, "c_reflect", "reflect", 0.5)
        else:
            sc.common("validate")
        sc.common("open_q")
        sc.own(sc.main, "hint" if sc.chance(0.6) else "context")
        if sc.chance(0.2):
            sc.common("test_early")
            sc.common("confidential_info")
        asides_first = sc.chance(0.5)
        if asides_first:
            tell_asides(sc)
        if sc.chance(0.4):
            sc.common("validate")
        sc.own(sc.main, "c_direct_q")
        sc.own(sc.main, "disclosure")
        if sc.chance(0.6):
            sc.own(sc.main, "detail")
        if sc.chance(0.3):
            sc.common("minimize")
        sc.common("validate_disclosure")
        if sc.chance(0.4):
            sc.common("normalize")
        if not asides_first:
            tell_asides(sc)
        self.after_disclosure(sc)

    def path_hints_only(self, sc: Scene) -> None:
        self.context(sc)
        for _ in range(sc.rng.randint(1, 2)):
            sc.own(sc.main, "hint")
        if sc.chance(0.4):
            sc.own(sc.main, "emotion", "emotion", 0.5)
        sc.own(sc.main, "c_reflect", "reflect", 0.5)
        sc.common("open_q")
        sc.own(sc.main, "hint" if sc.chance(0.5) else "context")
        sc.own(sc.main, "c_direct_q")
        sc.common("refuse")
        if sc.chance(0.5):
            sc.common("minimize")
        sc.common("validate")
        if sc.chance(0.5):
            sc.common("confidential")
        if sc.chance(0.5):
            sc.common("info_rights")
        tell_asides(sc)
        if sc.chance(0.35):
            sc.common("help")
        advise(sc)

    def path_friend(self, sc: Scene) -> None:
        for _ in range(sc.rng.randint(1, 2)):
            sc.own(sc.main, "friend")
        sc.common("friend_validate")
        if sc.chance(0.6):
            sc.common("open_q")
            sc.common("emotion")
        sc.own(sc.main, "c_info")
        sc.common("friend_advice")
        tell_asides(sc)
        if sc.chance(0.5):
            sc.common("help")
        advise(sc)
        if sc.chance(0.6):
            sc.common("plan")

    def path_hypothetical(self, sc: Scene) -> None:
        sc.own(sc.main, "hypothetical")
        if sc.chance(0.4):
            sc.common("refuse" if sc.chance(0.5) else "minimize")
        sc.own(sc.main, "c_hypothetical", "hypothetical_info")
        if sc.chance(0.4):
            sc.common("confidential_info")
        if sc.chance(0.5):
            sc.own(sc.main, "hypothetical")
            sc.own(sc.main, "c_info")
        if sc.chance(0.5):
            sc.common("open_q")
            sc.common("refuse")
        tell_asides(sc)
        advise(sc)

    def path_topic(self, sc: Scene, negative: str = "none") -> None:
        """A topic that is not violence (the main one), with a hard negative mixed in or not."""
        self.context(sc)
        if negative == "non_literal":
            sc.common("non_literal")
            sc.common("non_literal_check")
            sc.common("non_literal_clarify")
            if sc.chance(0.3):
                sc.common("negation")
            sc.common("negation_ack")
        if sc.chance(0.6):
            sc.own(sc.main, "hint")
            sc.own(sc.main, "c_reflect", "reflect", 0.6)
            sc.common("open_q")
        if sc.chance(0.75):
            sc.own(sc.main, "reveal")
        if sc.chance(0.5):
            sc.own(sc.main, "emotion", "emotion", 0.6)
        if sc.main.group("c_direct_q") and sc.chance(0.6):
            sc.own(sc.main, "c_direct_q")
            if not sc.own(sc.main, "reveal"):
                sc.own(sc.main, "context")
            if sc.chance(0.4):
                sc.own(sc.main, "minimize_own")
        if negative == "negation":
            sc.common("direct_q_general")
            sc.common("negation")
            sc.common("negation_ack")
        tell_asides(sc)
        sc.common("validate")
        if sc.chance(0.5):
            sc.common("normalize")
        sc.own(sc.main, "c_info")
        if sc.chance(0.75):
            sc.own(sc.main, "help", "help", 0.6)
        advise(sc)
        if sc.chance(0.3):
            sc.common("plan")

    path_none = path_topic

    def path_negation(self, sc: Scene) -> None:
        self.path_topic(sc, "negation")

    def path_non_literal(self, sc: Scene) -> None:
        self.path_topic(sc, "non_literal")


# --------------------------------------------------------------------------- adults and general questions


class AdultDialogue:
    """An adult worried about a child (contact type voksen)."""

    def build(self, sc: Scene) -> None:
        main = sc.main
        if sc.chance(0.5):
            sc.common("c_adult_opening")
            if sc.chance(0.5):
                sc.common("adult_greeting")
            sc.own(main, "adult_context")
        else:
            sc.common("adult_greeting")
            sc.own(main, "adult_context")
            sc.common("c_adult_opening" if sc.chance(0.4) else "c_adult_validate")
        self.story(sc)
        for topic in sc.asides:
            sc.own(topic, "adult_concern")
        if sc.chance(0.5):
            sc.common("adult_emotion")
        sc.own(main, "c_adult_info", "c_adult_info", 0.6)
        if sc.chance(0.3):
            sc.common("adult_test")
            sc.common("c_adult_info")
        sc.common("adult_help")
        advise(sc, adult=True)
        if sc.chance(0.5):
            sc.common("adult_plan")
        closing(sc, adult=True)

    @staticmethod
    def story(sc: Scene) -> None:
        main = sc.main
        if sc.path in ("witnessed", "told"):
            if sc.chance(0.5):
                sc.own(main, "adult_concern")
            sc.own(main, f"adult_{sc.path}")
            sc.common("c_adult_validate")
        else:
            sc.own(main, "adult_concern")
            sc.common("c_adult_open_q" if sc.chance(0.5) else "c_adult_closed_q")
            sc.own(main, "adult_concern")


class GeneralQuestion:
    """Someone asking on general grounds (contact type annen): a student, a professional."""

    def build(self, sc: Scene) -> None:
        if sc.chance(0.4):
            sc.common("c_adult_opening")
        sc.common("annen_intro")
        sc.common("annen_question")
        sc.common("c_annen_info")
        sc.own(sc.main, "c_adult_info")
        if sc.chance(0.4):
            sc.common("annen_question")
            sc.common("c_annen_info")
        closing(sc, adult=True)


# --------------------------------------------------------------------------- letters (e-mail, ung.no)


class ChildLetter:
    """A child's e-mail or ung.no question and the counsellor's answer."""

    def build(self, sc: Scene) -> None:
        main = sc.main
        if sc.chance(0.7):
            sc.common("letter_greeting")
        if sc.chance(0.4):
            sc.common("about_me")
        for _ in range(sc.rng.randint(1, 2)):
            sc.own(main, "context")
        self.story(sc)
        tell_asides(sc, counsellor_reacts=False)
        if sc.chance(0.6):
            sc.own(main, "emotion", "emotion", 0.5)
        tested = sc.chance(0.25)
        if tested:
            sc.common("test_early")
        sc.own(main, "help", "help", 0.5)
        if any(a in sc.book.identity_actions for a in sc.actions):
            sc.several("identity", 1, 2)
        if sc.chance(0.6):
            sc.common("letter_signoff", speaker="user")
        self.answer(sc, tested)
        if sc.meta.channel == "epost" and sc.chance(0.35):
            sc.common("letter_thanks")
            if sc.chance(0.4):
                sc.common("plan")
            sc.common("closing")

    @staticmethod
    def story(sc: Scene) -> None:
        main, path = sc.main, sc.path
        if path in ("early", "after_questions"):
            if sc.chance(0.4):
                sc.own(main, "hint")
            sc.own(main, "disclosure")
            if sc.chance(0.5):
                sc.own(main, "detail")
            if sc.chance(0.2):
                sc.common("minimize")
        elif path == "hints_only":
            for _ in range(sc.rng.randint(1, 2)):
                sc.own(main, "hint")
            if sc.chance(0.5):
                sc.common("minimize")
        elif path in ("friend", "hypothetical"):
            for _ in range(sc.rng.randint(1, 2)):
                sc.own(main, path)
        else:
            if sc.chance(0.5):
                sc.own(main, "hint")
            if sc.chance(0.7):
                sc.own(main, "reveal")
            if path == "negation":
                sc.common("negation")
            elif path == "non_literal":
                sc.common("non_literal")

    @staticmethod
    def answer(sc: Scene, tested: bool) -> None:
        sc.common("letter_opening")
        sc.common("validate_disclosure" if sc.main.disclosed else "validate")
        if sc.chance(0.4):
            sc.own(sc.main, "c_reflect", "reflect", 0.7)
        sc.own(sc.main, "c_info")
        if sc.path in ("friend",):
            sc.common("friend_advice")
        elif sc.path == "hypothetical":
            sc.own(sc.main, "c_hypothetical", "hypothetical_info")
        if tested:
            sc.common("confidential_info")
        for topic in sc.asides:
            sc.own(topic, "c_info")
        advise(sc, identity_given=True)
        sc.common("letter_closing")


class AdultLetter:
    """An adult's (or a general) e-mail and the counsellor's answer."""

    def build(self, sc: Scene) -> None:
        main = sc.main
        if sc.chance(0.6):
            sc.common("adult_greeting")
        if sc.meta.contact_type == "annen":
            sc.common("annen_intro")
            sc.common("annen_question")
        else:
            sc.own(main, "adult_context")
            self.story(sc)
            if sc.chance(0.4):
                sc.common("adult_emotion")
            sc.common("adult_help")
            if any(a in sc.book.identity_actions for a in sc.actions):
                sc.several("adult_identity", 1, 3)
        if sc.chance(0.7):
            sc.common("adult_signoff", speaker="user")
        sc.common("letter_opening")
        if sc.meta.contact_type == "annen":
            sc.common("c_annen_info")
            sc.own(main, "c_adult_info")
        else:
            sc.common("c_adult_validate")
            sc.own(main, "c_adult_info", "c_adult_info", 0.6)
        advise(sc, adult=True, identity_given=True)
        sc.common("letter_closing")

    @staticmethod
    def story(sc: Scene) -> None:
        main = sc.main
        if sc.path in ("witnessed", "told"):
            if sc.chance(0.5):
                sc.own(main, "adult_concern")
            sc.own(main, f"adult_{sc.path}")
        else:
            for _ in range(sc.rng.randint(1, 2)):
                sc.own(main, "adult_concern")
        for topic in sc.asides:
            sc.own(topic, "adult_concern")


# --------------------------------------------------------------------------- choosing a script


class SceneMaker:
    """Casts a conversation, draws its path and actions, and runs the script that fits."""

    def __init__(self, book: ScriptBook, marginals: Marginals, casts: CastMaker, action_order: tuple[str, ...]) -> None:
        self.book = book
        self.casts = casts
        self.action_order = action_order
        d = marginals.disclosure
        self.child_paths = Weighted(d["child_paths"])
        self.child_negatives = Weighted(d["child_negatives"])
        self.adult_paths = Weighted(d["adult_paths"])
        self.aside_disclosed = d["aside_disclosed"]
        self.scripts = {
            ("child", "dialogue"): ChildDialogue(), ("child", "letter"): ChildLetter(),
            ("voksen", "dialogue"): AdultDialogue(), ("voksen", "letter"): AdultLetter(),
            ("annen", "dialogue"): GeneralQuestion(), ("annen", "letter"): AdultLetter(),
        }

    def path(self, rng: random.Random, meta: Metadata, main: Topic) -> str:
        if meta.contact_type == "annen":
            return "general"
        if meta.adult:
            return self.adult_paths.draw(rng) if main.script.violence else "suspicion"
        if main.script.violence:
            return self.child_paths.draw(rng)
        negative = self.child_negatives.draw(rng)
        return negative if negative in main.script.hard_negatives else "none"

    def make(self, rng: random.Random, meta: Metadata, year: int) -> Scene:
        base = self.casts.base(rng, gender=meta.gender, age=meta.age, adult=meta.adult, year=year)
        topics = []
        for code in meta.categories:
            script = self.book.categories[code]
            topics.append(Topic(script, self.casts.overlay(rng, base, script.perps, script.topics)))
        sc = Scene(rng, self.book, meta, topics, path="")
        sc.path = self.path(rng, meta, topics[0])
        if meta.contact_type == "voksen":
            topics[0].disclosed = sc.path in ("witnessed", "told")
        elif not meta.adult:
            topics[0].disclosed = sc.path in ("early", "after_questions")
            for topic in topics[1:]:
                topic.disclosed = topic.script.violence and rng.random() < self.aside_disclosed
        letter = meta.channel in LETTER_CHANNELS
        sc.actions = draw_actions(rng, self.book, topics, meta.adult, letter, self.action_order)
        if meta.contact_type == "annen":
            sc.actions = [self.book.advice_action]
        who = "child" if not meta.adult else meta.contact_type
        self.scripts[(who, "letter" if letter else "dialogue")].build(sc)
        book = self.book
        if book.advice_action not in sc.actions and any(book.advice_move in b.moves for b in sc.beats):
            sc.actions = [a for a in self.action_order if a in sc.actions or a == book.advice_action]
        return sc


# --------------------------------------------------------------------------- checks


def check_coverage(book: ScriptBook, marginals: Marginals) -> None:
    """Every topic the marginals can draw must have the phrases its scripts need."""
    problems = []
    voksen = {c for c, n in marginals.raw["categories"]["voksen"]["counts"].items() if n > 0}
    for code, script in book.categories.items():
        need = ["context", "hint", "c_info", "aside"]
        situations = ["not_disclosed"]
        if script.violence:
            need += ["disclosure", "detail", "friend", "hypothetical", "c_direct_q", "aside_disclosure"]
            situations.append("disclosed")
        if code in voksen:
            need += ["adult_context", "adult_concern"] + (["adult_witnessed", "adult_told"] if script.violence else [])
            situations.append("adult")
        problems += [f"{code}: no phrase group {name!r}" for name in need if name not in script.groups]
        problems += [f"{code}: unknown hard negative {n!r}" for n in script.hard_negatives
                     if n not in marginals.disclosure["child_negatives"]]
        problems += [f"{code}: no actions for {s!r}" for s in situations if s not in script.actions]
        for table in script.actions.values():
            problems += [f"{code}: no referral phrases for action {a!r}" for a in table
                         if a != book.advice_action and book.referral(a) is None]
    d = marginals.disclosure
    paths = [*d["child_paths"], *d["child_negatives"]]
    problems += [f"disclosure: no script for the path {p!r}" for p in paths if not hasattr(ChildDialogue, f"path_{p}")]
    problems += [f"disclosure.adult_paths: no phrases for {p!r}" for p in d["adult_paths"]
                 if p != "suspicion" and any(f"adult_{p}" not in book.categories[c].groups
                                            for c in voksen if book.categories[c].violence)]
    if problems:
        raise TemplateError("synthetic scripts do not cover the marginals:\n  " + "\n  ".join(problems))
