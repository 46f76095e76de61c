"""Pools of invented personal data, drawn from Faker's ``no_NO`` locale once per seed.

One small source per PII type (the way Presidio has one recognizer per type),
composed by :class:`PiiPools`. Faker is slow per call, so each source draws a
pool once when the generator starts; conversations then sample from the pools
with their own seeded ``random.Random``. Fødselsnummer come from Faker's
``ssn`` for a given birth date and are checked with ``stdnum``.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from faker import Faker
from stdnum.no import fodselsnummer

POOL_SIZE = 600
MONTHS_NB = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember")


def pick(rng: random.Random, seq):
    """``rng.choice`` for the hot paths: one draw, a third of the cost (and a different stream)."""
    return seq[int(rng.random() * len(seq))]


def ascii_fold(text: str) -> str:
    """Lower-case ASCII form of a name, as in e-mail addresses and handles (æ→ae, ø→o, å→aa)."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class PersonNames:
    """Given names (children's from the lexicon, adults' from Faker) and surnames."""

    def __init__(self, fake: Faker, lexicon: dict) -> None:
        provider = fake.provider("faker.providers.person")
        self.children = {g: tuple(lexicon["children_names"][g]) for g in ("f", "m")}
        self.adults = {"f": tuple(provider.first_names_female), "m": tuple(provider.first_names_male)}
        self.surnames = tuple(provider.last_names)

    def child(self, rng: random.Random, gender: str) -> str:
        return pick(rng, self.children[gender] if rng.random() < 0.9 else self.adults[gender])

    def adult(self, rng: random.Random, gender: str) -> str:
        return pick(rng, self.adults[gender])

    def surname(self, rng: random.Random) -> str:
        return pick(rng, self.surnames)


