"""Mutation check: apply each listed bug to a temporary copy of the repository and show that a test fails.

    .venv/bin/python scripts/mutations.py                      # every mutation (a few minutes on 2 busy cores)
    .venv/bin/python scripts/mutations.py optim-global-step    # some of them, by name

Each mutation is a textual patch (its ``old`` text must occur exactly once) and the tests meant to catch it.
The copy's tests run first unmutated (they must pass), then once per mutation with ``-x``: a mutation is
*killed* when a test fails, *survives* when they all pass. The script prints which test killed each one and
exits 1 if any survived. It is not part of the test run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NO_POSTGRES = ("-k", "not postgresql")  # the PostgreSQL variants test the same code; skip the server start
MEMORY_STATE_TESTS = ("tests/peer_store/test_memory.py", "-k", "frozen or state_dict or split_parameters")


@dataclass(frozen=True)
class Mutation:
    name: str
    what: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = [
    Mutation(
        "optim-global-step", "row-wise Adam corrects bias with the global step, not the row's own count",
        "peer_store/optim.py", "stepf = step.float()", 'stepf = state["step"].max().float().expand_as(step)',
        ("tests/peer_store/test_optim_reference.py",),
    ),
    Mutation(
        "optim-decay-scale", "row-wise decay is not scaled by the learning rate",
        "peer_store/optim.py", "mul_(1 - lr * wd)", "mul_(1 - wd)",
        ("tests/peer_store/test_optim_reference.py",),
    ),
    Mutation(
        "memory-no-unfreeze", "loading a trainable state into a frozen memory leaves it frozen",
        "peer_store/memory.py", "            else:\n                seg.requires_grad_(True)\n", "",
        MEMORY_STATE_TESTS,
    ),
    Mutation(
        "optim-stale-frozen-state", "frozen parameters keep their optimizer state",
        "peer_store/optim.py", "self.state.pop(p, None)  # frozen", "pass  # frozen",
        MEMORY_STATE_TESTS,
    ),
    Mutation(
        "models-check-drift", "a model's CHECK constraint changes without a migration",
        "peer_store/db/models.py", 'CheckConstraint(f"status IN ({_STATUSES})"',
        "CheckConstraint(f\"status IN ({_STATUSES}, 'archived')\"",
        ("tests/db/test_migrations.py", "tests/db/test_check_constraints.py", *NO_POSTGRES),
    ),
    Mutation(
        "store-file-unchecked", "a registry row's file is joined to the store path unchecked",
        "peer_store/db/layout.py", "    name = PurePosixPath(file)\n", "    return root / file\n",
        ("tests/db/test_untrusted_store.py", *NO_POSTGRES),
    ),
    Mutation(
        "lock-follows-links", "the lock file is opened through a symbolic link",
        "peer_store/db/lock.py", "os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW", "os.O_RDWR | os.O_CREAT",
        ("tests/db/test_untrusted_store.py", "-k", "lock"),
    ),
    Mutation(
        "leftovers-ignored", "fsck and gc ignore unfinished writes outside the file folders",
        "peer_store/db/check.py", "for name in files if is_unfinished_write(name))", "for name in files if False)",
        ("tests/db/test_leftovers.py", *NO_POSTGRES),
    ),
    Mutation(
        "checkpoint-pickles", "a resume loads the checkpoint with pickles allowed",
        "trainer/fit.py", 'return torch.load(checkpoint, map_location="cpu", weights_only=True)',
        'return torch.load(checkpoint, map_location="cpu", weights_only=False)',
        ("tests/trainer/test_checkpoint_trust.py",),
    ),
]


def copy_repository(into: Path) -> None:
    """The files git tracks, and the untracked ones it does not ignore (no .venv, no caches)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, into / name)


def run_tests(root: Path, args: tuple[str, ...]) -> tuple[int, str]:
    """pytest's exit status on the copy, and the first failing test (or pytest's last line)."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-rf", "-p", "no:cacheprovider", *args],
                          cwd=root, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)})
    failed = re.findall(r"^FAILED (\S+)", done.stdout, re.MULTILINE)
    tail = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return done.returncode, failed[0] if failed else tail[-1] if tail else ""


def imports_from(root: Path) -> Path:
    where = subprocess.run([sys.executable, "-c", "import peer_store; print(peer_store.__file__)"], cwd=root,
                           capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(root)})
    return Path(where.stdout.strip()).parent.parent


def main(names: list[str]) -> int:
    chosen = [m for m in MUTATIONS if not names or m.name in names]
    if unknown := set(names) - {m.name for m in MUTATIONS}:
        print(f"unknown mutations {sorted(unknown)}; known: {', '.join(m.name for m in MUTATIONS)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="peer-mutations-") as tmp:
        root = Path(tmp)
        copy_repository(root)
        assert imports_from(root) == root, f"the copy imports peer_store from {imports_from(root)}"
        survived, passing = [], set()
        for m in chosen:
            source = root / m.file
            original = source.read_text()
            assert original.count(m.old) == 1, f"{m.name}: {m.old!r} occurs {original.count(m.old)} times in {m.file}"
            started = time.perf_counter()
            if m.tests not in passing:
                rc, detail = run_tests(root, m.tests)
                if rc != 0:
                    print(f"{m.name}: the unmutated tests fail ({detail}); fix them first", file=sys.stderr)
                    return 2
                passing.add(m.tests)
            source.write_text(original.replace(m.old, m.new))
            try:
                rc, detail = run_tests(root, m.tests)
            finally:
                source.write_text(original)
            verdict = {0: "SURVIVED", 1: "killed by"}.get(rc, f"error (pytest exit {rc}):")
            print(f"{m.name:26s} {verdict} {detail}  [{m.what}; {time.perf_counter() - started:.0f} s]", flush=True)
            if rc != 1:
                survived.append(m.name)
    if survived:
        print(f"not killed: {', '.join(survived)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
