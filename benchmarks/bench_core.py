"""Import, load and check times at 1k / 10k / 100k nodes, each beside a bare baseline.

    .venv/bin/python benchmarks/bench_core.py                 # 1k, 10k, 100k; 3 runs each
    .venv/bin/python benchmarks/bench_core.py --sizes 1000,10000 --runs 5

Every figure is the median of ``--runs`` whole processes (interpreter start included on both
sides), measured in this run, alternating ours and the baseline so drift hits both:

- import: ``alignment import FILE --db NEW.db`` against a bare script that parses the same file
  with ``yaml.load(..., CSafeLoader)`` (gc paused, as ours does) and stores node, link and
  check-in rows with sqlite3 ``executemany`` into tables shaped like ours. Budget <= 3x.
- load: ``Store.open(db).load(name)`` timed inside a fresh process (no baseline, for reference).
- check: ``alignment check --db DB --plan NAME --format json`` against a bare script that SELECTs
  the node and link rows with sqlite3, builds a networkx DiGraph with node attributes and runs
  one BFS (what reaches a goal). Budget <= 2.5x. The peak memory (max RSS of the child, from
  wait4) of the largest check must stay under 500 MB.
- ``alignment check sample_plans/unit-economics.yaml``: under 0.5 s wall.
- start-up: importing what ``check --db`` needs (alignment.cli + alignment.store) against what
  the bare check imports (sqlite3 + networkx), to show the fixed cost in the small-plan ratios.

The ratio and memory budgets are set for a 100k-node plan (issue 2), so only the 100k rows
decide PASS/FAIL and the exit status; smaller sizes show the same ratios in parentheses,
"(pass)" or "(over)", for information: there the fixed start-up cost (SQLAlchemy and SQLModel
take ~0.3 s to import; the bare scripts import sqlite3 and yaml in ~0.02 s) dominates.

Exit status 0 when every budget passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_plans" / "unit-economics.yaml"
PYTHON = sys.executable

BUDGET_SIZE = 100_000  # the issue sets the ratio and memory budgets for a 100k-node plan
IMPORT_BUDGET = 3.0
CHECK_BUDGET = 2.5
SAMPLE_BUDGET_S = 0.5
MEMORY_BUDGET_MB = 500

BARE_IMPORT = r"""
import gc, sqlite3, sys
import yaml

path, db = sys.argv[1], sys.argv[2]
gc.disable()
with open(path, encoding="utf-8") as handle:
    data = yaml.load(handle, Loader=yaml.CSafeLoader)
con = sqlite3.connect(db)
con.executescript('''
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;
CREATE TABLE plan (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, description TEXT);
CREATE TABLE node (pk INTEGER PRIMARY KEY, plan_id INTEGER NOT NULL REFERENCES plan(id),
  node_id TEXT NOT NULL, kind TEXT NOT NULL, position REAL NOT NULL, title TEXT NOT NULL,
  description TEXT, owner TEXT, unit TEXT, direction TEXT, baseline REAL, target REAL,
  current REAL, due DATE, status TEXT, effort REAL, version INTEGER NOT NULL,
  UNIQUE (plan_id, node_id));
CREATE TABLE link (pk INTEGER PRIMARY KEY, plan_id INTEGER NOT NULL REFERENCES plan(id),
  child_pk INTEGER NOT NULL REFERENCES node(pk), parent_pk INTEGER NOT NULL REFERENCES node(pk),
  effect REAL, confidence REAL, UNIQUE (child_pk, parent_pk));
CREATE INDEX ix_link_parent ON link (parent_pk);
CREATE INDEX ix_link_plan ON link (plan_id);
CREATE TABLE checkin (pk INTEGER PRIMARY KEY, node_pk INTEGER NOT NULL REFERENCES node(pk),
  at DATE NOT NULL, value REAL NOT NULL, UNIQUE (node_pk, at));
''')
KINDS = {"goals": "goal", "strategies": "strategy", "indicators": "indicator",
         "initiatives": "initiative"}
pks, nodes, supports, checkins = {}, [], [], []
for section, kind in KINDS.items():
    for item in data.get(section) or ():
        pk = len(nodes) + 1
        pks[item["id"]] = pk
        due = item.get("due")
        nodes.append((pk, 1, item["id"], kind, float(pk - 1), item["title"],
                      item.get("description"), item.get("owner"), item.get("unit"),
                      item.get("direction"), item.get("baseline"), item.get("target"),
                      item.get("current"), None if due is None else str(due),
                      item.get("status"), item.get("effort"), 1))
        for entry in item.get("history") or ():
            checkins.append((pk, str(entry["at"]), entry["value"]))
        for parent in item.get("supports") or ():
            supports.append((pk, parent))
