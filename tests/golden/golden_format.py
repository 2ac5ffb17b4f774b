"""Shared helpers for writing golden files: PyTorch runs an op, the file keeps its numbers.

A golden file is plain text that tests/golden_reader.cpp loads (the format is described in full
at the top of tests/golden_reader.hpp):

    case sum/dim1_keepdim
    param dims 1
    param keepdim true
    tensor x float64 [2, 3]
    0.4033 0.838 -0.7193
    -0.4033 -0.5966 0.182
    tensor out float64 [2, 1]
    ...

Each generator script (make_golden.py for core ops; one per area for nn modules, attention...)
opens a GoldenFile; for each section of cases it calls GoldenFile.section(), makes inputs with
the seeded random helpers, and calls GoldenFile.case() once per case. Run the scripts with
Debian's PyTorch: /usr/bin/python3.
"""

import zlib

import torch

# Inputs are rounded to this many decimals so that a reader can see them at a glance; every
# value written is still exact (repr of a float64 reads back to the same float64).
INPUT_DECIMALS = 4


class GoldenFile:
    """One golden file being written, with a random generator seeded for reproducible inputs."""

    def __init__(self, path, generator):
        self.file = open(path, "w", encoding="utf-8")
        self.rng = torch.Generator()
        self.names = set()
        self.file.write(
            f"# glimpse golden values: written by {generator} with PyTorch {torch.__version__}.\n"
            "# Do not edit by hand: change the script and run it again. The format is described\n"
            "# at the top of tests/golden_reader.hpp.\n"
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    def section(self, name, about):
        """Starts a section of cases. Its random numbers are seeded by its name, so that a case
        added to one section leaves the numbers of every other section as they were."""
        self.rng.manual_seed(zlib.crc32(name.encode()))
        self.file.write(f"\n# ==== {name}: {' '.join(about.split())}\n")

    # --- inputs: float64, seeded, rounded to INPUT_DECIMALS ---

    def randn(self, *shape, scale=1.0):
        """Normal values with standard deviation `scale`."""
        return _rounded(torch.randn(shape, generator=self.rng, dtype=torch.float64) * scale)

    def uniform(self, low, high, *shape):
        """Values drawn uniformly from [low, high)."""
        u = torch.rand(shape, generator=self.rng, dtype=torch.float64)
        return _rounded(low + (high - low) * u)

    def randint(self, low, high, *shape):
        """int64 values drawn uniformly from [low, high)."""
        return torch.randint(low, high, shape, generator=self.rng, dtype=torch.int64)

    # --- cases ---

    def case(self, name, op, inputs, note=None, constants=(), **params):
        """Runs op(**inputs, **params) in PyTorch and writes the case.

        The op returns one tensor (written as `out`), a tuple or list (`out0`, `out1`, ...) or a
        dict of named tensors. Written, in order: the params, the inputs, the outputs, for each
        output that has a gradient an upstream gradient `grad_<output>` (seeded random), and for
        each floating input its gradient `grad_<input>` after backpropagating those. Inputs named
        in `constants` get no gradient (an op that does not differentiate them).
        """
        assert name not in self.names, f"case {name} is written twice"
        self.names.add(name)
        leaves = {
            key: value.detach().clone().requires_grad_(
                value.is_floating_point() and key not in constants)
            for key, value in inputs.items()
        }
        outputs = _named_outputs(op(**leaves, **params))
        upstream = {
            key: self.randn(*value.shape)
            for key, value in outputs.items()
            if value.requires_grad
        }
        if upstream:
            torch.autograd.backward(
                [outputs[key] for key in upstream], list(upstream.values())
            )

        self.file.write(f"\ncase {name}\n")
        for line in (note or "").splitlines():
            self.file.write(f"# {line}\n")
        for key, value in params.items():
            self.file.write(f"param {key} {_param_text(value)}\n")
        for key, value in inputs.items():
            self.tensor(key, value)
        for key, value in outputs.items():
            self.tensor(key, value)
        for key, value in upstream.items():
            self.tensor(f"grad_{key}", value)
        for key, leaf in leaves.items():
            if leaf.requires_grad and upstream:
                assert leaf.grad is not None, f"case {name}: no gradient reached {key}"
                self.tensor(f"grad_{key}", leaf.grad)

    def tensor(self, name, value):
        """Writes one tensor: its header, then one line per row of its last dim."""
        value = value.detach()
        dtype = {torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}[value.dtype]
        shape = ", ".join(str(extent) for extent in value.shape)
        self.file.write(f"tensor {name} {dtype} [{shape}]\n")
        if value.numel() == 0:
            return
        rows = value.reshape(-1, value.shape[-1]) if value.dim() > 0 else value.reshape(1, 1)
        for row in rows.tolist():
            self.file.write(" ".join(_number_text(v) for v in row) + "\n")


def _rounded(x):
    return torch.round(x, decimals=INPUT_DECIMALS)


def _named_outputs(result):
    if isinstance(result, torch.Tensor):
        return {"out": result}
    if isinstance(result, dict):
        return result
    return {f"out{i}": value for i, value in enumerate(result)}


def _number_text(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    return repr(value)  # the shortest text that reads back to the same float64


def _param_text(value):
    if isinstance(value, (list, tuple)):
        return " ".join(_param_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, (int, str)) else repr(value)
