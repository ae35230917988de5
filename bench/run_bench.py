#!/usr/bin/python3
"""Runs keras-cpp's benchmarks against their peers and writes BENCHMARKS.md.

Called by `./run bench` as: run_bench.py --build BUILD --out BENCHMARKS.md

What it runs
  * Every executable BUILD/bench_* (one per bench/*.cpp, Google Benchmark), with
    --benchmark_format=json, a short --benchmark_min_time and a few repetitions; the median of
    the repetitions is used. Benchmarks report real (wall) time.
  * Every script bench/peer_*.py, with this interpreter, for peers that live in Python (numpy,
    PyTorch, h5py...).

Python peer interface
  A peer script prints one JSON object per line on stdout, one per measurement:
      {"name": "numpy_add/4M", "value": 1.9e10, "unit": "bytes_per_second"}
  optionally with "cv" (coefficient of variation over its repetitions, e.g. 0.03) and "label".
  A line {"context": {"numpy": "1.24.2"}} adds library versions to the report's machine section.
  unit is one of UNITS below: the *_per_second units are rates (higher is better), "seconds" is
  the time of one operation (lower is better). Lines that are not JSON objects are ignored; log to
  stderr. The script reads BENCH_MIN_TIME (seconds to spend per repetition) and BENCH_REPETITIONS
  from its environment, should finish within ~20 s, and exits 0. When its library is missing it
  prints {"name": "<prefix>", "error": "torch not installed"} (or nothing) and exits 0: the
  report shows the peer as missing rather than failing.

Comparisons
  ROWS below maps each keras benchmark to its peer (a benchmark of the same run, C++ or Python),
  the metric compared and a target ratio. ratio = keras speed / peer speed, so > 1 means keras is
  faster, whatever the unit (for "seconds", ratio = peer time / keras time). To add a comparison
  (training throughput vs PyTorch, HDF5 save/load vs fwrite and h5py...) add a GROUPS entry and
  ROWS rows; nothing else changes.

Missed targets never fail: benchmarks report, they do not gate. The exit status is non-zero only
when a benchmark executable itself crashes (a bug), after BENCHMARKS.md has been written.
"""

import argparse
import datetime
import glob
import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

UNITS = ("flops_per_second", "bytes_per_second", "items_per_second", "seconds")


@dataclass
class Group:
    title: str
    metric: str  # one of UNITS
    peer_label: str  # column heading of the peer
    note: str = ""


@dataclass
class Row:
    group: str
    label: str
    keras: str  # benchmark name
    peer: str  # benchmark name
    target: float  # minimum ratio keras/peer we aim for
    refs: dict = field(default_factory=dict)  # extra reference columns: heading -> benchmark


GROUPS = {
    "matmul": Group(
        "Matrix product at the MLP training shapes (keras::ops::matmul vs cblas_sgemm)",
        "flops_per_second", "cblas_sgemm",
        "GFLOP/s = 2·M·N·K / wall time. Both sides call the same OpenBLAS with the same thread "
        "count; the peer writes into a preallocated C, keras allocates its output (cached). "
        "dW and dX read the transposed operand through the BLAS transpose flag, as a backward "
        "pass does."),
    "elementwise": Group(
        "Elementwise ops on 4M float32 (16 MiB per array) vs memcpy of 16 MiB",
        "bytes_per_second", "memcpy",
        "GB/s = (bytes read + bytes written by the ideal kernel) / wall time: a+b moves 3 arrays, "
        "a*2, relu, exp and memcpy move 2. The ratio is the fraction of memcpy's streaming "
        "bandwidth the op reaches. *loop* is the plain C++ loop compiled with the library's "
        "flags into a preallocated output; *numpy* allocates a fresh output per call, as "
        "keras does (keras reuses it from its caching allocator)."),
    "training": Group(
        "Training throughput vs PyTorch (same model, same synthetic Fashion-MNIST-shaped data)",
        "items_per_second", "PyTorch",
        "samples/s of full training steps (forward, loss, backward, Adam update; the MLP has "
        "Dropout 0.5). keras-cpp runs model.train_on_batch in one process with OpenBLAS's "
        "default threads; PyTorch (Debian python3-torch) runs each thread setting in its own "
        "process and the best is shown (its label names it)."),
    "checkpoint": Group(
        "TF checkpoint save/load of a ~100M-parameter model (six Dense 4096x4096) vs fwrite/fread",
        "bytes_per_second", "fwrite/fread",
        "Parameter bytes per second. keras: model.save_weights(prefix) (bundle writer: data + "
        "index, fsync, atomic renames) and model.load_weights(prefix) (CRC-checked reads into the "
        "variables); peer: fwrite + fflush + fsync of the same byte count / fread into a fresh "
        "buffer. Files live in the temp directory; the page cache makes reads memory-bound."),
    "latency": Group(
        "Inference latency, one sample", "seconds", "PyTorch",
        "Wall time of one forward pass on a single 784-float sample (keras predict_on_batch, "
        "PyTorch model(x) under no_grad); ratio = PyTorch time / keras time."),
}

