"""Golden values for the ops of core/ops.hpp, computed by PyTorch in float64.

Run from the repository root with Debian's PyTorch (the python3 first on PATH may lack torch):

    /usr/bin/python3 tests/golden/make_golden.py

It rewrites tests/golden/core_ops.txt, which tests/test_golden_core.cpp checks glimpse against.
The inputs are seeded, so a second run writes the same file. A case's name is "<runner>/<what>":
the part before the slash names the C++ function that runs it (usually the op itself).
"""

import torch
import torch.nn.functional as F

from golden_format import GoldenFile

# Keys 2 and 3 of sentence 1 are padding: a mask [batch 2, 1, keys 4] over attention scores.
KEY_PADDING = torch.tensor([[[False, False, False, False]], [[False, False, True, True]]])


def away_from(x, kinks, margin=1e-3):
    """Returns x after checking that no value is within `margin` of a kink of the op."""
    for kink in kinks:
        assert (x - kink).abs().min() > margin, f"an input is at a kink ({kink}): change the seed"
    return x


def without_ties(x, dim):
    """Returns x after checking that the largest value along dim is unique (a clean max)."""
    top2 = x.topk(2, dim).values
    assert (top2.select(dim, 0) != top2.select(dim, 1)).all(), "an input ties at the max"
    return x


def nonzero(out, *shape):
    """Values in (-2.5, -0.5] or [0.5, 2.5): safe divisors."""
    x = out.uniform(-2.0, 2.0, *shape)
    return away_from(x + 0.5 * torch.sign(x), [0.0], margin=0.1)


def elementwise(out):
    """add, sub, mul, div with broadcasting; the unary functions; pow and clamp."""
    shapes = {
        "same_shape": ([2, 3], [2, 3]),
        "broadcast_row": ([2, 3], [3]),
        "broadcast_both": ([2, 1, 4], [3, 1]),
        "scalar": ([2, 3], []),
    }
    binary = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
    for name, op in binary.items():
        for what, (shape_a, shape_b) in shapes.items():
            b = nonzero(out, *shape_b) if name == "div" else out.randn(*shape_b)
            out.case(
                f"{name}/{what}",
                lambda a, b: op(a, b),
                {"a": out.randn(*shape_a), "b": b},
                note=f"out = {name}(a, b), a {shape_a}, b {shape_b}",
            )

    unary = {
        "neg": (torch.neg, out.randn(3, 4)),
        "exp": (torch.exp, out.randn(3, 4)),
        "log": (torch.log, out.uniform(0.1, 3.0, 3, 4)),
        "sqrt": (torch.sqrt, out.uniform(0.1, 3.0, 3, 4)),
        "tanh": (torch.tanh, out.randn(3, 4, scale=2.0)),
        "sigmoid": (torch.sigmoid, out.randn(3, 4, scale=4.0)),
        "relu": (torch.relu, away_from(out.randn(3, 4), [0.0])),
    }
    for name, (op, x) in unary.items():
        out.case(name, lambda x: op(x), {"x": x}, note=f"out = {name}(x)")

    powers = {
        "square": (2.0, out.randn(3, 4)),
        "cube": (3.0, out.randn(3, 4)),
        "sqrt": (0.5, out.uniform(0.1, 3.0, 3, 4)),
        "inverse_power": (-1.5, out.uniform(0.1, 3.0, 3, 4)),
        "fractional": (2.5, out.uniform(0.1, 3.0, 3, 4)),
    }
    for what, (exponent, x) in powers.items():
        out.case(f"pow/{what}", lambda x, exponent: x.pow(exponent), {"x": x}, exponent=exponent)

    out.case(
        "clamp",
        lambda x, min, max: x.clamp(min, max),
        {"x": away_from(out.randn(3, 4, scale=1.5), [-0.5, 0.8])},
        note="inputs stay clear of the bounds: there PyTorch passes the gradient, glimpse not",
        min=-0.5,
        max=0.8,
    )


