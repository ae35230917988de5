#!/usr/bin/python3
"""PyTorch (Debian python3-torch, CPU) training-throughput peer for keras-cpp's bench_train.

Measures, on synthetic Fashion-MNIST-shaped data, the seed MLP (784 -> Linear 256 + ReLU ->
Dropout 0.5 -> Linear 10, Adam 1e-3, cross-entropy on logits) at batch 32 and 128, the CNN
(Conv 32 3x3 relu, MaxPool 2, Conv 64 3x3 relu, MaxPool 2, Flatten, Linear 128 relu, Linear 10)
at batch 64, and single-sample MLP inference latency. Each measurement runs under several thread
settings in separate processes (OpenBLAS/torch read them at start-up) and the best is reported,
with the setting in its label. Output follows bench/run_bench.py's peer interface.
"""
import json
import os
import subprocess
import sys
import time

SETTINGS = [  # (label, env, torch threads)
    ("torch 1 thread", {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}, 1),
    ("torch 2 threads, OpenBLAS 1", {"OPENBLAS_NUM_THREADS": "1"}, 2),
]


def worker(kind, batch, threads, seconds):
    import torch
    import torch.nn as nn

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if kind == "mlp":
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
        x = torch.rand(60000 if batch > 1 else 1, 784)
    else:
        model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
        x = torch.rand(6400, 1, 28, 28)
    y = torch.randint(0, 10, (x.shape[0],))
    if batch == 1:  # single-sample inference latency
        model.eval()
        sample = x[:1]
        with torch.no_grad():
            for _ in range(200):
                model(sample)
            n, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < seconds:
                model(sample)
                n += 1
        return (time.perf_counter() - t0) / n
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    steps = x.shape[0] // batch

    def step(i):
        xb, yb = x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()

    for i in range(20):  # warm-up
        step(i % steps)
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step(n % steps)
        n += 1
    return n * batch / (time.perf_counter() - t0)


CASES = [  # name, kind, batch, unit
    ("torch_train_mlp/b32", "mlp", 32, "items_per_second"),
    ("torch_train_mlp/b128", "mlp", 128, "items_per_second"),
    ("torch_train_cnn/b64", "cnn", 64, "items_per_second"),
    ("torch_predict_mlp/1", "mlp", 1, "seconds"),
]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        kind, batch, threads, seconds = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
        print(worker(kind, batch, threads, seconds))
        return
    try:
        import torch  # noqa: F401
    except ImportError:
        print(json.dumps({"name": "torch_train", "error": "torch not installed"}))
        return
    import torch
    print(json.dumps({"context": {"torch": torch.__version__}}))
    seconds = max(1.0, float(os.environ.get("BENCH_MIN_TIME", "0.2")) * 5)
    for name, kind, batch, unit in CASES:
        results = []
        for label, env, threads in SETTINGS:
            e = dict(os.environ, **env)
            out = subprocess.run([sys.executable, __file__, "--worker", kind, str(batch),
                                  str(threads), str(seconds)], env=e, capture_output=True,
                                 text=True, timeout=300)
            if out.returncode != 0:
                print(out.stderr, file=sys.stderr)
                continue
            results.append((float(out.stdout.strip().splitlines()[-1]), label))
        if not results:
            print(json.dumps({"name": name, "error": "torch run failed"}))
            continue
        best = min(results) if unit == "seconds" else max(results)
        print(json.dumps({"name": name, "value": best[0], "unit": unit,
                          "label": best[1] + "; all: " +
                          ", ".join(f"{lbl}: {v:.4g}" for v, lbl in results)}))


if __name__ == "__main__":
    main()
