"""Build-speed and page-size benchmark: our pipeline against stock mkdocs-material.

For each N it writes N items, half practices and half myths (about 600 words each, the page
size of the performance issue's own figures; the run prints the measured average), with
references, into a scratch copy of the project, builds them through `compassion-site build`
(generate + check + MkDocs + harden + verify), and builds the same words as plain Markdown
(every text field under its own heading) with stock Material: with navigation.prune, in the
same flat folders as ours and nested in folders of 100 (Material's best case), and with
default navigation (nested). It prints one table. Times are wall-clock medians of
`--repeat` rounds on this machine, every case once per round; sizes are bytes.
Our build makes more pages from the same items (a poster per practice, indexes, lessons):
the "HTML files" column shows how many.

    python benchmarks/run.py            # N = 100, 1000, 3000; 1 and 2 editions
    python benchmarks/run.py --quick    # N = 50 and 150 only, one run each (under a minute)
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
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PARTS = ["mkdocs.yml", "mkdocs.es.yml", "content", "references", "hooks", "overrides", "safety", "locales", "redirects.yaml"]
SENTENCES = [
    "Take a slow breath and notice how you feel.", "Many people find this hard at first.", "That is normal and it is OK.",
    "Put a hand on your heart if that feels good.", "Say a kind word to yourself, as you would to a friend.",
    "Notice the feeling without judging it.", "Everyone has hard days, so you are not alone.", "Stop if it feels like too much.",
    "You can try again tomorrow.", "Small steps still count.", "Talk to someone you trust if you need to.",
    "Write down one thing you did well today.",
]
REFS = ["neff2003a", "zessin2015", "macbeth2012", "kirby2017", "breines2012"]
# Searches whose cost is measured: every word of the synthetic text, an item's title and two
# crisis searches, each typed one letter at a time (every prefix searched, as on a phone).
SEARCHES = sorted({w.strip(".,").lower() for s in SENTENCES for w in s.split()} | {"practice number 1234", "self harm", "kill myself"})


def prose(n: int, seed: int) -> str:
    return " ".join(SENTENCES[(seed + i) % len(SENTENCES)] for i in range(n))


def practice_yaml(i: int) -> str:
    steps = "\n".join(f"  - {prose(3, i + k)}" for k in range(8))
    why = "\n\n".join(f"  {prose(8, i + k)}" for k in range(3))
    return (
        f"title: Practice number {i}\nsummary: {prose(1, i)}\ntime: {5 + i % 20}\nsuits: {prose(2, i)}\nsteps:\n{steps}\n"
        f"why: |\n{why}\nevidence: {prose(10, i)} [@{REFS[i % 5]}]\ncautions: {prose(10, i + 2)}\n"
        f"variations:\n  - {prose(2, i)}\n  - {prose(2, i + 3)}\nreferences: [{REFS[i % 5]}, {REFS[(i + 1) % 5]}]\n"
        "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\nevidence_level: linked_not_tested\n"
    )


def myth_yaml(i: int) -> str:
    explanation = "\n\n".join(f"  {prose(18, i + 4 * k)}" + (f" [@{REFS[i % 5]}]" if k == 0 else "") for k in range(4))
    return (
        f"myth: Myth number {i} is true.\ntruth: {prose(3, i)}\nexplanation: |\n{explanation}\n"
        f"references: [{REFS[i % 5]}]\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\n"
    )


def plain_markdown(text_yaml: str, title: str) -> str:
    """The same words as plain Markdown for stock Material: every text field under its own heading."""
    sections = []
    for key, value in yaml.safe_load(text_yaml).items():
        if key in ("title", "time", "references", "last_reviewed", "next_review"):
            continue
        text = "\n".join(f"- {item}" for item in value) if isinstance(value, list) else str(value).strip()
        sections.append(f"## {key.capitalize()}\n\n{text}")
    return f"# {title}\n\n" + "\n\n".join(sections) + "\n"


def words(text_yaml: str) -> int:
    return len(plain_markdown(text_yaml, "").split())


def make_project(base: Path, n: int, editions: int) -> Path:
    """A copy of this project with n synthetic items (n/2 practices, n/2 myths)."""
    root = base / f"ours-{n}-{editions}"
    root.mkdir(parents=True)
    for part in PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / part)
    if editions == 1:
        (root / "mkdocs.es.yml").unlink()
    (root / "urls.txt").write_text("# A synthetic site: no address published before.\n")  # a build needs the list
    for kind, maker in (("practices", practice_yaml), ("myths", myth_yaml)):
        (root / kind).mkdir()
        for i in range(n // 2):
            (root / kind / f"item-{i:05d}.yaml").write_text(maker(i))
    return root


def make_stock(base: Path, n: int, prune: bool, nested: bool) -> Path:
    """The same n items as plain Markdown for stock Material; `nested` puts them in folders of 100."""
    root = base / f"stock-{n}-{'prune' if prune else 'default'}-{'nested' if nested else 'flat'}"
    docs = root / "docs"
    for kind, maker in (("practices", practice_yaml), ("myths", myth_yaml)):
        for i in range(n // 2):
            folder = docs / kind / (f"group-{i // 100:03d}" if nested else "")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"item-{i:05d}.md").write_text(plain_markdown(maker(i), f"{kind} {i}"))
    (docs / "index.md").write_text("# Home\n")
    features = "\n    - navigation.prune" if prune else ""
    (root / "mkdocs.yml").write_text(f"site_name: Stock\ntheme:\n  name: material\n  font: false\n  features:{features or ' []'}\n")
    return root


@dataclass
class Case:
    """One build to time: `runs` cold runs of `command` in `cwd`, which writes `site`."""

    name: str
    command: list[str]
    cwd: Path
    site: Path
    runs: int
    ours: bool
    times: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    verify: list[float] = field(default_factory=list)


def run_once(case: Case) -> None:
    """One cold run (the site folder removed first): its wall time, and the CPU time and the
    largest peak resident memory of the command and the processes it waited for."""
    shutil.rmtree(case.site, ignore_errors=True)
    os.sync()  # the previous case's files reach the disk now, not while this case is timed
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(case.command, cwd=case.cwd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    case.times.append(time.perf_counter() - start)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(case.command)} failed in {case.cwd}")
    case.peaks.append(usage.ru_maxrss / 1024)
    case.cpu.append(usage.ru_utime + usage.ru_stime)  # the build and every process it waited for
    if case.ours:
        case.verify.append(verify_seconds(case.cwd, case.site))


def sizes(site: Path) -> tuple[int, int, int, int, int]:
    pages = sorted(p.stat().st_size for p in site.rglob("*.html"))
    index = sum(p.stat().st_size for p in site.rglob("search_index.json"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return total, pages[-1], pages[len(pages) // 2], index, len(pages)


def search_cost(site: Path) -> tuple[int, str, int]:
    """What search downloads, in gzip bytes: the worst first search of SEARCHES (and which one),
    and the worst a second search adds once the first one's files are loaded."""
    from compassion_site.output.search_index import gzip_bytes, typed_query_files

    folder = site / "search"
    files = {query: typed_query_files(folder, query) for query in SEARCHES}
    first, query = max((gzip_bytes(folder, names), query) for query, names in files.items())
    later = max(gzip_bytes(folder, [n for n in files[b] if n not in files[a]]) for a in SEARCHES for b in SEARCHES if a != b)
    return first, query, later


