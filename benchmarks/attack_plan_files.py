"""Attack the plan-file reader: thousands of hostile plan files through `check` and `import`.

    .venv/bin/python benchmarks/attack_plan_files.py                 # about 3,000 cases
    .venv/bin/python benchmarks/attack_plan_files.py --cases 10000 --seed 7 --save /tmp/crashes

Each case is a file: YAML aliases (billion laughs, merge keys, recursive), deep nesting, huge
and odd numbers, dates beside timestamps, control characters in every text field (escaped and
raw), random byte flips, hostile snippets dropped into the samples, truncations. Each runs
through ``alignment check FILE`` and ``alignment import FILE --replace`` in this process
(click's CliRunner), under a time limit per command and an address-space limit for the whole run.

It prints the cases tried per family and overall: crashes (an exit status other than 0, 1, 2,
a traceback, a time-out or running out of memory), disagreements (check accepts what import
refuses or the other way round, or they refuse with different messages), raw control characters
on stdout or stderr, the slowest command, the largest stderr and the peak memory. Exit status 1
when anything failed. ``--save DIR`` keeps each failing file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import resource
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from click.testing import CliRunner  # noqa: E402

from alignment.cli import main  # noqa: E402

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "sample_plans").glob("*.yaml"))
SECONDS_PER_COMMAND = 10
ADDRESS_SPACE = 3 * 2**30  # for the whole run: a runaway case dies of MemoryError, not the box
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

G = "plan: P\ngoals:\n  - id: g\n    title: G\n"
K = "plan: P\ngoals:\n  - id: g\n    title: G\nindicators:\n  - id: k\n    title: K\n    direction: up\n    supports: [g]\n"
INIT = G + "initiatives:\n  - id: i\n    title: I\n    supports: [g]\n"
TEXT_FIELDS = [  # (a plan with the field's node last, the field's indentation + name)
    ("plan: P\ngoals:\n  - id: g\n", "    title"), (G, "    description"), (G, "    owner"), (K, "    unit"),
    (INIT, "    mandatory"), ("", "plan"), ("plan: P\n", "description"),
]  # fmt: skip
NUMBER_FIELDS = [(K, "    baseline"), (K, "    target"), (K, "    current"), (INIT, "    effort")]
DATE_FIELDS = [(K, "    due"), (K, "    since"), (G, "    due")]
CONTROL = [chr(c) for c in (*range(0, 32), 127, *range(128, 160))] + [
    "\u2028", "\u2029", "\u202e", "\u2066", "\ufeff", "\ufffe",
]  # fmt: skip
SNIPPETS = [
    "&a ", "*a", "<<: *a\n", "!!python/object/apply:os.system ['true']", "!!binary ", "!!set ",
    "!!timestamp ", "!!float ", "!!int ", "0x" + "f" * 3600, "9" * 5000, "1e999", "-.inf", ".nan",
    "2026-10-05 10:00:00", "2026-10-05T10:00:00Z", "2027-02-31", "[" * 300, "{a: " * 200,
    '"\\e]8;;http://x\\e\\\\link"', '"\\e]0;title\\a"', '"\\0"', '"\\ud800"', "x" * 20000,
    "? [complex, key]\n: value\n", "%YAML 1.1\n---\n", "\n---\nsecond: document\n", "\n...\n",
    "\t", "\r", "\r\n", "\ufeff", "~", "null", "yes", "'", '"', "|", ">", "- ", ": ",
]  # fmt: skip


# -- the cases ---------------------------------------------------------------------------------


def alias_cases(rng: random.Random) -> Iterator[tuple[str, str | bytes]]:
    for depth in (3, 6, 9, 12):
        for width in (2, 9, 20):
            levels = (
                f"[&a0 [{', '.join(['lol'] * width)}], "
                + ", ".join(f"&a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, depth))
                + "]"
            )
            last = f"*a{depth - 1}"
            yield f"bomb-{depth}x{width}-format", f"plan: {levels}\nformat: {last}\n"
            yield f"bomb-{depth}x{width}-number", K + f"    baseline: {levels}\n"
            yield f"bomb-{depth}x{width}-title", G.replace("title: G", f"title: {levels}")
            yield f"bomb-{depth}x{width}-goals", f"plan: P\nx: {levels}\ngoals: {last}\n"
    yield "alias-title-2", "plan: P\ngoals:\n  - id: g\n    title: &t G\n  - id: h\n    title: *t\n"
    yield "alias-recursive", "plan: P\ngoals: &l [*l]\n"
    yield "alias-recursive-map", "plan: P\ngoals:\n  - &m {id: g, title: G, x: *m}\n"
    yield "merge-key", "plan: P\ngoals:\n  - &g {id: g, title: G}\n  - <<: *g\n    id: h\n"
    yield "alias-undefined", "plan: P\ngoals: *nope\n"
    yield "anchor-unused", "plan: &p P\ngoals:\n  - &g {id: g, title: G}\n"
    for _ in range(40):
        text = rng.choice(SAMPLE_TEXTS)
        at = rng.randrange(len(text))
        yield (
            "alias-in-sample",
            text[:at] + rng.choice([" &a ", " *a ", " *a0", "<<: *a\n"]) + text[at:],
        )


def nesting_cases(rng: random.Random) -> Iterator[tuple[str, str | bytes]]:
    for depth in (8, 20, 31, 32, 33, 40, 100, 500, 999, 1000, 1001, 5000, 100_000):
        yield f"flow-list-{depth}", "plan: P\nformat: " + "[" * depth + "]" * depth + "\n"
        yield (
            f"flow-map-{depth}",
            G + "    description: " + "{a: " * depth + "b" + "}" * depth + "\n",
        )
        if depth <= 5000:
            yield (
                f"block-{depth}",
                "plan: P\ngoals:\n" + "".join(" " * (i + 1) + "-\n" for i in range(depth)),
            )
        yield f"unclosed-{depth}", "plan: P\ngoals: " + "[" * depth + "\n"


def number_cases(rng: random.Random) -> Iterator[tuple[str, str | bytes]]:
    numbers = [
        "0x" + "f" * 3600, "0x" + "f" * 13, "0x" + "f" * 14, "0o" + "7" * 100, "0b" + "1" * 5000,
        "9" * 4300, "9" * 4301, "9" * 20, "9007199254740993", "-9007199254740993",
        "1" + "0" * 308, "1e308", "1e309", "-1e999", "1.7976931348623157e308", "4.9e-324",
        "1e-400", ".inf", "-.Inf", ".NaN", "190:20:30", "1_000_000", "0.1e", "1__2", "+12",
        "-0", "0.0", "1" * 64, "1" * 65, "'12'", "true", "~", "[1]", "{a: 1}", "!!float 1e999",
        "!!int '9" + "9" * 5000 + "'",
    ]  # fmt: skip
    for base, name in NUMBER_FIELDS:
        for number in numbers:
            yield f"number-{name.strip()}", base + f"{name}: {number}\n"
    for number in numbers:
        yield (
            "number-effect",
            INIT.replace("supports: [g]", f"supports:\n      - {{id: g, effect: {number}}}"),
        )
        yield (
            "number-confidence",
            INIT.replace("supports: [g]", f"supports:\n      - {{id: g, confidence: {number}}}"),
        )
        yield "number-format", f"format: {number}\nplan: P\n"
        yield "number-history", K + f"    history:\n      - {{at: 2026-10-05, value: {number}}}\n"


def date_cases(rng: random.Random) -> Iterator[tuple[str, str | bytes]]:
    days = [
        "2026-10-05", "2026-10-05 10:00:00", "2026-10-05T10:00:00Z", "2026-10-05t10:00:00.5+02:00",
        "2026-10-05 10:00", "2027-02-31", "2026-1-5", "20261005", "'20261005'", "2026-W40-1",
        "'2026-10-05'", "0001-01-01", "9999-12-31", "10000-01-01", "'2026-10-05 10:00:00'",
        "[2026, 10, 5]", "{y: 2026}", "!!timestamp 2026-10-05", "~", "2026-10-05" + "0" * 5000,
    ]  # fmt: skip
    for base, name in DATE_FIELDS:
        for day in days:
            yield f"date-{name.strip()}", base + f"{name}: {day}\n"
    for first in days[:5]:
        for second in days[:5]:
            yield (
                "history-mixed",
                K
                + (
                    f"    history:\n      - {{at: {first}, value: 1}}\n      - {{at: {second}, value: 2}}\n"
                ),
            )


def control_cases(rng: random.Random) -> Iterator[tuple[str, str | bytes]]:
    for base, name in TEXT_FIELDS:
        for char in CONTROL:
            escaped = char.encode("unicode_escape").decode("ascii").replace('"', '\\"')
            yield f"control-escaped-{name.strip()}", base + f'{name}: "a{escaped}b"\n'
        for char in rng.sample(CONTROL, 12):
            yield f"control-raw-{name.strip()}", base + f"{name}: a{char}b\n"
        yield (
            f"osc8-{name.strip()}",
            base + f'{name}: "\\e]8;;http://evil.example\\e\\\\click\\e]8;;\\e\\\\"\n',
        )
        yield f"osc0-{name.strip()}", base + f'{name}: "\\e]0;pwned\\a"\n'
        yield f"long-{name.strip()}", base + f"{name}: " + "x" * 100_000 + "\n"
        yield f"text-block-{name.strip()}", base + f"{name}: |\n      line one\n      line\ttwo\n"
    yield "not-utf8", G.replace("title: G", "title: Caf").encode() + b"\xe9\n"
    yield "utf16", G.encode("utf-16")
    yield "bom-then-text", b"\xef\xbb\xbf" + G.encode()
    yield "nul-bytes", b"\x00" * 1000
    yield "empty", ""
    yield "whitespace", "   \n\n\t\n"
    yield "comment-only", "# just a comment\n"
    yield "document-end", "...\n"
    yield "two-documents", G + "---\nplan: Q\n"


def flip_cases(rng: random.Random, count: int) -> Iterator[tuple[str, str | bytes]]:
    for _ in range(count):
        raw = bytearray(rng.choice(SAMPLE_TEXTS).encode("utf-8"))
        for _ in range(rng.randint(1, 10)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        yield "byte-flips", bytes(raw)


def snippet_cases(rng: random.Random, count: int) -> Iterator[tuple[str, str | bytes]]:
    for _ in range(count):
        text = rng.choice(SAMPLE_TEXTS)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice(SNIPPETS + CONTROL) + text[at:]
        yield "snippets", text


def truncation_cases(rng: random.Random, count: int) -> Iterator[tuple[str, str | bytes]]:
    for _ in range(count):
        text = rng.choice(SAMPLE_TEXTS)
        yield "truncations", text[: rng.randrange(len(text))]
    for text in SAMPLE_TEXTS:
        encoded = text.encode("utf-8")
        for at in range(0, len(encoded), max(1, len(encoded) // 40)):
            yield "truncations-bytes", encoded[:at]


def all_cases(rng: random.Random, random_cases: int) -> list[tuple[str, str | bytes]]:
    fixed = [
        *alias_cases(rng),
        *nesting_cases(rng),
        *number_cases(rng),
        *date_cases(rng),
        *control_cases(rng),
    ]
    share = max(0, random_cases - len(fixed)) // 3
    return [
        *fixed,
        *flip_cases(rng, share),
        *snippet_cases(rng, share),
        *truncation_cases(rng, share),
    ]


SAMPLE_TEXTS = [path.read_text(encoding="utf-8") for path in SAMPLES]


# -- running them ------------------------------------------------------------------------------


class TimedOut(BaseException):
    """Raised by the alarm: a BaseException, so no handler of ours mistakes it for a bug."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    status: int | str  # an exit status, or "timeout" / "memory" / "escaped: ..."
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0


