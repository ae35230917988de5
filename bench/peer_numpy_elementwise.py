#!/usr/bin/python3
"""numpy peer for bench_core's elementwise benchmarks: the same ops on 4M float32.

Prints run_bench.py's peer lines (see its docstring): bytes_per_second counting bytes read +
written by the ideal kernel, as bench_core does (a+b: 3 arrays of 16 MiB; a*2, relu, exp: 2).
Each op allocates its output, as numpy code normally does.
"""

import json
import os
import statistics
import sys
import time


def measure(fn, min_time, repetitions):
    """Median seconds per call over `repetitions` runs of at least `min_time` seconds each."""
    fn()  # warm-up
    per_call = []
    for _ in range(repetitions):
        calls, start = 0, time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        per_call.append(elapsed / calls)
    median = statistics.median(per_call)
    cv = statistics.pstdev(per_call) / statistics.mean(per_call) if len(per_call) > 1 else None
    return median, cv


def main():
    try:
        import numpy as np
    except ImportError:
        print(json.dumps({"name": "numpy_add/4M", "error": "numpy not installed"}))
        return 0
    min_time = float(os.environ.get("BENCH_MIN_TIME", "0.1"))
    repetitions = int(os.environ.get("BENCH_REPETITIONS", "3"))
    print(json.dumps({"context": {"numpy": np.__version__}}))

    n = 4 << 20
    rng = np.random.default_rng(0)
    a = rng.uniform(-1.0, 1.0, n).astype(np.float32)
    b = rng.uniform(-1.0, 1.0, n).astype(np.float32)
    array_bytes = a.nbytes
    two = np.float32(2.0)  # a Python float would keep float32 too, but be explicit
    ops = [
        ("numpy_add/4M", lambda: a + b, 3),
        ("numpy_scale/4M", lambda: a * two, 2),
        ("numpy_relu/4M", lambda: np.maximum(a, np.float32(0)), 2),
        ("numpy_exp/4M", lambda: np.exp(a), 2),
    ]
    for name, fn, arrays in ops:
        seconds, cv = measure(fn, min_time, repetitions)
        record = {"name": name, "value": arrays * array_bytes / seconds,
                  "unit": "bytes_per_second"}
        if cv is not None:
            record["cv"] = cv
        print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
