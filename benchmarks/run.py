"""Build-speed and page-size benchmark: our pipeline against stock mkdocs-material.

For each N it writes N practices and N myths (about 600 words each, with references)
into a scratch copy of the project, builds them through `compassion-site build`
(generate + MkDocs + verify), and builds the same text as plain Markdown with stock
Material twice: default navigation, and with navigation.prune. It prints one table.
Times are wall-clock medians of `--repeat` runs on this machine; sizes are bytes.

    python benchmarks/run.py            # N = 100, 1000, 3000; 1 and 2 editions
    python benchmarks/run.py --quick    # N = 50 and 150 only, one run each (under a minute)
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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


def prose(n: int, seed: int) -> str:
    return " ".join(SENTENCES[(seed + i) % len(SENTENCES)] for i in range(n))


def practice_yaml(i: int) -> str:
    steps = "\n".join(f"  - {prose(3, i + k)}" for k in range(6))
    return (
        f"title: Practice number {i}\nsummary: {prose(1, i)}\ntime: {5 + i % 20}\nsuits: {prose(2, i)}\nsteps:\n{steps}\n"
        f"why: |\n  {prose(8, i)}\n\n  {prose(8, i + 1)}\nevidence: {prose(6, i)} [@{REFS[i % 5]}]\ncautions: {prose(6, i + 2)}\n"
        f"variations:\n  - {prose(2, i)}\n  - {prose(2, i + 3)}\nreferences: [{REFS[i % 5]}, {REFS[(i + 1) % 5]}]\n"
        "last_reviewed: 2026-11-01\nnext_review: 2027-11-01\n"
    )


def myth_yaml(i: int) -> str:
    return (
        f"myth: Myth number {i} is true.\ntruth: {prose(2, i)}\nexplanation: |\n  {prose(12, i)} [@{REFS[i % 5]}]\n\n  {prose(12, i + 4)}\n"
        f"references: [{REFS[i % 5]}]\nlast_reviewed: 2026-11-01\nnext_review: 2027-11-01\n"
    )


def plain_markdown(text_yaml: str, title: str) -> str:
    body = "\n\n".join(line.strip(" -|") for line in text_yaml.splitlines() if line.strip() and ":" not in line[:14])
    return f"# {title}\n\n{body}\n"


def make_project(base: Path, n: int, editions: int) -> Path:
    root = base / f"ours-{n}-{editions}"
    root.mkdir(parents=True)
    for part in PARTS:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / part)
    if editions == 1:
        (root / "mkdocs.es.yml").unlink()
    for kind, maker in (("practices", practice_yaml), ("myths", myth_yaml)):
        (root / kind).mkdir()
        for i in range(n):
            (root / kind / f"item-{i:05d}.yaml").write_text(maker(i))
    return root


def make_stock(base: Path, n: int, prune: bool) -> Path:
    root = base / f"stock-{n}-{'prune' if prune else 'default'}"
    docs = root / "docs"
    for kind, maker in (("practices", practice_yaml), ("myths", myth_yaml)):
        (docs / kind).mkdir(parents=True)
        for i in range(n):
            (docs / kind / f"item-{i:05d}.md").write_text(plain_markdown(maker(i), f"{kind} {i}"))
    (docs / "index.md").write_text("# Home\n")
    features = "\n    - navigation.prune" if prune else ""
    (root / "mkdocs.yml").write_text(f"site_name: Stock\ntheme:\n  name: material\n  font: false\n  features:{features or ' []'}\n")
    return root


@dataclass
class Result:
    seconds: float
    peak_mb: float
    site: Path


def timed(command: list[str], cwd: Path, site: Path, repeat: int) -> Result:
    times = []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for _ in range(repeat):
        shutil.rmtree(site, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Result(statistics.median(times), peak, site)


def sizes(site: Path) -> tuple[int, int, int, int]:
    pages = sorted(p.stat().st_size for p in site.rglob("*.html"))
    index = sum(p.stat().st_size for p in site.rglob("search_index.json"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return total, pages[-1], pages[len(pages) // 2], index


def verify_seconds(root: Path, site: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "compassion_site", "verify", "--site-dir", str(site)], cwd=root, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ns = [50, 150] if args.quick else [100, 1000, 3000]
    repeat = 1 if args.quick else args.repeat
    rows, ours = [], {}
    header = f"{'case':34} {'pages/kind':>10} {'wall s':>8} {'peak MB':>8} {'site MB':>8} {'max HTML KB':>11} {'median KB':>9} {'index KB':>8} {'verify s':>8}"
    print(header, flush=True)

    def show(row: tuple) -> None:
        name, n, r, verify, (total, largest, median, index) = row
        print(f"{name:34} {n:>10} {r.seconds:>8.1f} {r.peak_mb:>8.0f} {total / 1e6:>8.1f} {largest / 1024:>11.1f} {median / 1024:>9.1f} {index / 1024:>8.0f} {verify if verify is not None else float('nan'):>8.2f}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        base = Path(tmp)
        for n in ns:
            for editions in (1, 2):
                project = make_project(base, n, editions)
                result = timed([sys.executable, "-m", "compassion_site", "build"], project, project / "site", repeat)
                verify = verify_seconds(project, result.site)
                ours[(n, editions)] = result.seconds
                rows.append((f"ours, {editions} edition{'s' if editions > 1 else ''}", n, result, verify, sizes(result.site)))
                show(rows[-1])
            for prune in (True, False):
                if not prune and n > 1000 and not args.quick and os.environ.get("BENCH_STOCK_DEFAULT_3000") != "1":
                    continue
                stock = make_stock(base, n, prune)
                result = timed([sys.executable, "-m", "mkdocs", "build", "-q"], stock, stock / "site", 1 if not prune and n >= 1000 else repeat)
                rows.append((f"stock Material, {'prune' if prune else 'default nav'}", n, result, None, sizes(result.site)))
                show(rows[-1])
                shutil.rmtree(stock, ignore_errors=True)
            for editions in (1, 2):
                shutil.rmtree(base / f"ours-{n}-{editions}", ignore_errors=True)
    stock = {(n, name): r.seconds for name, n, r, _, _ in rows if name.startswith("stock")}
    print()
    lo, hi = ns[-2], ns[-1]
    print(f"ratio ours time({hi})/time({lo}), 1 edition: {ours[(hi, 1)] / ours[(lo, 1)]:.2f} (goal <= {hi / lo * 1.1:.2f})")
    print(f"ratio ours / stock prune at {hi}: {ours[(hi, 1)] / stock[(hi, 'stock Material, prune')]:.2f} (goal <= 1.15)")
    if (hi, "stock Material, default nav") in stock:
        print(f"ratio stock default nav / ours at {hi}: {stock[(hi, 'stock Material, default nav')] / ours[(hi, 1)]:.1f} (goal >= 8)")
    print(f"ratio 2 editions / 1 edition at {hi}: {ours[(hi, 2)] / ours[(hi, 1)]:.2f} (goal <= 1.3)")
    verify_share = [v / r.seconds for name, n, r, v, _ in rows if v is not None and n == hi and name.endswith("1 edition")]
    print(f"verifier share of build time at {hi}: {verify_share[0]:.0%} (goal <= 10%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
