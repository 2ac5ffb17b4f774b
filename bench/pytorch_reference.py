#!/usr/bin/env python3
"""PyTorch reference figures for glimpse's benchmarks (bench/*.cpp).

Run it with Debian's interpreter, the one that has python3-torch, from the repository root:

    /usr/bin/python3 bench/pytorch_reference.py gemm

(the benchmark programs do exactly this, through bench/bench_util.hpp). A plain `python3` may be
another interpreter without torch.

Each section prints one JSON line per figure: a flat object of string keys and number or string
values, e.g. {"bench": "gemm", "n": 512, "pytorch_gflops": 297.1, "pytorch_gflops_1thread":
180.2, "pytorch_gflops_2threads": 297.1}. The first line says what ran: the torch version and the
OpenBLAS core, e.g. {"reference": "pytorch", "torch": "1.13.0a0", "openblas_core": "Cooperlake"}.

The reference is PyTorch at its best on this machine, as a user would run it:
- every figure is measured with 1 and with 2 threads (PyTorch's intra-op threads and OpenBLAS's
  both set, through threadpoolctl), and the faster is the reference; both are printed;
- OpenBLAS chooses its kernels for the CPU it finds: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which
  a machine may set to force other kernels (AVX2 ones, slower here), are removed from this
  script's own environment before torch loads OpenBLAS. Nothing else sees that change.

To add a section: write a function that measures with at_best_threads() and prints with emit(),
then add it to SECTIONS under the name the benchmark program asks for.
"""

import json
import os
import statistics
import sys
import time

THREAD_COUNTS = (1, 2)
# Variables that override OpenBLAS's own choice of kernels and cache sizes.
OPENBLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def emit(**fields):
    """Prints one JSON line, at once (the benchmark reads them through a pipe)."""
    print(json.dumps(fields), flush=True)


def median_ms(work, repetitions, warmups=3, clock=time.perf_counter):
    """The median time of `repetitions` calls of work(), in ms, after warm-up calls: wall-clock
    time, or with clock=time.process_time the process's CPU time."""
    for _ in range(warmups):
        work()
    times = []
    for _ in range(repetitions):
        start = clock()
        work()
        times.append((clock() - start) * 1e3)
    return statistics.median(times)


def at_best_threads(torch, name, measure, best=min):
    """Runs measure() with each of THREAD_COUNTS threads and returns the figures to emit: `name`,
    the best of them (min for times, max for rates), and name_1thread, name_2threads."""
    from threadpoolctl import threadpool_limits

    figures = {}
    for threads in THREAD_COUNTS:
        torch.set_num_threads(threads)
        with threadpool_limits(limits=threads, user_api="blas"):
            suffix = "thread" if threads == 1 else "threads"
            figures[f"{name}_{threads}{suffix}"] = measure()
    figures[name] = best(figures.values())
    return figures


def openblas_core():
    """The name of the kernels OpenBLAS chose (e.g. "Cooperlake", or "Haswell" when forced)."""
    from threadpoolctl import threadpool_info

    cores = [pool.get("architecture") for pool in threadpool_info()
             if pool.get("internal_api") == "openblas"]
    return cores[0] if cores else "none (torch does not use OpenBLAS here)"


def gemm(torch):
    """float32 square matrix multiply C = A @ B, n = 64 ... 1024, in GFLOP/s."""
    for n in (64, 256, 512, 1024):
        generator = torch.Generator().manual_seed(0)
        a = torch.randn(n, n, generator=generator)
        b = torch.randn(n, n, generator=generator)
        c = torch.empty(n, n)
        flops = 2.0 * n**3
        # The same rule as gemm_repetitions_for() in bench/gemm_rate.hpp.
        repetitions = min(max(int(1e10 / flops), 10), 200)
        figures = at_best_threads(
            torch, "pytorch_gflops",
            lambda: flops / (median_ms(lambda: torch.matmul(a, b, out=c), repetitions) * 1e6),
            best=max)
        emit(bench="gemm", dtype="float32", n=n, **figures)


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
        emit(bench="autograd_chain", ops=ops,
             **at_best_threads(torch, "pytorch_ms", lambda: median_ms(chain, repetitions=15)))


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
            emit(bench="bilstm", hidden=hidden,
                 **at_best_threads(torch, "pytorch_ms", lambda: median_ms(forward_backward, 15)))


