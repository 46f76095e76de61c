"""Throughput of the batched Norwegian analyzer against Presidio's stock use.

Both sides use the same AnalyzerEngine (the project's pipeline and
recognizers) and the same final step (allow-list, joined overlaps):

* stock:   ``AnalyzerEngine.analyze(text)`` called message by message, so spaCy
           runs once per message;
* batched: ``MessageAnalyzer.analyze_many`` over chunks of messages: one
           ``nlp.pipe`` pass, then the recognizers on the precomputed
           NlpArtifacts (distinct texts analysed once).

    nice .venv/bin/python benchmarks/anonymize.py [--messages 20000] [--chunk 2000]

Prints messages per second of each (CPU time and wall clock), their ratio
and the peak memory (RSS), all measured in one run; the two sides take turns
chunk by chunk so that other load on the machine hits both alike.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass

from faker import Faker

from research.anonymize.analyzer import MessageAnalyzer
from research.anonymize.nlp_engine import LANGUAGE

TEMPLATES = [
    "hei jeg heter {first} og er {age} år",
    "mamma og pappa krangler hele tiden, jeg bor i {city}",
    "{first} sier at jeg er stygg og alle ler",
    "ring meg på {phone} hvis du kan",
    "han heter {first} {last} og bor i {street}",
    "jeg går på {school} skole, {first} er kontaktlæreren min",
    "snapen min er {handle}",
    "Det høres vondt ut. Har du noen voksne du kan snakke med?",
    "Hei {first}! Du har kommet til Alarmtelefonen. Hva vil du prate om?",
    "ok",
    "vet ikke helt",
    "stefaren min slår meg når mamma er på jobb",
    "Du kan alltid ringe oss på 116 111, hele døgnet.",
    "jeg er født {day}.{month}.{year} hvis det betyr noe",
    "mailen min er {email}",
    "vi var på hytta i {city} i helga og {first} ble sint",
    "Takk for at du forteller meg dette. Det er ikke din feil.",
    "kan dere si det til barnevernet uten at {first} får vite det?",
]


def synthetic_messages(n: int, seed: int = 0) -> list[str]:
    """Messages from research.corpus.synth when it is there, else from the templates above."""
    try:
        from research.corpus.synth import generate
    except ImportError:
        return template_messages(n, seed)
    texts: list[str] = []
    for conversation in generate(n=n, seed=seed):  # far fewer than n conversations are needed
        texts += [message["text"] for message in conversation["messages"]]
        if len(texts) >= n:
            break
    return texts[:n]


def template_messages(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    fake = Faker("no_NO")
    fake.seed_instance(seed)
    texts = []
    for _ in range(n):
        texts.append(rng.choice(TEMPLATES).format(
            first=fake.first_name(), last=fake.last_name(), age=rng.randint(9, 17), city=fake.city(),
            phone=fake.phone_number(), street=fake.street_address(), school=fake.last_name(),
            handle=f"{fake.user_name()}{rng.randint(1, 99)}", email=fake.email(), day=rng.randint(1, 28),
            month=rng.randint(1, 12), year=rng.randint(2005, 2016),
        ))
    return texts


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Clock:
    """Wall-clock and CPU seconds of one side; CPU time is what counts on a
    shared machine, where other processes stretch the wall clock of both."""

    wall: float = 0.0
    cpu: float = 0.0

    def run(self, work: Callable[[], list]) -> list:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu
        return result

    def line(self, label: str, n: int) -> str:
        return f"{label:<42} {n / self.cpu:8.1f} msg/s CPU  {n / self.wall:8.1f} msg/s wall"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=2_000, help="messages per analyze_many call")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    texts = synthetic_messages(args.messages, args.seed)
    analyzer = MessageAnalyzer()
    analyzer.analyze_many(texts[:50])  # warm up both paths once
    print(f"{len(texts)} messages ({len(set(texts))} distinct), peak RSS after loading {peak_rss_mib():.0f} MiB")

    def stock(chunk: list[str]) -> list:
        return [analyzer.finish(text, analyzer.engine.analyze(text, language=LANGUAGE)) for text in chunk]

    # the two sides take turns chunk by chunk, so a busy machine slows both alike
    stock_clock, batched_clock = Clock(), Clock()
    same = 0
    for i in range(0, len(texts), args.chunk):
        chunk = texts[i : i + args.chunk]
        expected = stock_clock.run(lambda chunk=chunk: stock(chunk))
        found = batched_clock.run(lambda chunk=chunk: analyzer.analyze_many(chunk))
        same += sum(a == b for a, b in zip(expected, found, strict=True))
    n = len(texts)
    print(stock_clock.line("stock AnalyzerEngine, message by message", n))
    print(batched_clock.line("batched (nlp.pipe + NlpArtifacts)", n))
    print(f"same spans for {same}/{n} messages")
    print(f"speed-up: {stock_clock.cpu / batched_clock.cpu:.2f}x CPU time, {stock_clock.wall / batched_clock.wall:.2f}x wall clock")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
