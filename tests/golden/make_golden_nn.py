"""Golden values for nn/: layers, losses, optimizers, gradient clipping, schedulers, checkpoints.

Run from the repository root with Debian's PyTorch (the python3 first on PATH may lack torch):

    /usr/bin/python3 tests/golden/make_golden_nn.py

It rewrites tests/golden/nn_layers.txt and tests/golden/torch_{linear,lstm,gru}.safetensors (an
nn.Linear, nn.LSTM and nn.GRU saved by PyTorch), which tests/test_linear.cpp, test_embedding.cpp,
test_losses.cpp, test_optim.cpp, test_lr_scheduler.cpp and test_checkpoint.cpp check glimpse
against. Then it checks the other direction: it loads tests/golden/glimpse_{lstm,gru}.safetensors,
layers saved by glimpse, into nn.LSTM and nn.GRU by name and writes their outputs as golden cases
that glimpse must match too; and it checks that PyTorch loads
tests/golden/glimpse_linear.safetensors, the Linear with known values saved by glimpse
(test_checkpoint.cpp keeps each glimpse_*.safetensors equal to what glimpse writes):

    /usr/bin/python3 tests/golden/make_golden_nn.py --check-glimpse FILE

checks FILE (a Linear) alone, without rewriting anything. A case's name is "<runner>/<what>": the part before
the slash names the C++ function that runs it. Float values are float64 unless said otherwise.
"""

import sys

import torch
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from golden_format import GoldenFile
from safetensors_io import library, load_file, save_file

STEPS = 5  # optimizer steps per case


def layers(out):
    """Linear and Embedding as functions of their input and weights, with every gradient."""
    shapes = {"2d": [4, 3], "3d": [2, 3, 3], "1d": [3]}
    for what, shape in shapes.items():
        out.case(
            f"linear/{what}",
            lambda x, weight, bias: F.linear(x, weight, bias),
            {"x": out.randn(*shape), "weight": out.randn(5, 3), "bias": out.randn(5)},
            note=f"out = x @ weight.t() + bias, x {shape}",
        )
    out.case(
        "linear/no_bias",
        lambda x, weight: F.linear(x, weight),
        {"x": out.randn(4, 3), "weight": out.randn(2, 3)},
    )

    indices = torch.tensor([[4, 0, 2], [2, 5, 0]])
    cases = {
        "2d": (indices, None, "repeated ids add their gradients"),
        "padding": (indices, 0, "the padding row 0 gets no gradient"),
        "negative_padding": (indices, -4, "padding_idx -4 is row 2 of 6"),
        "scalar_index": (torch.tensor(5), None, "a 0-d index gives one vector"),
    }
    for what, (ids, padding_idx, note) in cases.items():
        params = {} if padding_idx is None else {"padding_idx": padding_idx}
        out.case(
            f"embedding/{what}",
            lambda indices, weight, **p: F.embedding(indices, weight, **p),
            {"indices": ids, "weight": out.randn(6, 4)},
            note=note,
            **params,
        )


def losses(out):
    """cross_entropy, nll_loss and mse_loss: every reduction, ignore_index, label smoothing."""
    target = torch.tensor([2, 0, 4, 1, 2])
    ignored = torch.tensor([2, -100, 4, 1, -100])
    ce = {
        "mean": (target, "mean", 0.0),
        "sum": (target, "sum", 0.0),
        "none": (target, "none", 0.0),
        "ignore_index": (ignored, "mean", 0.0),
        "label_smoothing": (target, "mean", 0.1),
        "smoothing_ignore_none": (ignored, "none", 0.2),
    }
    for what, (t, reduction, smoothing) in ce.items():
        out.case(
            f"cross_entropy/{what}",
            lambda logits, target, **p: F.cross_entropy(logits, target, **p),
            {"logits": out.randn(5, 6), "target": t},
            reduction=reduction,
            ignore_index=-100,
            label_smoothing=smoothing,
        )

    nll = {
        "mean": (target, "mean", -100),
        "sum": (target, "sum", -100),
        "none": (target, "none", -100),
        "ignore_index_mean": (target, "mean", 2),
        "ignore_index_none": (target, "none", 2),
    }
    for what, (t, reduction, ignore_index) in nll.items():
        out.case(
            f"nll_loss/{what}",
            lambda log_probs, target, **p: F.nll_loss(log_probs, target, **p),
            {"log_probs": F.log_softmax(out.randn(5, 6), dim=1), "target": t},
            reduction=reduction,
            ignore_index=ignore_index,
        )
    out.case(
        "nll_loss/vector",
        lambda log_probs, target, **p: F.nll_loss(log_probs, target, **p),
        {"log_probs": F.log_softmax(out.randn(6), dim=0), "target": torch.tensor(3)},
        note="log_probs [C] with a 0-d target",
        reduction="mean",
        ignore_index=-100,
    )

    for reduction in ["mean", "sum", "none"]:
        out.case(
            f"mse_loss/{reduction}",
            lambda input, target, reduction: F.mse_loss(input, target, reduction=reduction),
            {"input": out.randn(3, 4), "target": out.randn(3, 4)},
            reduction=reduction,
        )