def run(runner: CliRunner, args: list[str]) -> Outcome:
    started = time.perf_counter()
    try:
        with time_limit(SECONDS_PER_COMMAND):
            result = runner.invoke(main, args)
    except TimedOut:
        return Outcome("timeout", seconds=time.perf_counter() - started)
    except MemoryError:
        return Outcome("memory", seconds=time.perf_counter() - started)
    seconds = time.perf_counter() - started
    status: int | str = result.exit_code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        status = f"escaped: {type(result.exception).__name__}"
    return Outcome(status, result.stdout, result.stderr, seconds)


@dataclass
class Tally:
    cases: Counter[str] = field(default_factory=Counter)
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    exits: Counter[str] = field(default_factory=Counter)
    slowest: tuple[float, str] = (0.0, "")
    largest_stderr: tuple[int, str] = (0, "")
    peak_growth: tuple[int, str] = (0, "")

    def fail(self, kind: str, case: str) -> None:
        self.failures[kind].append(case)


def judge(tally: Tally, name: str, check: Outcome, imported: Outcome) -> list[str]:
    problems = []
    for command, outcome in (("check", check), ("import", imported)):
        if outcome.status not in (0, 1, 2):
            problems.append(f"crash: {command} {outcome.status}")
        if "Traceback" in outcome.stderr + outcome.stdout:
            problems.append(f"traceback: {command}")
        if RAW_CONTROL.search(outcome.stdout + outcome.stderr):
            problems.append(f"raw control characters: {command}")
        if outcome.status == 2 and (
            outcome.stderr.count("\n") != 1
            or not re.match(r"alignment: \S+(:\d+: | whole file: |: )", outcome.stderr)
        ):
            problems.append(f"not one FILE:LINE line: {command}")
        tally.slowest = max(tally.slowest, (outcome.seconds, f"{command} {name}"))
        tally.largest_stderr = max(tally.largest_stderr, (len(outcome.stderr), f"{command} {name}"))
    accepted = check.status in (0, 1)
    stored = imported.status == 0
    if accepted != stored or (check.status == 2 and check.stderr != imported.stderr):
        problems.append(f"disagreement: check {check.status}, import {imported.status}")
    tally.exits[f"check {check.status} / import {imported.status}"] += 1
    return problems


