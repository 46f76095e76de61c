"""The cast of one synthetic conversation: who and where, as slot fillings.

Every template slot maps to ``(surface, pii_type)``; ``pii_type`` is None for
ordinary words (kinship, pronouns, ages) and an entity code for personal data,
which then becomes a gold PII span wherever the slot is used. The cast is
drawn once per conversation so that a name, school or phone number stays the
same throughout. Each topic adds its own overlay (who does what, pronouns),
so a bullying aside and a home-violence story do not share a «perp».
"""

from __future__ import annotations

import random

from research.corpus.synth_pii import BirthIds, PiiPools, pick

Fill = dict[str, tuple[str, str | None]]

# Non-personal slots the cast fills (personal-data slots are listed in lexicon.yaml).
PERSON_SLOTS = ("han", "ham", "hans")
WORD_SLOTS = (
    "age", "age_next", "age_sib", "grade", "sib", "trusted", "platform", "weekday", "parent", "venn",
    "child_word", "barnet", "topic", "perp", "other_parent",
    *PERSON_SLOTS,
    *(f"{who}_{p}" for who in ("p", "v", "b", "o") for p in PERSON_SLOTS),
)
GENDER_OF = {"jente": "f", "gutt": "m"}


def grade_of(age: int) -> str:
    if age <= 6:
        return "1. klasse"
    if age <= 15:
        return f"{age - 5}. klasse"
    return f"VG{min(age - 15, 3)}"


class Cast(dict):
    """A conversation's shared cast; a slot is drawn the first time a phrase uses it.

    Most slots are never used in a given conversation, so drawing them lazily
    saves most of the cast's cost. Draws use the conversation's own generator
    in the (deterministic) order the phrases are rendered.
    """

    def __init__(self, maker: CastMaker, rng: random.Random, *, child_g: str, age: int, year: int) -> None:
        super().__init__()
        self.maker, self.rng, self.child_g, self.age, self.year = maker, rng, child_g, age, year

    def __missing__(self, slot: str) -> tuple[str, str | None]:
        self.maker.drawers[slot](self)  # fills the slot (and the slots drawn with it)
        return dict.__getitem__(self, slot)


class TopicCast(dict):
    """One topic's own slots (who does it, pronouns) over the shared cast."""

    def __init__(self, shared: Cast, own: Fill) -> None:
        super().__init__(own)
        self.shared = shared

    def __missing__(self, slot: str) -> tuple[str, str | None]:
        return self.shared[slot]