# The GEMMs of one Dense(784 -> 256) training step, at batch 128 and 32.
MATMUL_SHAPES = [
    ("fwd/b128", "x·W 128×784 @ 784×256"),
    ("dW/b128", "xᵀ·g 784×128 @ 128×256"),
    ("dX/b128", "g·Wᵀ 128×256 @ 256×784"),
    ("fwd/b32", "x·W 32×784 @ 784×256"),
    ("dW/b32", "xᵀ·g 784×32 @ 32×256"),
    ("dX/b32", "g·Wᵀ 32×256 @ 256×784"),
]


def blas_thread_counts():
    """The OpenBLAS thread counts bench_core sweeps: 1 and every core."""
    cores = os.cpu_count() or 1
    return [1, cores] if cores > 1 else [1]


ROWS = []
for _shape, _desc in MATMUL_SHAPES:
    for _t in blas_thread_counts():
        ROWS.append(Row("matmul", f"{_shape} ({_desc}), {_t} thread{'s' if _t > 1 else ''}",
                        f"keras_matmul/{_shape}/threads:{_t}",
                        f"cblas_sgemm/{_shape}/threads:{_t}", 0.9))
ROWS += [
    Row("checkpoint", "save_weights (TF checkpoint)", "keras_ckpt_save/100M", "fwrite/100M", 0.8),
    Row("checkpoint", "load_weights (TF checkpoint)", "keras_ckpt_load/100M", "fread/100M", 0.8),
]
ROWS += [
    Row("training", "seed MLP, batch 32 (samples/s)", "keras_train_mlp/b32",
        "torch_train_mlp/b32", 1.5),
    Row("training", "seed MLP, batch 128 (samples/s)", "keras_train_mlp/b128",
        "torch_train_mlp/b128", 1.5),
    Row("training", "CNN, batch 64 (samples/s)", "keras_train_cnn/b64", "torch_train_cnn/b64", 1.0),
    Row("latency", "seed MLP, predict one sample", "keras_predict_mlp/1", "torch_predict_mlp/1",
        1.0),
]
ROWS += [
    Row("elementwise", "a + b", "keras_add/4M", "memcpy/16MiB", 0.5,
        {"loop": "loop_add/4M", "numpy": "numpy_add/4M"}),
    Row("elementwise", "a * 2.0", "keras_scale/4M", "memcpy/16MiB", 0.5,
        {"loop": "loop_scale/4M", "numpy": "numpy_scale/4M"}),
    Row("elementwise", "relu(a)", "keras_relu/4M", "memcpy/16MiB", 0.5,
        {"numpy": "numpy_relu/4M"}),
    Row("elementwise", "exp(a)", "keras_exp/4M", "memcpy/16MiB", 0.5,
        {"numpy": "numpy_exp/4M"}),
]


# ---------------------------------------------------------------- running

class Result:
    """One benchmark's median measurement: a value per unit, plus its spread."""

    def __init__(self, name, values, cv=None, label="", error=None, source=""):
        self.name, self.values, self.cv = name, values, cv
        self.label, self.error, self.source = label, error, source