links = []
for child, parent in supports:
    if isinstance(parent, dict):
        links.append((1, child, pks[parent["id"]], parent.get("effect"), parent.get("confidence")))
    else:
        links.append((1, child, pks[parent], None, None))
with con:
    con.execute("INSERT INTO plan (id, name, description) VALUES (1, ?, ?)",
                (data["plan"], data.get("description")))
    con.executemany("INSERT INTO node VALUES (" + ", ".join("?" * 17) + ")", nodes)
    con.executemany("INSERT INTO link (plan_id, child_pk, parent_pk, effect, confidence) "
                    "VALUES (?, ?, ?, ?, ?)", links)
    con.executemany("INSERT INTO checkin (node_pk, at, value) VALUES (?, ?, ?)", checkins)
con.close()
"""

BARE_CHECK = r"""
import sqlite3, sys
from collections import deque
import networkx as nx

db, name = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
(plan_id,) = con.execute("SELECT id FROM plan WHERE name = ?", (name,)).fetchone()
graph = nx.DiGraph()
ids = {}
columns = ("kind", "title", "description", "owner", "unit", "direction", "baseline", "target",
           "current", "due", "status", "effort")
for pk, node_id, *values in con.execute(
    "SELECT pk, node_id, " + ", ".join(columns) + " FROM node WHERE plan_id = ? ORDER BY position",
    (plan_id,),
):
    ids[pk] = node_id
    graph.add_node(node_id, **dict(zip(columns, values)))
graph.add_edges_from(
    (ids[child], ids[parent], {"effect": effect, "confidence": confidence})
    for child, parent, effect, confidence in con.execute(
        "SELECT child_pk, parent_pk, effect, confidence FROM link WHERE plan_id = ?", (plan_id,)
    )
)
goals = [n for n, kind in graph.nodes(data="kind") if kind == "goal"]
seen, queue = set(goals), deque(goals)
pred = graph.pred
while queue:
    for nxt in pred[queue.popleft()]:
        if nxt not in seen:
            seen.add(nxt)
            queue.append(nxt)
print(len(graph), graph.number_of_edges(), len(seen))
"""

TIMED_LOAD = r"""
import sys, time
start = time.perf_counter()
from alignment.store import Store
imported = time.perf_counter()
store = Store.open(sys.argv[1])
plan = store.load(sys.argv[2])
done = time.perf_counter()
print(done - imported, imported - start, len(plan))
"""


@dataclass
class Run:
    wall: float
    returncode: int
    max_rss_mb: float
    stdout: str
    stderr: str


def run(cmd: Sequence[str], ok: Sequence[int] = (0,)) -> Run:
    """Run a whole process; wall time and its own peak memory (wait4 rusage of that child)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(
            wall,
            process.returncode,
            usage.ru_maxrss / 1024,  # KiB on Linux
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )
    if result.returncode not in ok:
        raise SystemExit(
            f"{' '.join(map(str, cmd))} exited {result.returncode}:\n{result.stderr[-2000:]}"
        )
    return result


def alignment_cmd() -> list[str]:
    script = Path(PYTHON).parent / "alignment"
    return [str(script)] if script.exists() else [PYTHON, "-m", "alignment"]


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


@dataclass
class Row:
    size: str
    step: str
    ours: float
    bare: float | None = None
    budget: str = ""
    passed: bool | None = None
    binding: bool = True  # False: the budget is shown for information (not the budget's size)

    def cells(self) -> list[str]:
        ratio = "" if self.bare is None else f"{self.ours / self.bare:.2f}x"
        bare = "" if self.bare is None else f"{self.bare:.3f} s"
        if self.passed is None:
            verdict = ""
        elif self.binding:
            verdict = "PASS" if self.passed else "FAIL"
        else:
            verdict = "(pass)" if self.passed else "(over)"
        return [self.size, self.step, f"{self.ours:.3f} s", bare, ratio, self.budget, verdict]


