"""The first result page after a publish: this tree against another revision, side by side.

Run from the project root after `make install`:

    .venv/bin/python bench/first_page.py de3726b             # 3 rounds, alternating
    .venv/bin/python bench/first_page.py HEAD~3 --rounds 5

The revision is checked out in a temporary git worktree. Each tree gets a temporary database built
by its own migrations and seed, then 1,000 extra published studies recorded as a new evidence
version (its own `bench/django_side.py add-studies`). Both are measured by this tree's
`bench/django_side.py measure`, copied into the other tree for the run, so both count the same
things, median over four patients, with their queries: the first request after a publish of one
more study, in a process that showed the version before, and the first request of a new worker.
Rounds alternate between the trees, so a busy moment of the machine falls on both. Nothing is
asserted: timings vary with the machine and its load.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import ROOT, app_env  # noqa: E402
from speed import EXTRA_STUDIES, result_paths  # noqa: E402

# This tree's measure, as the other tree runs it.
BORROWED_MEASURE = "bench/django_side_measure.py"


def prepared(tree: Path, tmp: Path) -> dict[str, str]:
    """The environment of ``tree``'s app on its own seeded database with the extra studies."""
    tmp.mkdir()
    env = app_env(tmp)
    run = lambda *args: subprocess.run([sys.executable, *args], cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: E731
    run("manage.py", "migrate", "--noinput", "--verbosity", "0")
    run("manage.py", "load_evidence")
    run("manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    run("bench/django_side.py", "add-studies", str(EXTRA_STUDIES))
    if tree != ROOT:
        shutil.copy(ROOT / "bench" / "django_side.py", tree / BORROWED_MEASURE)
    return env


KINDS = {"published": "after a publish", "new_worker": "in a new worker"}


def first_page(tree: Path, env: dict[str, str], paths: list[str]) -> dict[str, tuple[float, int]]:
    """Per kind of first page: the median over ``paths`` and the most queries any of them needed."""
    measure = "bench/django_side.py" if tree == ROOT else BORROWED_MEASURE
    out = subprocess.run([sys.executable, measure, "measure", *paths], cwd=tree, env=env, check=True, capture_output=True).stdout
    measured = json.loads(out).values()
    return {
        kind: (statistics.median(m[f"{kind}_ms"] for m in measured), max(m[f"{kind}_queries"] for m in measured))
        for kind in KINDS
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="the revision to measure against, e.g. a commit or HEAD~3")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    paths = result_paths(16)[:4]  # the patients bench/speed.py measures in process
    before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="cledss-first-page-") as tmp:
        other = Path(tmp) / "other"
        subprocess.run(["git", "worktree", "add", "--detach", str(other), args.revision], cwd=ROOT, check=True, capture_output=True)
        try:
            trees = {args.revision: other, "this tree": ROOT}
            envs = {name: prepared(tree, Path(tmp) / name.replace(" ", "-")) for name, tree in trees.items()}
            rounds = [{name: first_page(tree, envs[name], paths) for name, tree in trees.items()} for _ in range(args.rounds)]
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False, capture_output=True)
    after = os.getloadavg()

    print(
        f"First result page, +{EXTRA_STUDIES} studies, median of {len(paths)} patients, in process;"
        f" {os.cpu_count()} cores, load average before {before[0]:.2f}, after {after[0]:.2f}"
    )
    names = list(rounds[0])
    for kind, label in KINDS.items():
        print(f"  {label}")
        print("    round  " + "".join(f"{name:>22}" for name in names))
        for number, measured in enumerate(rounds, 1):
            print(f"    {number:>5}  " + "".join(f"{measured[n][kind][0]:>12.1f} ms, {measured[n][kind][1]} q" for n in names))
        medians = {name: statistics.median(r[name][kind][0] for r in rounds) for name in names}
        goal = medians["this tree"] <= 100 and all(r["this tree"][kind][1] <= 3 for r in rounds)
        print(
            "    median " + "".join(f"{medians[n]:>19.1f} ms" for n in names)
            + f"   ratio this tree / {args.revision}: {medians['this tree'] / medians[args.revision]:.2f}"
            + (f"   (goal: at most 100 ms and 3 queries -> {'met' if goal else 'not met'})" if kind == "published" else "")
        )


if __name__ == "__main__":
    main()