def reductions(out):
    """sum and mean (all, some dims, keepdim), max over a dim, argmax."""
    dim_choices = [
        ("dim0", [0], False),
        ("dim1_keepdim", [1], True),
        ("last", [-1], False),
        ("dims02", [0, 2], False),
        ("dims02_keepdim", [0, 2], True),
        ("every_dim", [0, 1, 2], False),
    ]
    for name, op in {"sum": torch.sum, "mean": torch.mean}.items():
        out.case(f"{name}/all", lambda x: op(x), {"x": out.randn(2, 3, 4)}, note=f"{name}(x)")
        for what, dims, keepdim in dim_choices:
            out.case(
                f"{name}/{what}",
                lambda x, dims, keepdim: op(x, dims, keepdim),
                {"x": out.randn(2, 3, 4)},
                dims=dims,
                keepdim=keepdim,
            )

    def max_over(x, dim, keepdim):
        values, indices = torch.max(x, dim, keepdim)
        return {"values": values, "indices": indices}

    def argmax(x, dim, keepdim):
        return torch.argmax(x, dim, keepdim)

    for what, dim, keepdim in [("dim0", 0, False), ("dim1_keepdim", 1, True), ("last", -1, False)]:
        x = without_ties(out.randn(3, 4, 5), dim)
        out.case(f"max/{what}", max_over, {"x": x}, dim=dim, keepdim=keepdim)
        out.case(f"argmax/{what}", argmax, {"x": x}, dim=dim, keepdim=keepdim)
    out.case("max/vector", max_over, {"x": without_ties(out.randn(5), 0)}, dim=0, keepdim=False)
    ties = torch.tensor([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0, 2.0]], dtype=torch.float64)
    note = "equal maxima: PyTorch 1.13 on the CPU picks the first (index and gradient)"
    out.case("max/ties", max_over, {"x": ties}, note=note, dim=1, keepdim=False)
    out.case("argmax/ties", argmax, {"x": ties}, note=note, dim=1, keepdim=False)


def views(out):
    """The view ops: values, and gradients that go back where each element came from."""
    ops = {
        "transpose": lambda x, dim0, dim1: x.transpose(dim0, dim1),
        "permute": lambda x, dims: x.permute(dims),
        "narrow": lambda x, dim, start, length: x.narrow(dim, start, length),
        # x[:, :, start:end] for dim 2 (dim >= 0): Python slicing, clipping included
        "slice": lambda x, dim, start, end: x[(slice(None),) * dim + (slice(start, end),)],
        "select": lambda x, dim, index: x.select(dim, index),
        "unsqueeze": lambda x, dim: x.unsqueeze(dim),
        "squeeze": lambda x, dim: x.squeeze(dim),
        "view": lambda x, shape: x.view(shape),
        "reshape": lambda x, shape: x.reshape(shape),
        "expand": lambda x, shape: x.expand(shape),
    }
    cases = [
        ("transpose/dims02", [2, 3, 4], dict(dim0=0, dim1=2), None),
        ("transpose/last_two", [2, 3, 4], dict(dim0=-2, dim1=-1), None),
        ("permute", [2, 3, 4], dict(dims=[2, 0, 1]), None),
        ("narrow/dim1", [2, 3, 4], dict(dim=1, start=1, length=2), None),
        ("narrow/last", [2, 3, 4], dict(dim=-1, start=0, length=3), None),
        ("slice/dim2", [2, 3, 4], dict(dim=2, start=1, end=-1), "x[:, :, 1:-1]"),
        ("slice/clipped", [3, 2], dict(dim=0, start=-5, end=10), "x[-5:10]: clipped to x[0:3]"),
        ("select/dim1", [2, 3, 4], dict(dim=1, index=2), None),
        ("select/last", [2, 3, 4], dict(dim=-1, index=-1), None),
        ("unsqueeze/dim1", [2, 3], dict(dim=1), None),
        ("unsqueeze/last", [2, 3], dict(dim=-1), None),
        ("squeeze/dim1", [2, 1, 3], dict(dim=1), None),
        ("squeeze/not_one", [2, 1, 3], dict(dim=0), "dim 0 has extent 2: nothing is removed"),
        ("view", [2, 3, 4], dict(shape=[6, 4]), None),
        ("reshape", [2, 3, 4], dict(shape=[4, -1]), None),
        ("expand/grow", [3, 1], dict(shape=[2, 3, 4]), None),
        ("expand/keep", [1, 4], dict(shape=[3, -1]), "-1 keeps an extent"),
    ]
    for name, shape, params, note in cases:
        op = ops[name.split("/")[0]]
        out.case(name, op, {"x": out.randn(*shape)}, note=note, **params)


def selection(out):
    """Comparisons, where and masked_fill."""
    a = out.randn(2, 3)
    b = a[1].clone()
    b[0] = 0.5
    for name in ["eq", "ne", "lt", "le", "gt", "ge"]:
        out.case(
            name,
            lambda a, b: getattr(torch, name)(a, b),
            {"a": a, "b": b},
            note="b [3] broadcasts; row 1 of a equals b in two places",
        )

    def where(condition, a, b):
        return torch.where(condition, a, b)

    wheres = [
        ("same_shape", [2, 3], [2, 3], [2, 3], None),
        ("broadcast", [2, 1], [2, 3], [3], "condition [2, 1] and b [3] broadcast to [2, 3]"),
    ]
    for what, shape_condition, shape_a, shape_b, note in wheres:
        inputs = {
            "condition": out.randint(0, 2, *shape_condition).bool(),
            "a": out.randn(*shape_a),
            "b": out.randn(*shape_b),
        }
        out.case(f"where/{what}", where, inputs, note=note)

    def masked_fill(x, mask, value):
        return x.masked_fill(mask, value)

    out.case(
        "masked_fill/broadcast",
        masked_fill,
        {"x": out.randn(2, 3, 4), "mask": KEY_PADDING},
        note="mask [2, 1, 4] broadcasts over the 3 rows",
        value=0.5,
    )
    out.case(
        "masked_fill/same_shape",
        masked_fill,
        {"x": out.randn(2, 3), "mask": out.randint(0, 2, 2, 3).bool()},
        value=-1e9,
    )


