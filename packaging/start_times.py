"""Process start times of the bundle against the plain installation (docs/performance.md).

    .venv/bin/python packaging/start_times.py              # medians of 5 after 1 warm-up
    .venv/bin/python packaging/start_times.py --repeat 9 --json /tmp/start.json

Times, headless (QT_QPA_PLATFORM=offscreen), ``--version`` and ``--demo --screenshot`` of
packaging/dist/invigilator-app/invigilator-app, .venv/bin/invigilator-app and
``python -m invigilator_app``, each on a fresh temporary data folder. The key-derivation
cost is the production one (the demo store's key slots are made and unlocked as for a
user); nothing outside the test suite can lower it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUNDLE = HERE / "dist" / "invigilator-app" / "invigilator-app"
VENV = ROOT / ".venv" / "bin"

STARTS = {
    "bundle": [str(BUNDLE)],
    ".venv/bin/invigilator-app": [str(VENV / "invigilator-app")],
    "python -m invigilator_app": [str(VENV / "python"), "-m", "invigilator_app"],
}


def once(argv: list[str], work: Path, kdf: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INVIGILATOR_", "QT_", "PYTHON"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        INVIGILATOR_DATA_DIR=str(work / "store"),
        HOME=str(work),
        XDG_DATA_HOME=str(work / "data"),
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_CACHE_HOME=str(work / "cache"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    env.pop("DISPLAY", None)
    started = time.perf_counter()
    subprocess.run(argv, env=env, cwd=work, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - started


def measure(repeat: int, kdf: str = "production") -> dict[str, dict[str, float]]:
    """Round-robin over the three ways to start, so a busy moment slows them all alike."""
    results: dict[str, dict[str, float]] = {}
    for action, args in (("--version", ["--version"]), ("--demo --screenshot", ["--demo", "--screenshot"])):
        samples: dict[str, list[float]] = {label: [] for label in STARTS}
        for i in range(repeat + 1):
            for label, start in STARTS.items():
                with tempfile.TemporaryDirectory(prefix="invigilator-start-") as tmp:
                    extra = [str(Path(tmp) / "shot.png")] if action != "--version" else []
                    seconds = once([*start, *args, *extra], Path(tmp), kdf)
                if i:  # the first round only warms the disk cache
                    samples[label].append(seconds)
        for label, values in samples.items():
            key = f"{label} {action}"
            results[key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
            print(
                f"{key:48} median {results[key]['median']:.2f} s  (min {results[key]['min']:.2f}, "
                f"max {results[key]['max']:.2f}, n={repeat})",
                flush=True,
            )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--kdf", choices=("production",), default="production")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not BUNDLE.exists():
        print(f"no bundle at {BUNDLE}: run packaging/build_linux.py first", file=sys.stderr)
        return 2
    results = measure(args.repeat, args.kdf)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
