"""How fast the everyday CLI answers: `thidua --help`, `plan check` and `calendar`, as cold processes.

Each command runs RUNS times as a new process (after one warm-up run that fills the OS file cache);
prints the median and the range of each, then one JSON line: {"help_s", "plan_check_s", "calendar_s"}.
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THIDUA = Path(sys.executable).with_name("thidua")
RUNS = 10
COMMANDS = {
    "help_s": [str(THIDUA), "--help"],
    "plan_check_s": [str(THIDUA), "plan", "check", *sorted(str(p) for p in (ROOT / "plans").glob("*.yaml"))],
    "calendar_s": [str(THIDUA), "calendar", str(ROOT / "plans" / "loc-ninh-2024-2025.yaml"), "--year", "2025"],
}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=60)
    return time.perf_counter() - start


def main() -> None:
    figures = {}
    for name, command in COMMANDS.items():
        timed(command)
        runs = [timed(command) for _ in range(RUNS)]
        figures[name] = round(statistics.median(runs), 3)
        print(f"{' '.join(command[1:3]):<24} median {figures[name]:.3f} s  (min {min(runs):.3f}, max {max(runs):.3f}, {RUNS} runs)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