def softmax_family(out):
    """softmax and log_softmax over several dims; the attention pattern (masked_fill, then
    softmax); cross_entropy with every option."""
    inputs = {
        "dim0": (0, out.randn(2, 3, 4), None),
        "dim1": (1, out.randn(2, 3, 4), None),
        "last": (-1, out.randn(2, 3, 4), None),
        "vector": (0, out.randn(5), None),
        "large": (-1, out.randn(2, 5, scale=30.0) + 800.0, "near 800: exp overflows unshifted"),
    }
    for name, op in {"softmax": torch.softmax, "log_softmax": torch.log_softmax}.items():
        for what, (dim, x, note) in inputs.items():
            out.case(f"{name}/{what}", lambda x, dim: op(x, dim), {"x": x}, note=note, dim=dim)

    def masked_softmax(x, mask, value, dim):
        return x.masked_fill(mask, value).softmax(dim)

    fully_masked = torch.tensor([[False, False, True], [True, True, True]])
    masked = [
        ("padding", out.randn(2, 3, 4), KEY_PADDING, float("-inf"),
         "attention over 4 keys, the last 2 of sentence 1 padding: they get exactly 0"),
        ("fully_masked_row", out.randn(2, 3), fully_masked, float("-inf"),
         "row 1 is masked everywhere: PyTorch's softmax of all -inf is NaN (0 / 0),\n"
         "while the gradient of x there is 0 (masked_fill passes none to masked places).\n"
         "Attention modules must not give softmax such a row (see DESIGN.md)."),
        ("large_negative", out.randn(2, 3), fully_masked, -1e9,
         "-1e9 instead of -inf: a fully masked row becomes uniform, never NaN"),
    ]
    for what, x, mask, value, note in masked:
        inputs = {"x": x, "mask": mask}
        out.case(f"masked_softmax/{what}", masked_softmax, inputs, note=note, value=value, dim=-1)

    def cross_entropy(logits, target, reduction, ignore_index, label_smoothing):
        return F.cross_entropy(
            logits,
            target,
            reduction=reduction,
            ignore_index=ignore_index,
            label_smoothing=label_smoothing,
        )

    target = out.randint(0, 4, 6)
    padded = torch.tensor([2, -100, 0, 3, -100, 1])
    zero_padded = torch.tensor([2, 0, 1, 3, 0, 1])
    cases = [
        ("mean", [6, 4], target, "mean", -100, 0.0, None),
        ("sum", [6, 4], target, "sum", -100, 0.0, None),
        ("none", [6, 4], target, "none", -100, 0.0, None),
        ("ignore_mean", [6, 4], padded, "mean", -100, 0.0, "the mean of the 4 targets not ignored"),
        ("ignore_none", [6, 4], padded, "none", -100, 0.0, "ignored targets have a loss of 0"),
        ("ignore_zero", [6, 4], zero_padded, "mean", 0, 0.0, "class 0 as the padding index"),
        ("smoothing_mean", [6, 4], target, "mean", -100, 0.1, None),
        ("smoothing_sum", [6, 4], target, "sum", -100, 0.2, None),
        ("smoothing_none", [6, 4], target, "none", -100, 0.1, None),
        ("smoothing_ignore", [6, 4], padded, "mean", -100, 0.1, None),
        ("unbatched", [5], torch.tensor(3), "mean", -100, 0.0, "logits [C] with a target []"),
        ("all_ignored", [3, 4], torch.tensor([-100, -100, -100]), "mean", -100, 0.0,
         "every target ignored: PyTorch's mean is 0 / 0 = NaN"),
    ]
    for what, shape, target, reduction, ignore_index, smoothing, note in cases:
        out.case(
            f"cross_entropy/{what}",
            cross_entropy,
            {"logits": out.randn(*shape, scale=2.0), "target": target},
            note=note,
            reduction=reduction,
            ignore_index=ignore_index,
            label_smoothing=smoothing,
        )


