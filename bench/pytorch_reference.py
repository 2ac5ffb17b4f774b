#!/usr/bin/env python3
"""PyTorch reference figures for glimpse's benchmarks (bench/*.cpp).

Run it with Debian's interpreter, the one that has python3-torch, from the repository root:

    /usr/bin/python3 bench/pytorch_reference.py gemm

(the benchmark programs do exactly this, through bench/bench_util.hpp). A plain `python3` may be
another interpreter without torch.

Each section prints one JSON line per figure: a flat object of string keys and number or string
values, e.g. {"bench": "gemm", "dtype": "float32", "n": 512, "pytorch_gflops": 180.2}.
PyTorch uses two threads, like glimpse on this two-core machine.

To add a section: write a function that measures with median_ms() and prints with emit(), then
add it to SECTIONS under the name the benchmark program asks for.
"""

import json
import statistics
import sys
import time

THREADS = 2


def emit(**fields):
    """Prints one JSON line, at once (the benchmark reads them through a pipe)."""
    print(json.dumps(fields), flush=True)


def median_ms(work, repetitions, warmups=3):
    """The median wall-clock time of `repetitions` calls of work(), in ms, after warm-up calls."""
    for _ in range(warmups):
        work()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def gemm(torch):
    """float32 square matrix multiply C = A @ B, n = 64 ... 1024, in GFLOP/s."""
    for n in (64, 256, 512, 1024):
        generator = torch.Generator().manual_seed(0)
        a = torch.randn(n, n, generator=generator)
        b = torch.randn(n, n, generator=generator)
        c = torch.empty(n, n)
        flops = 2.0 * n**3
        # The same rule as repetitions_for() in bench/bench_gemm.cpp.
        repetitions = min(max(int(1e10 / flops), 10), 200)
        ms = median_ms(lambda: torch.matmul(a, b, out=c), repetitions)
        emit(bench="gemm", dtype="float32", n=n, pytorch_gflops=flops / (ms * 1e6))


def autograd(torch):
    """Per-op overhead: 1,500 tiny ops (500 x mul, add, tanh) on 8 elements, then backward, in ms."""
    ops = 1500
    torch.manual_seed(0)
    x = torch.randn(8, requires_grad=True)
    scale = torch.full((8,), 0.99)
    shift = torch.full((8,), 0.01)

    def chain():
        y = x
        for _ in range(ops // 3):
            y = torch.tanh(y * scale + shift)
        y.sum().backward()
        x.grad = None

    with torch.enable_grad():
        emit(bench="autograd_chain", ops=ops, pytorch_ms=median_ms(chain, repetitions=15))


def bilstm(torch):
    """One bidirectional nn.LSTM layer (batch 64, 25 steps, input 32), forward and backward, in ms,
    for hidden 64, 128, 256, 512: the benchmark model's encoder (bench/bench_bilstm.cpp)."""
    batch, steps, inputs = 64, 25, 32
    for hidden in (64, 128, 256, 512):
        torch.manual_seed(0)
        lstm = torch.nn.LSTM(inputs, hidden, batch_first=True, bidirectional=True)
        x = torch.randn(batch, steps, inputs, requires_grad=True)
        upstream = torch.randn(batch, steps, 2 * hidden)

        def forward_backward():
            output, _ = lstm(x)
            output.backward(upstream)
            lstm.zero_grad(set_to_none=True)
            x.grad = None

        with torch.enable_grad():
            emit(bench="bilstm", hidden=hidden, pytorch_ms=median_ms(forward_backward, 15))


def attention(torch):
    """One decoder attention step (batch 64, source 25, query H, keys and values 2H, attention
    size H), forward and backward, in ms, for Bahdanau and Luong general, H = 64 ... 512
    (bench/bench_attention.cpp). The keys' projection is done once per batch, before the step:
    the step starts from the projected keys, a leaf that receives its gradient."""
    batch, source = 64, 25
    for scorer in ("bahdanau", "general"):
        for hidden in (64, 128, 256, 512):
            torch.manual_seed(0)
            values = torch.randn(batch, source, 2 * hidden, requires_grad=True)
            query = torch.randn(batch, hidden, requires_grad=True)
            upstream = torch.randn(batch, 2 * hidden + source)
            # Weights on nn.Linear's scale, as glimpse's: a saturated tanh would make the
            # backward run on denormal numbers, a different (slower) computation.
            bound = 1 / hidden**0.5
            if scorer == "bahdanau":
                projected = (0.6 * torch.randn(batch, source, hidden)).requires_grad_()  # U k + b
                query_weight = (bound * (2 * torch.rand(hidden, hidden) - 1)).requires_grad_()
                v_weight = (bound * (2 * torch.rand(1, hidden) - 1)).requires_grad_()
                leaves = [values, query, projected, query_weight, v_weight]

                def scores():
                    hidden_layer = torch.tanh(projected + (query @ query_weight.T).unsqueeze(1))
                    return (hidden_layer @ v_weight.T).squeeze(2)
            else:
                projected = (0.6 * torch.randn(batch, source, hidden)).requires_grad_()  # W k
                leaves = [values, query, projected]

                def scores():
                    return torch.bmm(projected, query.unsqueeze(2)).squeeze(2)

            def step():
                weights = torch.softmax(scores(), -1)
                context = torch.bmm(weights.unsqueeze(1), values).squeeze(1)
                torch.cat([context, weights], 1).backward(upstream)
                for leaf in leaves:
                    leaf.grad = None

            with torch.enable_grad():
                emit(bench="attention_step", scorer=scorer, hidden=hidden,
                     pytorch_ms=median_ms(step, 50))


SECTIONS = {
    "gemm": gemm,
    "autograd": autograd,
    "bilstm": bilstm,
    "attention": attention,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SECTIONS:
        print(f"usage: /usr/bin/python3 {sys.argv[0]} {{{','.join(SECTIONS)}}}", file=sys.stderr)
        return 2
    try:
        import torch
    except ImportError as error:
        print(f"pytorch_reference.py: cannot import torch ({error}); "
              "install python3-torch and run with /usr/bin/python3", file=sys.stderr)
        return 3
    torch.set_num_threads(THREADS)
    with torch.no_grad():
        SECTIONS[sys.argv[1]](torch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
