"""Golden values for the coursework checkers (tutorials/coursework/checks/), computed by PyTorch
in float64.

Run from the repository root with Debian's PyTorch (the python3 first on PATH may lack torch):

    /usr/bin/python3 tests/golden/make_golden_coursework.py

It rewrites tests/golden/coursework.txt. softplus is PyTorch's own; the Minimal Gated Unit and
the cosine scorer have no PyTorch module, so each is written here from the equations of its
assignment header (tutorials/coursework/a2_mgu_cell.hpp, a4_cosine_attention.hpp) with torch ops,
and autograd gives the gradients. Parameters carry the names the student's module registers.
"""

import math

import torch
import torch.nn.functional as F

from golden_format import GoldenFile

BATCH, INPUT, HIDDEN = 3, 5, 4
QUERY, KEY, VALUE, LENGTH = 3, 5, 2, 4


def softplus(out):
    """a1: torch.nn.functional.softplus with beta and threshold, near zero, past the threshold
    and far out."""
    out.case("softplus/beta1", F.softplus, {"input": out.randn(3, 4, scale=6.0)},
             beta=1.0, threshold=20.0)
    out.case("softplus/beta2_threshold5", F.softplus, {"input": out.randn(3, 4, scale=3.0)},
             beta=2.0, threshold=5.0)
    far = torch.tensor([-1000.0, -100.0, -30.0, 30.0, 100.0, 1000.0], dtype=torch.float64)
    out.case("softplus/far", F.softplus, {"input": far}, beta=1.0, threshold=20.0)


def mgu_step(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """One Minimal Gated Unit step, gate order (f, n) in the stacked weights."""
    w_if, w_in = weight_ih.chunk(2, 0)
    w_hf, w_hn = weight_hh.chunk(2, 0)
    b_if, b_in = bias_ih.chunk(2, 0)
    b_hf, b_hn = bias_hh.chunk(2, 0)
    f = torch.sigmoid(x @ w_if.T + b_if + h @ w_hf.T + b_hf)
    n = torch.tanh(x @ w_in.T + b_in + (f * h) @ w_hn.T + b_hn)
    return (1 - f) * h + f * n


def mgu(out):
    """a2, a3: one MGU step; weights drawn as PyTorch's recurrent cells draw them."""
    bound = 1 / math.sqrt(HIDDEN)
    out.case("mgu/step", mgu_step, {
        "x": out.randn(BATCH, INPUT),
        "h": out.randn(BATCH, HIDDEN, scale=0.5),
        "weight_ih": out.uniform(-bound, bound, 2 * HIDDEN, INPUT),
        "weight_hh": out.uniform(-bound, bound, 2 * HIDDEN, HIDDEN),
        "bias_ih": out.uniform(-bound, bound, 2 * HIDDEN),
        "bias_hh": out.uniform(-bound, bound, 2 * HIDDEN),
    })


def cosine_step(query, keys, values, mask, **p):
    """a4: score_s = exp(log_scale) * cos(W q, k_s), then the masked softmax and the context."""
    q = F.normalize(query @ p["query_proj.weight"].T, dim=-1)  # [B, Hk]
    k = F.normalize(keys, dim=-1)  # [B, S, Hk]
    scores = torch.exp(p["log_scale"]) * torch.bmm(k, q.unsqueeze(2)).squeeze(2)  # [B, S]
    weights = torch.softmax(scores.masked_fill(~mask, -math.inf), -1)
    context = torch.bmm(weights.unsqueeze(1), values).squeeze(1)
    return {"scores": scores, "weights": weights, "context": context}


def cosine(out):
    """a4: one step of cosine attention with a learned scale, the second sentence padded."""
    mask = torch.arange(LENGTH).unsqueeze(0) < torch.tensor([LENGTH, 2]).unsqueeze(1)
    out.case("cosine/step", cosine_step, {
        "query": out.randn(2, QUERY),
        "keys": out.randn(2, LENGTH, KEY),
        "values": out.randn(2, LENGTH, VALUE),
        "mask": mask,
        "query_proj.weight": out.uniform(-0.5, 0.5, KEY, QUERY),
        "log_scale": torch.tensor(math.log(5.0), dtype=torch.float64),
    })


def main():
    with GoldenFile("tests/golden/coursework.txt", "tests/golden/make_golden_coursework.py") as out:
        for section in (softplus, mgu, cosine):
            out.section(section.__name__, section.__doc__)
            section(out)


if __name__ == "__main__":
    main()
