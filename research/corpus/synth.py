"""The calibrated synthetic corpus: large, varied, fully labelled conversations.

    disclosure synth --n 100000 --seed 7 -o corpus.jsonl [--year 2024]

Every conversation is in the contract format (``/spec/contract.md``) with gold
labels: categories (main topic first), moves per message, ``disclosure_turn``,
actions and PII spans per message that match the text exactly. Metadata
(channel, contact type, age, gender, start time, topics) follow the
helpline's 2024 report (``data_contracts/helpline_report_2024.yaml``); the
text comes from per-category scripts of phrases (``synth_scripts/``) filled
with a cast from Faker's ``no_NO`` pools and written in a per-writer style.

Conversation ``i`` of seed ``s`` is drawn from its own ``random.Random`` seeded
with ``"s:i"``: the same seed gives byte-identical output, a longer run
extends a shorter one, and :func:`generate_metadata` reproduces the metadata
of :func:`generate` without writing any text (the test of the marginals uses it).

The pieces: :mod:`synth_marginals` (metadata), :mod:`synth_pii` and
:mod:`synth_cast` (who and where), :mod:`synth_templates` (phrase books),
:mod:`synth_scenes` (the scripts), :mod:`synth_style` (how people write).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from functools import cache
from pathlib import Path

from research.contracts import load_taxonomy, write_jsonl
from research.corpus.synth_cast import CastMaker
from research.corpus.synth_marginals import Metadata, MetadataSampler, load_marginals
from research.corpus.synth_pii import PiiPools
from research.corpus.synth_scenes import LETTER_CHANNELS, Beat, Scene, SceneMaker, check_coverage
from research.corpus.synth_style import Fragment, Style, StylePicker
from research.corpus.synth_templates import load_scripts

ID_PREFIX = "SYN"

# Seconds between messages: (low, high) for the contact and for the counsellor.
_GAPS = {"chat": ((8, 75), (25, 140)), "sms": ((20, 400), (40, 300))}
_END = frozenset(".!?…")


# --------------------------------------------------------------------------- rendering


def render(beat: Beat, style: Style, rng: random.Random) -> list[Fragment]:
    """One phrase as styled fragments; personal data stays one fragment with its type."""
    frags: list[Fragment] = []
    literal = style.literal if style.steps else None
    fill = beat.fill
    for part in beat.variant:
        if part.__class__ is str:
            frags.append((literal(part, rng) if literal else part, None))
            continue
        value, entity = fill[part.name]
        if part.capitalize:
            value = value[:1].upper() + value[1:]
        frags.append((style.word(value, rng), None) if entity is None else (style.pii(value, entity), entity))
    return style.finish(frags, beat.moves, rng)


def assemble(phrases: list[list[Fragment]], joiners: list[str]) -> tuple[str, list[dict]]:
    """Join phrases into one message text; PII spans are offsets into that text."""
    parts: list[str] = []
    spans: list[dict] = []
    pos = 0
    for k, frags in enumerate(phrases):
        if k:
            parts.append(joiners[k - 1])
            pos += len(joiners[k - 1])
        for text, entity in frags:
            if entity is not None:
                spans.append({"start": pos, "end": pos + len(text), "type": entity, "text": text})
            parts.append(text)
            pos += len(text)
    return "".join(parts), spans


class Packer:
    """Groups a conversation's phrases into messages the way the channel does."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.letter = channel in LETTER_CHANNELS
        self.spoken = channel == "telefon"

    def runs(self, beats: list[Beat]) -> Iterator[list[Beat]]:
        run: list[Beat] = []
        for beat in beats:
            if run and beat.speaker != run[0].speaker:
                yield run
                run = []
            run.append(beat)
        if run:
            yield run

    def messages(self, beats: list[Beat], rng: random.Random) -> Iterator[list[Beat]]:
        for run in self.runs(beats):
            if self.letter or self.spoken or len(run) == 1:
                yield run
            elif run[0].speaker == "user":  # a chatting child sends short messages, now and then two in one
                message = [run[0]]
                for beat in run[1:]:
                    if rng.random() < 0.25:
                        message.append(beat)
                    else:
                        yield message
                        message = [beat]
                yield message
            else:  # a counsellor writes one to three phrases per message
                start = 0
                while start < len(run):
                    size = 1 if rng.random() < 0.3 else rng.randint(2, 3)
                    yield run[start : start + size]
                    start += size

    def joiner(self, previous: list[Fragment], speaker: str, rng: random.Random) -> str:
        last = previous[-1][0] if previous else ""
        if self.letter:
            if rng.random() < 0.45:
                return "\n\n"
            return " " if last[-1:] in _END or not last[-1:].isalnum() else ". "
        if speaker == "counsellor" or self.spoken or last[-1:] in _END or not last[-1:].isalnum():
            return " "
        return rng.choice((" ", ". ", ", ", "\n"))