class Places:
    """Towns (mostly real, some Faker-made), neighbourhoods, street addresses, postcodes."""

    def __init__(self, fake: Faker, lexicon: dict, rng: random.Random) -> None:
        made_up = [fake.city() for _ in range(POOL_SIZE // 6)]
        self.towns = tuple(lexicon["towns"]) * 4 + tuple(made_up)  # real towns four times as likely
        self.areas = tuple(lexicon["areas"])
        self.abroad = tuple(lexicon["abroad"])
        self.addresses = tuple(self._address(fake, rng) for _ in range(POOL_SIZE))
        self.postcodes = tuple(fake.postcode() for _ in range(POOL_SIZE))

    @staticmethod
    def _address(fake: Faker, rng: random.Random) -> str:
        number = str(rng.randint(1, 140)) + (rng.choice("ABC") if rng.random() < 0.12 else "")
        return f"{fake.street_name()} {number}"

    def town(self, rng: random.Random) -> str:
        return pick(rng, self.towns)

    def postal(self, rng: random.Random, town: str) -> str:
        return f"{pick(rng, self.postcodes)} {town}"


class Organizations:
    """Schools, sports clubs and kindergartens: a name root and a kind («X skole», «X IL»)."""

    def __init__(self, fake: Faker, lexicon: dict, rng: random.Random) -> None:
        roots = list(lexicon["name_roots"]) + list(lexicon["areas"]) + [fake.street_name() for _ in range(60)]
        self.schools = {int(top): self._names(rng, roots, kinds) for top, kinds in lexicon["school_kinds"].items()}
        self._levels = sorted(self.schools)
        self.clubs = self._names(rng, roots + list(lexicon["towns"]), lexicon["club_kinds"])
        self.kindergartens = self._names(rng, roots, lexicon["kindergarten_kinds"])

    def school(self, rng: random.Random, age: int) -> str:
        level = next((top for top in self._levels if age <= top), self._levels[-1])
        return pick(rng, self.schools[level])

    @staticmethod
    def _names(rng: random.Random, roots: list[str], kinds: list[str]) -> tuple[str, ...]:
        return tuple(rng.choice(kinds).format(root=rng.choice(roots)) for _ in range(POOL_SIZE))


class PhoneNumbers:
    """Norwegian numbers from Faker in the spellings people use, and some foreign ones."""

    FORMATS = (
        "{a}{b}{c}{d}", "{a} {b}{c}{d}", "{a[0]}{a[1]}{a[2]} {a[3]}{b[0]} {b[1]}{c}{d}", "{a[0]}{a[1]} {a[2]}{a[3]} {b} {c}{d}",
        "+47 {a[0]}{a[1]}{a[2]} {a[3]}{b[0]} {b[1]}{c}{d}", "+47{a}{b}{c}{d}", "0047 {a}{b}{c}{d}", "0047{a}{b}{c}{d}",
        "+47 {a[0]}{a[1]} {a[2]}{a[3]} {b} {c}{d}", "{a[0]}{a[1]}{a[2]}-{a[3]}{b}-{c}{d}",
    )

    def __init__(self, fake: Faker, lexicon: dict, rng: random.Random) -> None:
        self.numbers = tuple(self._spell(rng, self._digits(fake, rng)) for _ in range(POOL_SIZE))
        self.foreign = tuple(self._foreign(rng, lexicon["foreign_phone"]) for _ in range(POOL_SIZE // 6))

    @staticmethod
    def _digits(fake: Faker, rng: random.Random) -> str:
        digits = "".join(ch for ch in fake.phone_number() if ch.isdigit())[-8:]
        if rng.random() < 0.75:  # most people give a mobile number (4xx or 9xx)
            digits = rng.choice("49") + digits[1:]
        return digits

    def _spell(self, rng: random.Random, digits: str) -> str:
        a, b, c, d = digits[0:4], digits[4:6], digits[6:7], digits[7:8]
        return rng.choice(self.FORMATS).format(a=a, b=b, c=c, d=d)

    @staticmethod
    def _foreign(rng: random.Random, formats: list[str]) -> str:
        def digits(k: int) -> str:
            return "".join(rng.choice("0123456789") for _ in range(k))

        return rng.choice(formats).format(d2=digits(2), d3=digits(3), d4=digits(4))


class EmailAddresses:
    """Addresses built from Faker names: ``first.last07@gmail.com`` and the like."""

    PATTERNS = ("{f}.{l}{n}", "{f}{l}", "{f}{n}", "{f}_{l}", "{f}.{l}", "{i}.{l}.{n}", "{f}{l}{n}", "{f}.{w}")
    WORDS = ("mormor", "pappa", "mamma", "privat", "jobb", "norge", "hjemme", "post")

    def __init__(self, fake: Faker, lexicon: dict, rng: random.Random, names: PersonNames) -> None:
        domains = lexicon["email_domains"]
        self.addresses = tuple(self._address(rng, names, domains) for _ in range(POOL_SIZE))

    def _address(self, rng: random.Random, names: PersonNames, domains: list[str]) -> str:
        first = ascii_fold(names.adult(rng, rng.choice("fm")) if rng.random() < 0.5 else names.child(rng, rng.choice("fm")))
        last = ascii_fold(names.surname(rng))
        local = rng.choice(self.PATTERNS).format(
            f=first, l=last, i=first[0], n=rng.choice(("07", "09", "11", "12", "88", "1", "2", "99", "2010", "77")),
            w=rng.choice(self.WORDS),
        )
        return f"{local}@{rng.choice(domains)}"


class Usernames:
    """Social-media handles (snap, insta, discord …), with or without ``@``."""

    PATTERNS = (
        "{f}{y}", "{f}_{l}", "{f}.{l}{n}", "xx{f}xx", "{f}_{n}", "@{f}.{w}", "{w}{n}", "{f}#{d}", "{f}.x.{w}",
        "@{f}{l}", "{f}_{w}", "{w}_{f}{y}", "@{w}.{w2}", "the.real.{f}", "{f}{n}_",
    )
    WORDS = ("moments", "gamer", "funny", "lol", "xo", "official", "pics", "snap", "dreams", "king", "queen", "vibes",
             "klasse5b", "ninja", "sunshine", "wolf", "ghost", "boss", "baby", "fitby")

    def __init__(self, fake: Faker, lexicon: dict, rng: random.Random, names: PersonNames) -> None:
        self.handles = tuple(self._handle(rng, names) for _ in range(POOL_SIZE))

    def _handle(self, rng: random.Random, names: PersonNames) -> str:
        return rng.choice(self.PATTERNS).format(
            f=ascii_fold(names.child(rng, rng.choice("fm"))), l=ascii_fold(names.surname(rng)),
            y=rng.choice(("09", "10", "11", "2010", "2011", "2012", "08", "07")), n=rng.randint(1, 999),
            d=rng.randint(1000, 9999), w=rng.choice(self.WORDS), w2=rng.choice(self.WORDS),
        )


class Urls:
    """Links people paste: file shares, profiles, made-up sites from Faker."""

    def __init__(self, fake: Faker, lexicon: dict, rng: random.Random, handles: Usernames) -> None:
        hosts = lexicon["url_hosts"]
        self.links = tuple(self._link(fake, rng, hosts, handles) for _ in range(POOL_SIZE // 2))

    @staticmethod
    def _link(fake: Faker, rng: random.Random, hosts: list[str], handles: Usernames) -> str:
        kind = rng.random()
        if kind < 0.4:
            token = "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(7))
            return f"https://{rng.choice(hosts)}/{rng.choice(('f', 's', 'v', 'i'))}/{token}"
        if kind < 0.7:
            handle = rng.choice(handles.handles).lstrip("@").split("#")[0]
            site = rng.choice(("www.tiktok.com/@", "www.instagram.com/", "x.com/", "www.youtube.com/@"))
            return f"https://{site}{handle}"
        return fake.url().rstrip("/") + rng.choice(("", "/bilder", "/profil", "/album/2", "/video"))


class BirthIds:
    """Birth dates and matching fødselsnummer, per birth year (Faker's ``ssn``, validated by stdnum)."""

    PER_YEAR = 24

    def __init__(self, fake: Faker, seed: int) -> None:
        self._fake = fake
        self._seed = seed
        self._years: dict[int, tuple[tuple[str, date], ...]] = {}

    def draw(self, rng: random.Random, year: int) -> tuple[str, date]:
        if year not in self._years:  # seeded per year, so the pool does not depend on call order
            self._years[year] = self._pool(year)
        return pick(rng, self._years[year])

    def _pool(self, year: int) -> tuple[tuple[str, date], ...]:
        self._fake.seed_instance(f"{self._seed}:fnr:{year}")
        days = random.Random(f"{self._seed}:dob:{year}")
        pool = []
        while len(pool) < self.PER_YEAR:
            born = date(year, days.randint(1, 12), days.randint(1, 28))
            number = self._fake.ssn(dob=born.strftime("%Y%m%d"))
            if fodselsnummer.is_valid(number):  # Faker has no checksum bug today; keep it that way
                pool.append((number, born))
        return tuple(pool)

    @staticmethod
    def spell_id(rng: random.Random, number: str) -> str:
        roll = rng.random()
        if roll < 0.7:
            return number
        return f"{number[:6]} {number[6:]}" if roll < 0.9 else f"{number[:6]}-{number[6:]}"

    @staticmethod
    def spell_date(rng: random.Random, born: date) -> str:
        d, m, y = born.day, born.month, born.year
        return rng.choice((
            f"{d:02d}.{m:02d}.{y}", f"{d:02d}.{m:02d}.{y % 100:02d}", f"{d}. {MONTHS_NB[m - 1]} {y}",
            f"{d}.{m}.{y}", f"{d}/{m}-{y}", f"{d:02d}.{m:02d}.{y}", f"{d}. {MONTHS_NB[m - 1][:3]} {y}",
        ))


@dataclass
class PiiPools:
    """Every PII source for one seed."""

    names: PersonNames
    places: Places
    organizations: Organizations
    phones: PhoneNumbers
    emails: EmailAddresses
    usernames: Usernames
    urls: Urls
    birth_ids: BirthIds
    extra: dict = field(default_factory=dict)

    @classmethod
    def for_seed(cls, seed: int, lexicon: dict) -> PiiPools:
        fake = Faker("no_NO")
        fake.seed_instance(seed)
        rng = random.Random(f"{seed}:pools")
        names = PersonNames(fake, lexicon)
        usernames = Usernames(fake, lexicon, rng, names)
        return cls(
            names=names,
            places=Places(fake, lexicon, rng),
            organizations=Organizations(fake, lexicon, rng),
            phones=PhoneNumbers(fake, lexicon, rng),
            emails=EmailAddresses(fake, lexicon, rng, names),
            usernames=usernames,
            urls=Urls(fake, lexicon, rng, usernames),
            birth_ids=BirthIds(Faker("no_NO"), seed),
        )