def verify_seconds(root: Path, site: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "compassion_site", "verify", "--site-dir", str(site)], cwd=root, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


OUR_CASES = [  # (name, editions)
    ("ours, 1 edition", 1),
    ("ours, 2 editions", 2),
]
STOCK_CASES = [  # (name, prune, nested)
    ("stock Material, prune, same folders", True, False),
    ("stock Material, prune, nested", True, True),
    ("stock Material, default nav, nested", False, True),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 50 and 150, one run each (under a minute)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", help="the values of N to run (default 100 1000 3000)")
    args = parser.parse_args()
    ns = args.sizes or ([50, 150] if args.quick else [100, 1000, 3000])
    repeat = 1 if args.quick else args.repeat
    times: dict[tuple, float] = {}
    searches: dict[int, tuple[int, str, int]] = {}  # N -> search_cost of the 1-edition site
    sample = range(max(ns) // 2)
    print(f"Words per item (as stock Material gets them): practices {statistics.mean(words(practice_yaml(i)) for i in sample):.0f}, "
          f"myths {statistics.mean(words(myth_yaml(i)) for i in sample):.0f}\n")
    print(f"{'case':38} {'N items':>7} {'HTML files':>10} {'wall s':>7} {'runs s':>11} {'CPU s':>6} {'peak MB':>7} {'site MB':>7} {'max HTML KB':>11} "
          f"{'median KB':>9} {'index KB':>8} {'verify s':>8} {'1st search KB gz':>16}", flush=True)

    def show(case: Case, n: int, seconds: float, cpu: float, verify: float | None) -> None:
        total, largest, median, index, count = sizes(case.site)
        times[(n, case.name, "pages")] = count
        times[(n, case.name, "largest")] = largest
        cost = search_cost(case.site) if case.ours else None
        if cost and case.name == "ours, 1 edition":
            searches[n] = cost
        search = cost[0] / 1024 if cost else float("nan")
        spread = f"{min(case.times):.1f}-{max(case.times):.1f}" if len(case.times) > 1 else "one run"
        print(f"{case.name:38} {n:>7} {count:>10} {seconds:>7.1f} {spread:>11} {cpu:>6.1f} {max(case.peaks):>7.0f} {total / 1e6:>7.1f} {largest / 1024:>11.1f} "
              f"{median / 1024:>9.1f} {index / 1024:>8.0f} {verify if verify is not None else float('nan'):>8.2f} {search:>16.1f}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        base = Path(tmp)
        for n in ns:
            cases = []
            for editions in (1, 2):
                project = make_project(base, n, editions)
                for name, eds in OUR_CASES:
                    if eds == editions:
                        command = [sys.executable, "-m", "compassion_site", "build"]
                        cases.append(Case(name, command, project, project / "site", repeat, ours=True))
            for name, prune, nested in STOCK_CASES:
                stock = make_stock(base, n, prune, nested)
                runs = 1 if not prune and n >= 1000 else repeat  # minutes per run, so one run: its ratio is the least certain
                cases.append(Case(name, [sys.executable, "-m", "mkdocs", "build", "-q"], stock, stock / "site", runs, ours=False))
            # Round robin: every case runs once per round, so a machine that speeds up or slows
            # down during the benchmark touches every case alike.
            for round_number in range(repeat):
                for case in cases:
                    if round_number < case.runs:
                        run_once(case)
            for case in cases:
                seconds = statistics.median(case.times)
                verify = statistics.median(case.verify) if case.verify else None
                cpu = statistics.median(case.cpu)
                times[(n, case.name)] = seconds
                times[(n, case.name, "cpu")] = cpu
                if verify is not None:
                    times[(n, case.name, "verify")] = verify
                show(case, n, seconds, cpu, verify)
            for case in cases:
                shutil.rmtree(case.cwd, ignore_errors=True)
    print()
    lo, hi = ns[-2], ns[-1]
    one, two = "ours, 1 edition", "ours, 2 editions"

    def ratio(text: str, value: float, goal: str, ok: bool) -> None:
        print(f"{text:58} {value:6.2f}  goal {goal:7} {'met' if ok else 'NOT MET'}")

    nested = STOCK_CASES[1][0]

    def per_page(case: str) -> float:
        return times[(hi, case)] / times[(hi, case, "pages")]

    r = times[(hi, one)] / times[(lo, one)]
    ratio(f"ours time({hi}) / time({lo}), 1 edition (linear growth)", r, f"<= {hi / lo * 1.1:.2f}", r <= hi / lo * 1.1)
    r = per_page(one) / per_page(nested)
    ratio(f"ours / stock prune nested, seconds per HTML page at {hi}", r, "<= 1.00", r <= 1.0)
    r = times[(hi, one, "largest")] / 1024
    ratio(f"largest HTML page at {hi}, KB", r, "<= 30", r <= 30)
    r = times[(hi, one, "verify")] / times[(hi, one)]
    ratio(f"verifier share of the 1-edition build at {hi}", r, "<= 0.10", r <= 0.10)
    for n in ns:
        print(f"{f'  ms per HTML page at {n}: ours, stock prune nested':58} {times[(n, one)] / times[(n, one, 'pages')] * 1000:6.2f} "
              f"{times[(n, nested)] / times[(n, nested, 'pages')] * 1000:6.2f}")
    r = times[(hi, two)] / times[(hi, one)]
    print(f"{f'  2 editions / 1 edition at {hi} (information)':58} {r:6.2f}")
    first, query, later = searches[hi]
    ratio(f"first search at {hi} items, KB gzip (worst: '{query}')", first / 1024, "<= 150", first <= 150 * 1024)
    print(f"{'  a later search adds at most, KB gzip':58} {later / 1024:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