def bench_size(n: int, runs: int, work: Path, cli: list[str]) -> tuple[list[Row], float]:
    plan_file = work / f"plan-{label(n)}.yaml"
    if not plan_file.exists():
        run([PYTHON, str(ROOT / "benchmarks" / "generate.py"), str(n), "-o", str(plan_file)])
    name = f"Synthetic plan ({n} nodes, seed 0)"
    db, bare_db = work / f"ours-{label(n)}.db", work / f"bare-{label(n)}.db"

    ours_import, bare_import = [], []
    for _ in range(runs):
        remove_db(db)
        ours_import.append(run([*cli, "import", str(plan_file), "--db", str(db)]).wall)
        remove_db(bare_db)
        bare_import.append(run([PYTHON, "-c", BARE_IMPORT, str(plan_file), str(bare_db)]).wall)

    loads = []
    for _ in range(runs):
        loaded = run([PYTHON, "-c", TIMED_LOAD, str(db), name])
        loads.append(float(loaded.stdout.split()[0]))

    ours_check, bare_check, rss = [], [], []
    check = [*cli, "check", "--db", str(db), "--plan", name, "--format", "json"]
    for _ in range(runs):
        result = run(check, ok=(0, 1))
        ours_check.append(result.wall)
        rss.append(result.max_rss_mb)
        bare_check.append(run([PYTHON, "-c", BARE_CHECK, str(db), name]).wall)

    size = label(n)
    med = statistics.median
    import_ratio = med(ours_import) / med(bare_import)
    check_ratio = med(ours_check) / med(bare_check)
    binding = n == BUDGET_SIZE
    rows = [
        Row(
            size,
            "import",
            med(ours_import),
            med(bare_import),
            f"<= {IMPORT_BUDGET:g}x",
            import_ratio <= IMPORT_BUDGET,
            binding,
        ),
        Row(size, "load (in process)", med(loads)),
        Row(
            size,
            "check --db",
            med(ours_check),
            med(bare_check),
            f"<= {CHECK_BUDGET:g}x",
            check_ratio <= CHECK_BUDGET,
            binding,
        ),
    ]
    return rows, max(rss)


def bench_startup(runs: int) -> Row:
    ours = [run([PYTHON, "-c", "import alignment.cli, alignment.store"]).wall for _ in range(runs)]
    bare = [run([PYTHON, "-c", "import sqlite3, networkx"]).wall for _ in range(runs)]
    return Row(
        "-", "start-up: imports of check --db", statistics.median(ours), statistics.median(bare)
    )


def print_table(rows: list[Row], extra: list[str]) -> None:
    header = ["size", "step", "alignment", "bare", "ratio", "budget", ""]
    table = [header, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for index, line in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    for line in extra:
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated node counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--workdir", help="keep plan files and databases here (default: a tmp dir)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="alignment-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cli = alignment_cmd()
    rows: list[Row] = []
    extra: list[str] = []
    verdicts: list[bool] = []
    try:
        peaks: dict[int, float] = {}
        for n in sorted(sizes):
            size_rows, peaks[n] = bench_size(n, args.runs, work, cli)
            rows.extend(size_rows)
            print(f"... {label(n)} done", file=sys.stderr, flush=True)
        rows.append(bench_startup(max(5, args.runs)))
        samples = [
            run([*cli, "check", str(SAMPLE)], ok=(0, 1)).wall for _ in range(max(5, args.runs))
        ]
        sample = statistics.median(samples)
        rows.append(
            Row(
                "sample",
                f"check {SAMPLE.name}",
                sample,
                budget=f"< {SAMPLE_BUDGET_S:g} s",
                passed=sample < SAMPLE_BUDGET_S,
            )
        )
        for n, peak in peaks.items():
            ok = peak < MEMORY_BUDGET_MB
            verdict = ("PASS" if ok else "FAIL") if n == BUDGET_SIZE else ""
            extra.append(
                f"peak memory (max RSS) of check --db at {label(n)}: {peak:.0f} MB"
                + (f" (budget < {MEMORY_BUDGET_MB} MB)  {verdict}" if verdict else "")
            )
            if n == BUDGET_SIZE:
                verdicts.append(ok)
        if BUDGET_SIZE not in peaks:
            extra.append(
                f"the ratio and memory budgets apply at {label(BUDGET_SIZE)} nodes, not run here"
            )
        verdicts += [row.passed for row in rows if row.passed is not None and row.binding]
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"medians of {args.runs} runs (sample check: {max(5, args.runs)}), whole processes; "
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus"
    )
    print_table(rows, extra)
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