# --------------------------------------------------------------------------- the generator


class Synthesizer:
    """Generates conversation ``index`` of one seed; everything heavy is prepared once."""

    def __init__(self, seed: int, year: int | None = None) -> None:
        tax = load_taxonomy()
        self.seed = seed
        self.book = load_scripts()
        self.marginals = load_marginals()
        check_coverage(self.book, self.marginals)
        self.year = year or self.marginals.year
        self.sampler = MetadataSampler(self.marginals, tax)
        casts = CastMaker(PiiPools.for_seed(seed, self.book.lexicon), self.book.lexicon, self.book.lexicon["pii_slots"])
        self.scenes = SceneMaker(self.book, self.marginals, casts, tuple(tax.actions))
        self.styles = StylePicker(self.book.style)
        self.packers = {channel: Packer(channel) for channel in tax.channels}
        self.disclosure_move = self.book.disclosure_move

    def rng(self, index: int) -> random.Random:
        return random.Random(f"{self.seed}:{index}")

    def metadata(self, index: int) -> Metadata:
        return self.sampler.sample(self.rng(index), self.year)

    def conversation(self, index: int) -> dict:
        rng = self.rng(index)
        meta = self.sampler.sample(rng, self.year)
        scene = self.scenes.make(rng, meta, self.year)
        styles = {
            "user": self.styles.pick(rng, meta.channel, meta.adult, meta.age),
            "counsellor": self.styles.counsellor(rng, meta.channel),
        }
        messages = self.messages(scene, styles, rng)
        turn = next((i for i, m in enumerate(messages) if self.disclosure_move in m["moves"]), None)
        return {
            "conversation_id": f"{ID_PREFIX}-{self.seed}-{index}",
            "channel": meta.channel,
            "started_at": meta.started_at.isoformat(),
            "age": meta.age,
            "gender": meta.gender,
            "contact_type": meta.contact_type,
            "messages": messages,
            "categories": list(meta.categories),
            "disclosure_turn": turn,
            "actions": scene.actions,
        }

    def messages(self, scene: Scene, styles: dict[str, Style], rng: random.Random) -> list[dict]:
        meta = scene.meta
        packer = self.packers[meta.channel]
        gaps = _GAPS.get(meta.channel)
        clock = meta.started_at
        out = []
        for k, beats in enumerate(packer.messages(scene.beats, rng)):
            speaker = beats[0].speaker
            writer = styles[speaker]
            phrases, joiners = [], []
            for beat in beats:
                frags = render(beat, writer, rng)
                if phrases:
                    joiners.append(packer.joiner(phrases[-1], speaker, rng))
                phrases.append(frags)
            text, spans = assemble(phrases, joiners)
            if len(beats) == 1:
                moves = list(beats[0].moves)
            else:
                moves = list(dict.fromkeys(m for beat in beats for m in beat.moves))
            message = {"speaker": speaker, "text": text}
            if gaps is not None:
                if k:
                    low, high = gaps[speaker == "counsellor"]
                    clock += timedelta(seconds=low + int(rng.random() * (high - low + 1)))
                message["sent_at"] = clock.isoformat()
            elif packer.letter:
                if k:
                    clock += timedelta(hours=rng.randint(3, 40), minutes=rng.randint(0, 59))
                message["sent_at"] = clock.isoformat()
            message["moves"] = moves
            message["pii"] = spans
            out.append(message)
        return out


@cache
def _synthesizer(seed: int, year: int | None) -> Synthesizer:
    return Synthesizer(seed, year)


def generate(n: int, seed: int, year: int | None = None) -> Iterator[dict]:
    """Yield ``n`` labelled conversations in the contract format."""
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    synth = _synthesizer(seed, year)
    for index in range(n):
        yield synth.conversation(index)


def generate_metadata(n: int, seed: int, year: int | None = None) -> Iterator[Metadata]:
    """The metadata of the same ``n`` conversations, without their text (fast)."""
    synth = _synthesizer(seed, year)
    for index in range(n):
        yield synth.metadata(index)


def write_corpus(output: str | Path, *, n: int, seed: int, year: int | None = None) -> int:
    """Write ``n`` conversations to ``output`` (JSON Lines, atomically; ``-`` is stdout)."""
    return write_jsonl(generate(n, seed, year), output)