def matmul(out):
    """matmul for every shape combination of ops.hpp, and a @ b^T through a transposed view."""
    shapes = {
        "2d": ([3, 4], [4, 5]),
        "batched": ([2, 3, 4], [2, 4, 5]),
        "batched_4d": ([2, 2, 3, 4], [2, 2, 4, 5]),
        "3d_2d": ([2, 3, 4], [4, 5]),
        "4d_2d": ([2, 2, 3, 4], [4, 5]),
        "mat_vec": ([3, 4], [4]),
        "3d_vec": ([2, 3, 4], [4]),
        "vec_mat": ([4], [4, 5]),
        "dot": ([4], [4]),
        "large": ([13, 20], [20, 17]),
    }
    for what, (shape_a, shape_b) in shapes.items():
        out.case(
            f"matmul/{what}",
            lambda a, b: a @ b,
            {"a": out.randn(*shape_a), "b": out.randn(*shape_b)},
            note=f"out = a {shape_a} @ b {shape_b}",
        )
    out.case(
        "matmul_bt",
        lambda a, b: a @ b.transpose(-2, -1),
        {"a": out.randn(2, 3, 4), "b": out.randn(2, 5, 4)},
        note="out = a @ b^T, b transposed as a view (attention scores: q k^T)",
    )


def join(out):
    """cat, stack, split, chunk and index_select."""

    def cat(dim, **tensors):
        return torch.cat(list(tensors.values()), dim)

    def stack(dim, **tensors):
        return torch.stack(list(tensors.values()), dim)

    cats = [
        ("dim0", 0, [[1, 3], [2, 3]]),
        ("dim1", 1, [[2, 3], [2, 1], [2, 2]]),
        ("last", -1, [[2, 2, 3], [2, 2, 1]]),
        ("single", 0, [[2, 3]]),
    ]
    for what, dim, shapes in cats:
        inputs = {f"x{i}": out.randn(*shape) for i, shape in enumerate(shapes)}
        out.case(f"cat/{what}", cat, inputs, dim=dim)
    for what, dim in [("dim0", 0), ("dim1", 1), ("dim2", 2), ("last", -1)]:
        inputs = {f"x{i}": out.randn(2, 3) for i in range(3)}
        out.case(f"stack/{what}", stack, inputs, dim=dim)

    pieces = {
        "split": lambda x, split_size, dim: x.split(split_size, dim),
        "chunk": lambda x, chunks, dim: x.chunk(chunks, dim),
    }
    cases = [
        ("split/even", [4, 2], dict(split_size=2, dim=0), None),
        ("split/short_last", [5, 3], dict(split_size=2, dim=0), "extents 2, 2, 1"),
        ("split/last", [2, 7], dict(split_size=3, dim=-1), "extents 3, 3, 1"),
        ("chunk/even", [6, 2], dict(chunks=3, dim=0), None),
        ("chunk/last", [2, 7], dict(chunks=3, dim=-1), "extents 3, 3, 1"),
        ("chunk/fewer", [5, 2], dict(chunks=4, dim=0), "4 chunks of 5 rows: PyTorch gives 2, 2, 1"),
    ]
    for name, shape, params, note in cases:
        op = pieces[name.split("/")[0]]
        out.case(name, op, {"x": out.randn(*shape)}, note=note, **params)

    def index_select(x, index, dim):
        return x.index_select(dim, index)

    selects = [
        ("rows", [4, 3], 0, [2, 0, 2, 3, 2], "repeated rows: their gradients add up"),
        ("dim1", [2, 4, 3], 1, [3, 3, 0], None),
        ("empty", [4, 3], 0, [], "no index: an empty output, zero gradient"),
    ]
    for what, shape, dim, index, note in selects:
        out.case(
            f"index_select/{what}",
            index_select,
            {"x": out.randn(*shape), "index": torch.tensor(index, dtype=torch.int64)},
            note=note,
            dim=dim,
        )


def dropout(out):
    """dropout where it is deterministic: evaluation mode and p = 0."""

    def dropout(x, p, training):
        return F.dropout(x, p, training)

    # p = 1 is left out: PyTorch gives zeros, glimpse refuses it (p must be in [0, 1)).
    cases = [("eval", 0.5, False, "identity"), ("p0", 0.0, True, "identity")]
    for what, p, training, note in cases:
        inputs = {"x": out.randn(3, 4)}
        out.case(f"dropout/{what}", dropout, inputs, note=note, p=p, training=training)


def main():
    sections = [elementwise, reductions, views, selection, softmax_family, matmul, join, dropout]
    with GoldenFile("tests/golden/core_ops.txt", "tests/golden/make_golden.py") as out:
        for section in sections:
            out.section(section.__name__, section.__doc__)
            section(out)


if __name__ == "__main__":
    main()