def make_sgd(params, lr, momentum, dampening, weight_decay, nesterov):
    return torch.optim.SGD(
        params,
        lr=lr,
        momentum=momentum,
        dampening=dampening,
        weight_decay=weight_decay,
        nesterov=nesterov,
    )


def make_adam(params, lr, beta1, beta2, eps, weight_decay):
    return torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay)


def make_adamw(params, lr, beta1, beta2, eps, weight_decay):
    return torch.optim.AdamW(
        params, lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay
    )


def optimizer_case(out, name, make, skip=(), **options):
    """STEPS steps of an optimizer over two parameters w [3, 4] and b [4] from given gradients.

    Inputs: w and b, and the gradients of step k, gw<k> and gb<k> (a missing one means that
    parameter has no gradient at that step, so the step skips it). Outputs: w<k> and b<k>, the
    parameters after step k."""
    inputs = {"w": out.randn(3, 4), "b": out.randn(4)}
    for k in range(1, STEPS + 1):
        for p, shape in [("w", [3, 4]), ("b", [4])]:
            if f"g{p}{k}" not in skip:
                inputs[f"g{p}{k}"] = out.randn(*shape)

    def run(**given):
        w = given["w"].detach().clone().requires_grad_()
        b = given["b"].detach().clone().requires_grad_()
        optimizer = make([w, b], **options)
        outputs = {}
        for k in range(1, STEPS + 1):
            for p, param in [("w", w), ("b", b)]:
                grad = given.get(f"g{p}{k}")
                param.grad = None if grad is None else grad.detach().clone()
            optimizer.step()
            outputs[f"w{k}"] = w.detach().clone()
            outputs[f"b{k}"] = b.detach().clone()
        return outputs

    note = f"{STEPS} steps; without gradient at: {' '.join(skip)}" if skip else f"{STEPS} steps"
    out.case(name, run, inputs, note=note, **options)


def optimizers(out):
    """SGD, Adam and AdamW: the parameters after each of 5 steps from given gradients."""
    sgd = dict(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False)
    optimizer_case(out, "sgd/plain", make_sgd, **sgd)
    momentum = dict(sgd, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)
    optimizer_case(out, "sgd/momentum_weight_decay", make_sgd, skip=("gb2",), **momentum)
    nesterov = dict(sgd, lr=0.05, momentum=0.9, weight_decay=0.001, nesterov=True)
    optimizer_case(out, "sgd/nesterov", make_sgd, **nesterov)

    adam = dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0)
    optimizer_case(out, "adam/default", make_adam, **adam)
    custom = dict(lr=0.01, beta1=0.8, beta2=0.99, eps=1e-6, weight_decay=0.1)
    optimizer_case(out, "adam/weight_decay", make_adam, skip=("gb2", "gb3"), **custom)
    optimizer_case(out, "adamw/default", make_adamw, **dict(adam, weight_decay=0.01))
    custom = dict(lr=0.05, beta1=0.85, beta2=0.995, eps=1e-7, weight_decay=0.1)
    optimizer_case(out, "adamw/custom", make_adamw, skip=("gw4",), **custom)


def clipping(out):
    """clip_grad_norm_: the total norm it returns and the gradients it leaves."""

    def run(w, b, gw, gb, max_norm):
        w.grad = gw.detach().clone()
        b.grad = gb.detach().clone()
        total = torch.nn.utils.clip_grad_norm_([w, b], max_norm)
        return {"total_norm": total, "clipped_gw": w.grad, "clipped_gb": b.grad}

    for what, max_norm in [("clipped", 1.0), ("unclipped", 100.0)]:
        inputs = {"w": out.randn(3, 4), "b": out.randn(4), "gw": out.randn(3, 4)}
        inputs["gb"] = out.randn(4)
        out.case(f"clip_grad_norm/{what}", run, inputs, max_norm=max_norm)


def schedulers(out):
    """StepLR and ExponentialLR: the learning rate after each of 10 scheduler steps."""

    def rates(make):
        param = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.SGD([param], lr=0.1)
        scheduler = make(optimizer)
        lrs = []
        for _ in range(10):
            optimizer.step()  # no gradient: nothing moves, but PyTorch wants a step first
            scheduler.step()
            lrs.append(scheduler.get_last_lr()[0])
        return torch.tensor(lrs, dtype=torch.float64)

    def step_lr(lr, step_size, gamma):
        return rates(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size, gamma))

    def exponential_lr(lr, gamma):
        return rates(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma))

    out.case("step_lr", step_lr, {}, lr=0.1, step_size=3, gamma=0.5)
    out.case("exponential_lr", exponential_lr, {}, lr=0.1, gamma=0.9)


