"""Set up ttwell and run it, using nothing but the Python standard library.

Two commands do everything on a fresh machine that has only Python 3.11+ and pip:

    python dev.py run     # create .venv, install ttwell, run every notebook on the synthetic data
    python dev.py test    # create .venv, install ttwell with test tools, run the whole test suite

Other commands:

    python dev.py regenerate-notebooks   # re-execute the committed notebooks in place (golden outputs); first
                                         # rewrites data/synthetic/services (three synthetic services' baseline
                                         # results) that notebooks/compare_services.ipynb compares
    python dev.py bench                  # run the benchmarks in benchmarks/
    python dev.py same-outputs REV       # show that results.json and CSV tables match those of git revision REV

Tools are called as ``.venv/bin/python -m ...`` (``.venv\\Scripts\\python.exe`` on Windows), so no
virtual-environment activation is needed (PowerShell's execution policy never gets in the way).
pip runs as a subprocess, so your pip.ini, PIP_INDEX_URL and proxy settings apply.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".ttwell-installed"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def run(cmd: list[str], **kwargs) -> int:
    say(" ".join(str(c) for c in cmd))
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kwargs)


def ensure_environment(extras: str) -> Path:
    """Create .venv and install ttwell (editable) unless pyproject.toml is unchanged since last time."""
    if sys.version_info < (3, 11):
        sys.exit(f"ttwell needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    py = venv_python()
    if not py.exists():
        say(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text(encoding="utf-8") == wanted:
        return py
    say("installing ttwell and its dependencies (first run takes a minute or two)")
    code = run([py, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", f".[{extras}]"])
    if code != 0:
        sys.exit(
            "pip could not install ttwell's dependencies (exit status "
            f"{code}). If you are on an NHS network, check your proxy settings, pip.ini or "
            "PIP_INDEX_URL, then run this command again."
        )
    STAMP.write_text(wanted, encoding="utf-8")
    return py


def cmd_run(args: list[str]) -> int:
    py = ensure_environment("test")
    return run([py, "-m", "ttwell", "run", "all", *args])


def ensure_axe_core() -> None:
    """axe-core for the accessibility test, from npm into .venv/axe-core (best effort: without npm or the
    network the test says it was skipped; nothing else depends on it)."""
    import shutil

    target = VENV / "axe-core"
    if (target / "node_modules" / "axe-core" / "axe.min.js").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        say("npm not found: the accessibility (axe-core) test will be skipped")
        return
    target.mkdir(parents=True, exist_ok=True)
    code = subprocess.call([npm, "install", "--no-save", "--silent", "--no-audit", "--no-fund", "--prefix",
                            str(target), "axe-core@4"], cwd=ROOT)
    if code != 0:
        say("could not install axe-core with npm: the accessibility test will be skipped")


def cmd_test(args: list[str]) -> int:
    py = ensure_environment("test")
    ensure_axe_core()
    # One BLAS thread: ttwell's matrices are small, and threads fighting over 2 cores slowed the models 20-fold.
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONWARNDEFAULTENCODING="1", OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    code = run([py, "-m", "pytest", *args], env=env)
    if code == 5:
        say("pytest collected no tests: treating that as a failure.")
        return 1
    return code


def cmd_regenerate(args: list[str]) -> int:
    py = ensure_environment("test")
    return run([py, "-m", "ttwell.running.runner", "--regenerate-goldens", *args])


def cmd_bench(args: list[str]) -> int:
    py = ensure_environment("test")
    code = 0
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        code |= run([py, script, *args])
    return code


def _outputs(folder: Path) -> dict[str, bytes]:
    """Every results.json and CSV table under ``folder``, keyed by relative path."""
    return {str(f.relative_to(folder)): f.read_bytes()
            for f in sorted(folder.rglob("*")) if f.suffix in {".json", ".csv"} and f.is_file()}


def cmd_same_outputs(args: list[str]) -> int:
    """Run every notebook on the shipped data with the code of REV and with the working tree, then compare
    every results.json and CSV table byte for byte. Used to show that a restructuring changed no figure."""
    import json
    import shutil
    import tempfile

    if len(args) != 1:
        sys.exit("usage: python dev.py same-outputs REV   (a git revision, e.g. main~3)")
    py = ensure_environment("test")
    work = Path(tempfile.mkdtemp(prefix="ttwell-same-outputs-"))
    old_tree = work / "old-tree"
    try:
        if run(["git", "worktree", "add", "--detach", old_tree, args[0]]) != 0:
            sys.exit(f"git could not check out {args[0]}")
        # The old code is imported from its own tree (PYTHONPATH comes before the editable install), and it
        # finds its own notebooks and shipped data beside itself.
        old_env = dict(os.environ, PYTHONPATH=str(old_tree), OPENBLAS_NUM_THREADS="1")
        new_env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
        # Both runs write to a folder of the same name: the annual notebook records the name of the folder it
        # read the other reports from.
        for env, out in ((old_env, work / "old" / "reports"), (new_env, work / "new" / "reports")):
            code = subprocess.call([str(py), "-m", "ttwell", "run", "all", "--out", str(out)], cwd=work, env=env)
            if code != 0:
                sys.exit(f"ttwell run all failed for {out.parent.name} (exit status {code})")
        # Parameters record where the inputs and the other reports' results were read: the two checkouts and the
        # two run folders differ by design, so those paths are written as placeholders before comparing.
        def placeholders(files: dict[str, bytes], tree: Path, out: Path) -> dict[str, bytes]:
            return {k: v.replace(str(out).encode(), b"<run folder>").replace(str(tree).encode(), b"<checkout>")
                    for k, v in files.items()}

        old = placeholders(_outputs(work / "old" / "reports"), old_tree, work / "old" / "reports")
        new = placeholders(_outputs(work / "new" / "reports"), ROOT, work / "new" / "reports")
        differ = sorted(name for name in old.keys() & new.keys() if old[name] != new[name])
        only_old, only_new = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
        for name in differ:
            if name.endswith(".json"):
                a, b = json.loads(old[name]), json.loads(new[name])
                keys = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
                say(f"differs: {name} (keys: {', '.join(keys)})")
            else:
                say(f"differs: {name}")
        for name in only_old:
            say(f"only in {args[0]}: {name}")
        for name in only_new:
            say(f"only in the working tree: {name}")
        if differ or only_old or only_new:
            return 1
        say(f"same outputs: {len(new)} files (results.json and CSV tables) identical to {args[0]}")
        return 0
    finally:
        subprocess.call(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT)
        shutil.rmtree(work, ignore_errors=True)


COMMANDS = {
    "run": cmd_run,
    "test": cmd_test,
    "regenerate-notebooks": cmd_regenerate,
    "bench": cmd_bench,
    "same-outputs": cmd_same_outputs,
}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