TIME_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def parse_gbench(doc, source):
    """Google Benchmark JSON -> {name: Result}, using the median aggregate when repeated."""
    results, cvs = {}, {}
    for b in doc.get("benchmarks", []):
        run_name = b.get("run_name", b["name"])
        # UseRealTime() appends "/real_time" to every name; the comparison table omits it.
        key = re.sub(r"/real_time$", "", run_name)
        if b.get("error_occurred"):
            results[key] = Result(key, {}, error=b.get("error_message", "error"), source=source)
            continue
        agg = b.get("aggregate_name")
        if b.get("run_type") == "aggregate" and agg == "cv":
            cvs[key] = b.get("real_time")
            continue
        if b.get("run_type") == "aggregate" and agg != "median":
            continue
        if key in results and b.get("run_type") != "aggregate":
            continue  # a lone iteration row, superseded by the median when present
        values = {"seconds": b["real_time"] * TIME_UNIT_SECONDS[b.get("time_unit", "ns")]}
        if "FLOPS" in b:
            values["flops_per_second"] = b["FLOPS"]
        if "bytes_per_second" in b:
            values["bytes_per_second"] = b["bytes_per_second"]
        if "items_per_second" in b:
            values["items_per_second"] = b["items_per_second"]
        results[key] = Result(key, values, label=b.get("label", ""), source=source)
    for key, cv in cvs.items():
        if key in results:
            results[key].cv = cv
    return results


def run_gbench(exe, args, env, raw_dir):
    cmd = [exe, "--benchmark_format=json", f"--benchmark_min_time={args.min_time}",
           f"--benchmark_repetitions={args.repetitions}",
           "--benchmark_report_aggregates_only=true"]
    if args.repetitions > 1:
        # Repetitions of all benchmarks run in random order, so a burst of load from elsewhere
        # hits keras and its peer alike instead of whichever ran at that moment.
        cmd.append("--benchmark_enable_random_interleaving=true")
    if args.filter:
        cmd.append(f"--benchmark_filter={args.filter}")
    print(f"run_bench: {' '.join(cmd)}", file=sys.stderr, flush=True)
    name = os.path.basename(exe)
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=args.exe_timeout)
    except subprocess.TimeoutExpired:
        return {}, {}, f"{name} timed out after {args.exe_timeout} s"
    with open(os.path.join(raw_dir, name + ".json"), "w") as f:
        f.write(proc.stdout)
    if proc.returncode != 0:
        return {}, {}, f"{name} exited with status {proc.returncode}: {proc.stderr.strip()[-500:]}"
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        return {}, {}, f"{name} printed invalid JSON ({e})"
    return parse_gbench(doc, name), doc.get("context", {}), None


