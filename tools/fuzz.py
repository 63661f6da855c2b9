"""``make fuzz``: run banmian's fuzz targets (tests/test_fuzz.py) for minutes.

Each round feeds every target (the edition loader, the Markdown module parser, the importer)
one random input through Hypothesis's ``fuzz_one_input``; a target that raises anything but a
``BanmianError`` (which would be exit 3 and a traceback) stops the run and shows the input.
``--minutes`` (``make fuzz FUZZ_MINUTES=…``, default 10) bounds the run.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _targets() -> tuple[object, ...]:
    sys.path.insert(0, str(ROOT / "src"))
    spec = importlib.util.spec_from_file_location("banmian_fuzz", ROOT / "tests/test_fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.TARGETS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else time.time_ns()
    rng = random.Random(seed)
    targets = _targets()
    deadline = time.monotonic() + args.minutes * 60
    runs = {getattr(t, "__name__", "?"): 0 for t in targets}
    print(f"fuzzing {len(targets)} targets for {args.minutes:g} min (seed {seed})", flush=True)
    while time.monotonic() < deadline:
        for target in targets:
            buffer = rng.randbytes(rng.choice((64, 256, 1024, 4096)))
            target.hypothesis.fuzz_one_input(buffer)  # type: ignore[attr-defined]
            runs[getattr(target, "__name__", "?")] += 1
    print("no exit 3: " + ", ".join(f"{name} {n} inputs" for name, n in runs.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