FAMILIES = {
    "bomb": "aliases", "alias": "aliases", "merge": "aliases", "anchor": "aliases",
    "flow": "nesting", "block": "nesting", "unclosed": "nesting",
    "number": "numbers", "date": "dates and timestamps", "history": "dates and timestamps",
    "control": "control characters", "osc8": "control characters", "osc0": "control characters",
    "long": "long text", "text": "long text",
    "byte": "random byte flips", "snippets": "hostile snippets in samples",
    "truncations": "truncations",
}  # fmt: skip


def family_of(name: str) -> str:
    return FAMILIES.get(name.split("-")[0], "odd files (encodings, empty, documents)")


def attack(cases: list[tuple[str, str | bytes]], save: Path | None, progress: bool) -> Tally:
    tally = Tally()
    runner = CliRunner()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "attack.yaml"
        db = str(Path(folder) / "attack.db")
        for number, (family, content) in enumerate(cases, start=1):
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
            tally.cases[family_of(family)] += 1
            name = f"#{number} {family}"
            check = run(runner, ["check", str(path)])
            imported = run(runner, ["import", str(path), "--db", db, "--replace"])
            for problem in judge(tally, name, check, imported):
                kind = problem.split(":")[0]
                tally.fail(kind, f"{name}: {problem} | {(check.stderr or imported.stderr)[:160]!r}")
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    (save / f"{number:05d}-{family}.yaml").write_bytes(path.read_bytes())
            now = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            if now > peak:
                tally.peak_growth = max(tally.peak_growth, ((now - peak) * 1024, name))
                peak = now
            if progress and number % 250 == 0:
                print(f"  {number} cases...", file=sys.stderr, flush=True)
    return tally