def run_python_peer(script, args, env, raw_dir, versions):
    """Runs one bench/peer_*.py; returns ({name: Result}, problem or None). Never raises.

    Library versions it reports ({"context": {...}}) are added to `versions`."""
    name = os.path.basename(script)
    print(f"run_bench: {sys.executable} {script}", file=sys.stderr, flush=True)
    try:
        proc = subprocess.run([sys.executable, script], env=env, capture_output=True, text=True,
                              timeout=args.peer_timeout)
    except subprocess.TimeoutExpired:
        return {}, f"{name} timed out after {args.peer_timeout} s"
    with open(os.path.join(raw_dir, name + ".jsonl"), "w") as f:
        f.write(proc.stdout)
    results, problems = {}, []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec.get("context"), dict):
            versions.update({str(k): str(v) for k, v in rec["context"].items()})
            continue
        rname = rec.get("name")
        if not isinstance(rname, str):
            continue
        if "error" in rec:
            problems.append(f"{rname}: {rec['error']}")
            continue
        unit = rec.get("unit")
        if unit not in UNITS or not isinstance(rec.get("value"), (int, float)):
            problems.append(f"{rname}: bad unit/value {unit!r}/{rec.get('value')!r}")
            continue
        results[rname] = Result(rname, {unit: float(rec["value"])}, cv=rec.get("cv"),
                                label=rec.get("label", ""), source=name)
    if proc.returncode != 0:
        problems.append(f"exited with status {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return results, (f"{name}: " + "; ".join(problems)) if problems else None


# ---------------------------------------------------------------- report

def fmt_value(value, unit):
    if unit == "flops_per_second":
        return f"{value / 1e9:.1f} GFLOP/s"
    if unit == "bytes_per_second":
        return f"{value / 1e9:.1f} GB/s"
    if unit == "items_per_second":
        return f"{value:,.0f} /s"
    if value < 1e-3:
        return f"{value * 1e6:.1f} µs"
    return f"{value * 1e3:.2f} ms" if value < 1 else f"{value:.2f} s"


def speed_ratio(keras_value, peer_value, unit):
    """keras speed / peer speed (> 1: keras faster)."""
    if unit == "seconds":
        return peer_value / keras_value
    return keras_value / peer_value


def metric_of(results, name, unit):
    r = results.get(name)
    if r is None or r.error or unit not in r.values:
        return None
    return r.values[unit]


def cell(results, name, unit):
    r = results.get(name)
    if r is None:
        return "missing"
    if r.error:
        return f"n/a ({r.error})"
    if unit not in r.values:
        return f"n/a (no {unit})"
    text = fmt_value(r.values[unit], unit)
    if r.cv is not None:
        text += f" ±{100 * r.cv:.0f}%"
    return text


def group_table(group_key, group, results):
    rows = [r for r in ROWS if r.group == group_key]
    ref_heads = []
    for r in rows:
        for head in r.refs:
            if head not in ref_heads:
                ref_heads.append(head)
    unit = group.metric
    lines = [f"## {group.title}", ""]
    head = ["benchmark", "keras", group.peer_label, "ratio", "target"] + ref_heads
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    missed = met = 0
    for r in rows:
        k, p = metric_of(results, r.keras, unit), metric_of(results, r.peer, unit)
        if k is not None and p is not None and p > 0 and k > 0:
            ratio = speed_ratio(k, p, unit)
            ok = ratio >= r.target
            met += ok
            missed += not ok
            ratio_text = f"{ratio:.2f}" if ok else f"**{ratio:.2f}**"
            target_text = f"≥ {r.target:.2f} {'met' if ok else 'missed'}"
        else:
            ratio_text, target_text = "—", f"≥ {r.target:.2f}"
        label = r.label
        kres = results.get(r.keras)
        if kres is not None and kres.label:
            label += f" ({kres.label})"
        cells = [label, cell(results, r.keras, unit), cell(results, r.peer, unit), ratio_text,
                 target_text]
        for headname in ref_heads:
            name = r.refs.get(headname)
            if name is None:
                cells.append("")
                continue
            text = cell(results, name, unit)
            v = metric_of(results, name, unit)
            if k is not None and v:
                text += f" (keras ×{speed_ratio(k, v, unit):.2f})"
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", group.note, "", f"Targets met: {met}, missed: {missed} "
              f"(a bold ratio missed its target; ± is the coefficient of variation over the "
              f"repetitions).", ""]
    return lines