class CastMaker:
    """Draws a conversation's cast from the seed's PII pools and the lexicon."""

    def __init__(self, pools: PiiPools, lexicon: dict, pii_slots: dict[str, str]) -> None:
        self.pools, self.lexicon, self.pii = pools, lexicon, pii_slots
        p = pools
        picks = {  # slots that are one draw from one pool
            "area": p.places.areas, "address": p.places.addresses, "abroad": p.places.abroad,
            "club": p.organizations.clubs, "kindergarten": p.organizations.kindergartens,
            "phone": p.phones.numbers, "email": p.emails.addresses, "username": p.usernames.handles,
            "my_username": p.usernames.handles, "url": p.urls.links, "trusted": lexicon["trusted"],
            "platform": lexicon["platforms"], "weekday": lexicon["weekdays"],
        }
        self.drawers = {slot: self._picker(slot, pool) for slot, pool in picks.items()}
        for drawer, slots in (
            (self._child_name, ("name", "full_name")), (self._friend, ("friend", "venn", "v_han", "v_ham", "v_hans")),
            (self._sibling, ("sib", "sib_name")), (self._caller, ("caller_name", "caller_full")),
            (self._town, ("place", "postal")), (self._birth, ("dob", "fnr")),
            (self._parent, ("parent", "p_han", "p_ham", "p_hans")), (self._counsellor, ("counsellor",)),
            (self._school, ("school",)), (self._perp_phone, ("perp_phone",)), (self._ages, ("age_next", "age_sib")),
        ):
            self.drawers.update(dict.fromkeys(slots, drawer))

    # one drawer per group of slots that belong together ----------------------------------
    def _set(self, cast: Cast, slot: str, value: str) -> None:
        dict.__setitem__(cast, slot, (value, self.pii.get(slot)))

    def _pronouns(self, prefix: str, gender: str) -> Fill:
        return {f"{prefix}{key}": (value, None) for key, value in self.lexicon["pronouns"][gender].items()}

    def _picker(self, slot: str, pool):
        def draw(cast: Cast) -> None:
            self._set(cast, slot, pick(cast.rng, pool))
        return draw

    def _child_name(self, cast: Cast) -> None:
        names, rng = self.pools.names, cast.rng
        first, surname = names.child(rng, cast.child_g), names.surname(rng)
        self._set(cast, "name", first)
        self._set(cast, "full_name", f"{first} {surname}" if rng.random() < 0.85 else f"{first} {names.surname(rng)} {surname}")

    def _friend(self, cast: Cast) -> None:
        rng = cast.rng
        gender = cast.child_g if rng.random() < 0.7 else ("m" if cast.child_g == "f" else "f")
        self._set(cast, "friend", self.pools.names.child(rng, gender))
        self._set(cast, "venn", pick(rng, self.lexicon["venner"][gender]))
        cast.update(self._pronouns("v_", gender))

    def _sibling(self, cast: Cast) -> None:
        words, gender = pick(cast.rng, self.lexicon["siblings"])
        self._set(cast, "sib", words)
        self._set(cast, "sib_name", self.pools.names.child(cast.rng, gender))

    def _caller(self, cast: Cast) -> None:
        names, rng = self.pools.names, cast.rng
        caller = names.adult(rng, pick(rng, "fm"))
        self._set(cast, "caller_name", caller)
        self._set(cast, "caller_full", f"{caller} {names.surname(rng)}")

    def _town(self, cast: Cast) -> None:
        town = self.pools.places.town(cast.rng)
        self._set(cast, "place", town)
        self._set(cast, "postal", self.pools.places.postal(cast.rng, town))

    def _birth(self, cast: Cast) -> None:
        rng = cast.rng
        number, born = self.pools.birth_ids.draw(rng, cast.year - cast.age - (rng.random() < 0.5))
        self._set(cast, "dob", BirthIds.spell_date(rng, born))
        self._set(cast, "fnr", BirthIds.spell_id(rng, number))

    def _parent(self, cast: Cast) -> None:
        words, gender = pick(cast.rng, self.lexicon["parents"])
        self._set(cast, "parent", words)
        cast.update(self._pronouns("p_", gender))

    def _counsellor(self, cast: Cast) -> None:
        self._set(cast, "counsellor", self.pools.names.adult(cast.rng, pick(cast.rng, "fmf")))

    def _school(self, cast: Cast) -> None:
        self._set(cast, "school", self.pools.organizations.school(cast.rng, cast.age))

    def _perp_phone(self, cast: Cast) -> None:
        phones, rng = self.pools.phones, cast.rng
        self._set(cast, "perp_phone", pick(rng, phones.foreign) if rng.random() < 0.3 else pick(rng, phones.numbers))

    def _ages(self, cast: Cast) -> None:
        rng, age = cast.rng, cast.age
        self._set(cast, "age_next", str(age + rng.randint(1, 4)))
        self._set(cast, "age_sib", str(max(2, age + pick(rng, (-5, -3, -2, 2, 3, 4)))))

    # the cast -----------------------------------------------------------------------------
    def base(self, rng: random.Random, *, gender: str | None, age: int | None, adult: bool, year: int) -> Cast:
        """The cast every part of the conversation shares (drawn lazily, see :class:`Cast`)."""
        lex = self.lexicon
        child_g = pick(rng, "fm") if adult or gender not in GENDER_OF else GENDER_OF[gender]
        age = age if age is not None else rng.randint(6, 16) if adult else rng.randint(11, 16)
        cast = Cast(self, rng, child_g=child_g, age=age, year=year)
        cast.update({
            "age": (str(age), None),
            "grade": (grade_of(age), None),
            "child_word": (lex["child_words"][child_g], None),
            "barnet": (lex["children_of_caller"][child_g], None),
            "topic": ("dette", None),
        })
        cast.update(self._pronouns("b_", child_g))
        return cast

    def overlay(self, rng: random.Random, base: Cast, perps: tuple, topics: tuple) -> TopicCast:
        """The topic's own cast on top of the shared one: who does it, and how it is named."""
        words, gender = pick(rng, perps) if perps else ("pappa", "m")
        other, other_g = ("pappa", "m") if gender == "f" else ("mamma", "f")
        name_g = "f" if gender == "f" else "m" if gender == "m" else pick(rng, "fm")
        draw = self.pools.names.adult if rng.random() < 0.5 else self.pools.names.child  # a parent or a peer
        own: Fill = {
            "perp": (words, None),
            "other_parent": (other, None),
            "perp_name": (draw(rng, name_g), self.pii["perp_name"]),
            **self._pronouns("", gender),
            **self._pronouns("o_", other_g),
        }
        if topics:
            own["topic"] = (pick(rng, topics), None)
        return TopicCast(base, own)