def known_linear():
    """nn.Linear(4, 3) in float32 with weights that both sides can write down: (i - 5) / 8 for
    the i-th weight, row-major, and bias (0.5, -0.25, 1)."""
    layer = torch.nn.Linear(4, 3)
    with torch.no_grad():
        layer.weight.copy_((torch.arange(12.0) - 5).reshape(3, 4) / 8)
        layer.bias.copy_(torch.tensor([0.5, -0.25, 1.0]))
    return layer


def recurrent_layer(kind):
    """The nn.LSTM or nn.GRU of the checkpoint cases: 2 layers of 3 units over 4 features,
    bidirectional, batch_first, float32."""
    return {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](
        4, 3, num_layers=2, batch_first=True, bidirectional=True
    )


def run_recurrent(layer):
    """The op of a recurrent checkpoint case: the layer on a padded batch, in float32."""

    def run(x, lengths, file=None):
        packed = pack_padded_sequence(x.float(), lengths, batch_first=True, enforce_sorted=False)
        output, final = layer(packed)
        output, _ = pad_packed_sequence(output, batch_first=True, total_length=x.shape[1])
        finals = final if isinstance(final, tuple) else (final,)
        names = ["output", "h_n", "c_n"][: 1 + len(finals)]
        return {name: value.detach().double() for name, value in zip(names, (output, *finals))}

    return run


def checkpoints(out):
    """A Linear saved by PyTorch, loaded by glimpse: its values, and its output on x. An LSTM and
    a GRU saved by PyTorch, and two saved by glimpse (seeded weights), each loaded
    into the other framework by name: PyTorch's output and final states on a padded batch."""
    layer = known_linear()
    save_file(dict(layer.state_dict()), "tests/golden/torch_linear.safetensors")

    def run(x):
        return {
            "weight": layer.weight.detach().double(),
            "bias": layer.bias.detach().double(),
            "out": layer(x.float()).detach().double(),
        }

    out.case(
        "linear_checkpoint",
        run,
        {"x": out.randn(2, 4)},
        note="tests/golden/torch_linear.safetensors; out is computed in float32",
    )
    for seed, kind in enumerate(["lstm", "gru"]):
        torch.manual_seed(seed)
        saved = recurrent_layer(kind)
        save_file(dict(saved.state_dict()), f"tests/golden/torch_{kind}.safetensors")
        inputs = {"x": out.randn(3, 5, 4), "lengths": torch.tensor([5, 2, 4])}
        for origin in ["torch", "glimpse"]:
            file = f"{origin}_{kind}.safetensors"
            try:
                layer = load_into(f"tests/golden/{file}", recurrent_layer(kind))
            except FileNotFoundError:
                print(f"tests/golden/{file} is missing: run the C++ tests to write it")
                continue
            out.case(
                f"{kind}_checkpoint/{origin}",
                run_recurrent(layer),
                inputs,
                note=f"tests/golden/{file} loaded into {layer}; computed in float32",
                file=file,
            )


def load_into(path, module):
    """Loads a safetensors file into `module` by name (strict) and says so; returns the module."""
    tensors, metadata = load_file(path)
    module.load_state_dict(tensors, strict=True)
    reader = "the safetensors package" if library else "safetensors_io's reader"
    print(f"{path}: read by {reader}, loaded into torch.nn.{module}, metadata {metadata}: ok")
    return module


def check_glimpse_file(path):
    """Loads a Linear that glimpse saved into torch.nn.Linear and checks its values."""
    layer = load_into(path, torch.nn.Linear(4, 3))
    expected = known_linear()
    assert torch.equal(layer.weight, expected.weight), "the weight differs"
    assert torch.equal(layer.bias, expected.bias), "the bias differs"


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check-glimpse":
        check_glimpse_file(sys.argv[2])
        return
    sections = [layers, losses, optimizers, clipping, schedulers, checkpoints]
    with GoldenFile("tests/golden/nn_layers.txt", "tests/golden/make_golden_nn.py") as out:
        for section in sections:
            out.section(section.__name__, section.__doc__)
            section(out)
    try:
        check_glimpse_file("tests/golden/glimpse_linear.safetensors")
    except FileNotFoundError:
        print("tests/golden/glimpse_linear.safetensors is missing: run the C++ tests to write it")


if __name__ == "__main__":
    main()