def thread_table(results):
    """cblas_sgemm with 1 thread vs all cores, per shape: the basis for OPENBLAS_NUM_THREADS."""
    counts = blas_thread_counts()
    if len(counts) < 2:
        return []
    n = counts[-1]
    lines = [f"## OpenBLAS threads: 1 vs {n} (cblas_sgemm)", "",
             f"| shape | 1 thread | {n} threads | speedup |", "|---|---:|---:|---:|"]
    faster = measured = 0
    for shape, desc in MATMUL_SHAPES:
        one = metric_of(results, f"cblas_sgemm/{shape}/threads:1", "flops_per_second")
        many = metric_of(results, f"cblas_sgemm/{shape}/threads:{n}", "flops_per_second")
        if one is None or many is None:
            lines.append(f"| {shape} ({desc}) | — | — | — |")
            continue
        lines.append(f"| {shape} ({desc}) | {fmt_value(one, 'flops_per_second')} | "
                     f"{fmt_value(many, 'flops_per_second')} | ×{many / one:.2f} |")
        measured += 1
        faster += many > one
    lines += ["", f"In this run {n} threads beat 1 thread on {faster} of {measured} shapes. "
              "The benchmark processes (and keras by default) use OPENBLAS_NUM_THREADS = all "
              "cores; whether that pays off for a whole training step, where small batch-32 "
              "GEMMs may lose, is for the training-throughput benchmark to settle. A busy "
              "machine penalises the multi-threaded rows most (a thread waits for a core).", ""]
    return lines


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def getconf_caches():
    """Cache sizes from CPUID via getconf (VMs often expose no /sys cache entries)."""
    names = [("L1d", "LEVEL1_DCACHE_SIZE"), ("L2", "LEVEL2_CACHE_SIZE"),
             ("L3", "LEVEL3_CACHE_SIZE")]
    parts = []
    for label, var in names:
        try:
            out = subprocess.run(["getconf", var], capture_output=True, text=True,
                                 timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        if out.isdigit() and int(out) > 0:
            parts.append(f"{label} {int(out) // 1024} KiB")
    return ", ".join(parts) + (" (getconf)" if parts else "")


def git_revision():
    try:
        return subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def cmake_cache(build, key):
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def write_report(path, args, results, contexts, versions, problems, started, load_before,
                 load_after, blas_threads):
    ctx = next(iter(contexts.values()), {})
    caches = ", ".join(
        f"L{c['level']} {c['type'].lower()} {c['size'] // 1024} KiB"
        + (f" (shared by {c['num_sharing']})" if c.get("num_sharing", 1) > 1 else "")
        for c in ctx.get("caches", [])) or getconf_caches()
    lines = [
        "# keras-cpp benchmarks",
        "",
        "Generated by `./run bench` (bench/run_bench.py); do not edit by hand.",
        "",
        "## Machine and run",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}; revision `{git_revision()}`",
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores"
        + (f", {ctx['mhz_per_cpu']} MHz" if "mhz_per_cpu" in ctx else ""),
        f"- Caches: {caches or 'unknown'}",
        f"- Load average (1 min) before/after the run: {load_before:.2f} / {load_after:.2f}",
        f"- Compiler: {cmake_cache(args.build, 'CMAKE_CXX_COMPILER')}, build type "
        f"{cmake_cache(args.build, 'CMAKE_BUILD_TYPE')}, -O3 -march=native",
        f"- OpenBLAS: {ctx.get('openblas_config', 'unknown')}; kernels used: "
        f"{ctx.get('openblas_core', 'unknown')} (OPENBLAS_CORETYPE="
        f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')}); OPENBLAS_NUM_THREADS={blas_threads} "
        "for every benchmark process (the matmul rows set their thread count explicitly with "
        "openblas_set_num_threads, both 1 and all cores)",
        f"- Python peers: Python {platform.python_version()} ({sys.executable})"
        + "".join(f", {k} {v}" for k, v in sorted(versions.items())),
        f"- keras ops present in this build: matmul {ctx.get('keras_has_matmul', '?')}, "
        f"matmul transpose flags {ctx.get('keras_has_matmul_transpose_flags', '?')}",
        "",
        "## Method",
        "",
        f"Google Benchmark executables run with `--benchmark_min_time={args.min_time}` and "
        f"`--benchmark_repetitions={args.repetitions}`; each cell is the median of the "
        "repetitions, in wall time (OpenBLAS works on its own threads). Keras and its peer are "
        "measured in the same process on the same data, their repetitions randomly interleaved "
        "(`--benchmark_enable_random_interleaving`), so the ratio is meaningful even when "
        "absolute numbers move. *missing* means the benchmark is not in this build (e.g. the op "
        "does not exist yet). **ratio = keras speed / peer speed** "
        "(> 1: keras faster). Targets are goals, not gates: a missed target is reported, it "
        "never fails the build. Python peers (bench/peer_*.py) run after the C++ benchmarks "
        "with the same per-repetition time.",
        "",
    ]
    if args.note:
        lines += [f"**Note:** {args.note}", ""]
    cores = os.cpu_count() or 1
    if max(load_before, load_after) > 0.3 * cores:
        lines += [f"**Noisy run:** the 1-minute load average was {load_before:.2f} before and "
                  f"{load_after:.2f} after, on {cores} cores: other work shared the CPUs, so "
                  "absolute numbers are low and spreads wide; ratios are more trustworthy than "
                  "absolute values, but treat single rows with a large ± with suspicion.", ""]
    if ctx.get("library_build_type") == "debug":
        lines += ["The Debian Google Benchmark library reports itself as a debug build; that "
                  "affects only its bookkeeping between timed iterations, not the timed code.",
                  ""]
    for key, group in GROUPS.items():
        lines += group_table(key, group, results)
        if key == "matmul":
            lines += thread_table(results)
    if problems:
        lines += ["## Problems during the run", ""] + [f"- {p}" for p in problems] + [""]
    known = {r.keras for r in ROWS} | {r.peer for r in ROWS} | {
        n for r in ROWS for n in r.refs.values()}
    others = sorted(n for n in results if n not in known)
    if others:
        lines += ["## Other measurements (no comparison row)", "", "| benchmark | value |",
                  "|---|---:|"]
        for n in others:
            r = results[n]
            unit = next((u for u in UNITS if u in r.values), None)
            lines.append(f"| {n} | {r.error or fmt_value(r.values[unit], unit)} |")
        lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines).rstrip() + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True, help="CMake build directory with bench_* in it")
    ap.add_argument("--out", required=True, help="Markdown report to write")
    ap.add_argument("--min-time", type=float, default=0.2,
                    help="seconds per repetition of each benchmark (default 0.2)")
    ap.add_argument("--repetitions", type=int, default=5, help="repetitions; the median is used")
    ap.add_argument("--filter", default="", help="regex passed as --benchmark_filter")
    ap.add_argument("--blas-threads", type=int, default=os.cpu_count() or 1,
                    help="OPENBLAS_NUM_THREADS for the benchmark processes (default: all cores)")
    ap.add_argument("--peer-timeout", type=int, default=120, help="seconds per Python peer")
    ap.add_argument("--exe-timeout", type=int, default=600, help="seconds per bench executable")
    ap.add_argument("--note", default=os.environ.get("KERAS_BENCH_NOTE", ""),
                    help="a remark printed in the report (e.g. about machine load)")
    args = ap.parse_args()

    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()[0]
    raw_dir = os.path.join(args.build, "bench_results")
    os.makedirs(raw_dir, exist_ok=True)
    env = dict(os.environ)
    env["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)
    env["BENCH_MIN_TIME"] = str(args.min_time)
    env["BENCH_REPETITIONS"] = str(args.repetitions)

    results, contexts, problems, crashed = {}, {}, [], False
    exes = sorted(p for p in glob.glob(os.path.join(args.build, "bench_*"))
                  if os.path.isfile(p) and os.access(p, os.X_OK))
    if not exes:
        problems.append(f"no bench_* executables in {args.build} (built with "
                        "-DKERAS_BUILD_BENCH=ON?)")
    for exe in exes:
        res, ctx, problem = run_gbench(exe, args, env, raw_dir)
        results.update(res)
        if ctx:
            contexts[os.path.basename(exe)] = ctx
        if problem:
            problems.append(problem)
            crashed = True
    versions = {}
    for script in sorted(glob.glob(os.path.join(HERE, "peer_*.py"))):
        res, problem = run_python_peer(script, args, env, raw_dir, versions)
        results.update(res)
        if problem:
            problems.append(problem)

    load_after = os.getloadavg()[0]
    write_report(args.out, args, results, contexts, versions, problems, started, load_before,
                 load_after, args.blas_threads)
    print(f"run_bench: wrote {args.out} ({len(results)} measurements; raw JSON in {raw_dir})",
          file=sys.stderr)
    for p in problems:
        print(f"run_bench: problem: {p}", file=sys.stderr)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