def report(tally: Tally, total_seconds: float, out: Callable[[str], None] = print) -> int:
    tried = sum(tally.cases.values())
    failed = sum(len(cases) for cases in tally.failures.values())
    out(f"cases tried: {tried} in {total_seconds:.0f} s (each through check and import)")
    for family, count in sorted(tally.cases.items()):
        out(f"  {family:<40} {count:>5}")
    out("outcomes (exit status of check / import):")
    for outcome, count in tally.exits.most_common():
        out(f"  {outcome:<40} {count:>5}")
    for kind in ("crash", "traceback", "disagreement", "raw control characters", "not one FILE"):
        cases = tally.failures.get(kind, [])
        out(f"{kind}: {len(cases)}")
        for case in cases[:10]:
            out(f"    {case}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out(f"max time of one command: {tally.slowest[0]:.2f} s ({tally.slowest[1]})")
    out(f"max stderr: {tally.largest_stderr[0]} bytes ({tally.largest_stderr[1]})")
    out(
        f"peak memory of the whole run: {peak / 2**20:.0f} MB; largest rise in one case: "
        f"{tally.peak_growth[0] / 2**20:.0f} MB ({tally.peak_growth[1]})"
    )
    out(f"failures: {failed}")
    return 1 if failed else 0


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=3000, help="about how many cases in all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=Path, help="keep each failing file in this folder")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--only", metavar="WORDS", help="only the families whose name has one of these words"
    )
    args = parser.parse_args(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = ADDRESS_SPACE if hard == resource.RLIM_INFINITY else min(ADDRESS_SPACE, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    os.environ.setdefault("ALIGNMENT_AUTHOR", "attack")
    cases = all_cases(random.Random(args.seed), args.cases)
    if args.only:
        words = args.only.split(",")
        cases = [case for case in cases if any(w in family_of(case[0]) for w in words)]
    started = time.perf_counter()
    tally = attack(cases, args.save, progress=not args.quiet)
    return report(tally, time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main_())