SEQ2SEQ = dict(batch=64, source_length=25, target_length=11, source_vocab=40, target_vocab=14,
               embedding=32, sos=1, eos=2)


def seq2seq_model(torch, hidden):
    """DESIGN.md's benchmark model: a biLSTM encoder, an LSTMCell decoder with Bahdanau attention,
    e = v^T tanh(W_k enc + W_q h_{t-1}), c = softmax(e) . enc, (h, cell) = LSTMCell([emb(y); c]),
    logits = Linear([h; c]); W_k enc once per batch; the decoder starts from zeros."""
    nn = torch.nn
    c = SEQ2SEQ

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.source_embedding = nn.Embedding(c["source_vocab"], c["embedding"], padding_idx=0)
            self.encoder = nn.LSTM(c["embedding"], hidden, batch_first=True, bidirectional=True)
            self.target_embedding = nn.Embedding(c["target_vocab"], c["embedding"], padding_idx=0)
            self.key_proj = nn.Linear(2 * hidden, hidden)
            self.query_proj = nn.Linear(hidden, hidden, bias=False)
            self.v = nn.Linear(hidden, 1, bias=False)
            self.cell = nn.LSTMCell(c["embedding"] + 2 * hidden, hidden)
            self.output = nn.Linear(3 * hidden, c["target_vocab"])

        def encode(self, source):
            enc, _ = self.encoder(self.source_embedding(source))  # [B, S, 2H]
            return enc, self.key_proj(enc)  # keys projected once per batch

        def step(self, tokens, state, enc, keys):
            h, cell = state
            e = self.v(torch.tanh(keys + self.query_proj(h).unsqueeze(1))).squeeze(2)  # [B, S]
            context = torch.bmm(torch.softmax(e, 1).unsqueeze(1), enc).squeeze(1)  # [B, 2H]
            h, cell = self.cell(torch.cat([self.target_embedding(tokens), context], 1), (h, cell))
            return self.output(torch.cat([h, context], 1)), (h, cell)

        def zero_state(self, rows):
            zero = torch.zeros(rows, hidden)
            return zero, zero

        def loss(self, source, target):
            enc, keys = self.encode(source)
            state = self.zero_state(source.shape[0])
            logits = []
            for t in range(target.shape[1] - 1):
                out, state = self.step(target[:, t], state, enc, keys)
                logits.append(out)
            logits = torch.stack(logits, 1).reshape(-1, c["target_vocab"])
            return nn.functional.cross_entropy(logits, target[:, 1:].reshape(-1), ignore_index=0)

        def greedy(self, source, max_length):
            enc, keys = self.encode(source)
            state = self.zero_state(source.shape[0])
            tokens = torch.full((source.shape[0],), c["sos"], dtype=torch.long)
            finished = torch.zeros(source.shape[0], dtype=torch.bool)
            outputs = []
            for _ in range(max_length):
                logits, state = self.step(tokens, state, enc, keys)
                tokens = logits.argmax(1)
                outputs.append(tokens)
                finished |= tokens == c["eos"]
                if bool(finished.all()):
                    break
            return torch.stack(outputs, 1)

        def beam(self, source, beam, max_length):
            """Batched beam search: all hypotheses of all sentences in one batch; a finished
            hypothesis is kept, never extended; no length penalty."""
            batch = source.shape[0]
            vocab = c["target_vocab"]
            enc, keys = self.encode(source)
            rows = torch.arange(batch).repeat_interleave(beam)  # [B*K] -> sentence
            enc, keys = enc[rows], keys[rows]
            state = self.zero_state(batch * beam)
            tokens = torch.full((batch * beam,), c["sos"], dtype=torch.long)
            scores = torch.full((batch, beam), float("-inf"))
            scores[:, 0] = 0  # one live hypothesis per sentence at first
            finished = torch.zeros(batch * beam, dtype=torch.bool)
            history = []
            for _ in range(max_length):
                logits, state = self.step(tokens, state, enc, keys)
                log_probs = torch.log_softmax(logits, 1)  # [B*K, V]
                # a finished hypothesis continues only as itself, at no cost
                stay = torch.full((vocab,), float("-inf"))
                stay[0] = 0
                log_probs = torch.where(finished.unsqueeze(1), stay, log_probs)
                total = (scores.reshape(-1, 1) + log_probs).reshape(batch, beam * vocab)
                scores, best = total.topk(beam, 1)  # [B, K]
                origin = (best // vocab + torch.arange(batch).unsqueeze(1) * beam).reshape(-1)
                tokens = (best % vocab).reshape(-1)
                state = (state[0][origin], state[1][origin])
                finished = finished[origin] | (tokens == c["eos"])
                history = [h[origin] for h in history] + [tokens]
                if bool(finished.all()):
                    break
            return torch.stack(history, 1), scores

    return Model()


def seq2seq(torch):
    """The benchmark model (seq2seq_model) at hidden 64 ... 512: ms per training step (forward,
    backward, Adam lr 1e-3), per greedy decode and per beam-5 decode of the batch (10 steps at
    most); and the training step's CPU time on one thread (steadier than wall time on a loaded
    machine). Random tokens, no padding."""
    from threadpoolctl import threadpool_limits

    c = SEQ2SEQ
    for hidden in (64, 128, 256, 512):
        torch.manual_seed(0)
        model = seq2seq_model(torch, hidden)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        source = torch.randint(4, c["source_vocab"], (c["batch"], c["source_length"]))
        target = torch.randint(4, c["target_vocab"], (c["batch"], c["target_length"]))
        target[:, 0] = c["sos"]
        steps = c["target_length"] - 1

        def train_step():
            optimizer.zero_grad(set_to_none=True)
            model.loss(source, target).backward()
            optimizer.step()

        with torch.enable_grad():
            train = at_best_threads(torch, "pytorch_train_ms", lambda: median_ms(train_step, 9))
            torch.set_num_threads(1)
            with threadpool_limits(limits=1, user_api="blas"):
                train_cpu1_ms = median_ms(train_step, 9, clock=time.process_time)
        model.eval()
        greedy = at_best_threads(torch, "pytorch_greedy_ms",
                                 lambda: median_ms(lambda: model.greedy(source, steps), 9))
        beam5 = at_best_threads(torch, "pytorch_beam5_ms",
                                lambda: median_ms(lambda: model.beam(source, 5, steps), 9))
        emit(bench="seq2seq", hidden=hidden, **train, pytorch_train_cpu1_ms=train_cpu1_ms,
             **greedy, **beam5)


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
                     **at_best_threads(torch, "pytorch_ms", lambda: median_ms(step, 50)))


SECTIONS = {
    "gemm": gemm,
    "autograd": autograd,
    "bilstm": bilstm,
    "seq2seq": seq2seq,
    "attention": attention,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SECTIONS:
        print(f"usage: /usr/bin/python3 {sys.argv[0]} {{{','.join(SECTIONS)}}}", file=sys.stderr)
        return 2
    for variable in OPENBLAS_OVERRIDES:
        os.environ.pop(variable, None)  # before torch loads OpenBLAS, which reads them once
    try:
        import threadpoolctl  # noqa: F401 (at_best_threads and openblas_core use it)
        import torch
    except ImportError as error:
        print(f"pytorch_reference.py: {error}; install python3-torch and python3-threadpoolctl "
              "and run with /usr/bin/python3", file=sys.stderr)
        return 3
    emit(reference="pytorch", torch=torch.__version__, openblas_core=openblas_core())
    with torch.no_grad():
        SECTIONS[sys.argv[1]](torch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
