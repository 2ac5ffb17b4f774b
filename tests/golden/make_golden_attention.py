"""Golden values for attention/: every scorer composed from plain torch ops, in float64.

Run from the repository root with Debian's PyTorch (the python3 first on PATH may lack torch):

    /usr/bin/python3 tests/golden/make_golden_attention.py

It rewrites tests/golden/attention.txt, which tests/test_golden_attention.cpp checks glimpse
against. PyTorch has no module for these scorers, so each is written here from its formula with
torch ops; a case holds one attention step: the query, keys, values, mask and the scorer's
weights under glimpse's parameter names (query_proj.weight, ...) as inputs; the context and the
weights as outputs; and the gradients of every floating input for random upstream gradients of
both outputs. A case's name is "<runner>/<what>", the runner being the scorer.

The masked softmax is composed the usual way: masked_fill(-inf), softmax, then zeros for a row
with nothing to attend to (softmax gives NaN there; `where` keeps the NaN out of the gradient).
"""

import math

import torch

from golden_format import GoldenFile

BATCH, LENGTH, QUERY, KEY, VALUE, ATTENTION = 3, 5, 3, 4, 2, 5
LENGTHS = [5, 3, 0]  # the masked cases' real lengths: a full row, a padded row, an empty row


def prefix_mask(lengths, length=LENGTH):
    return torch.arange(length).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)


def masked_softmax(scores, mask):
    if mask is None:
        return torch.softmax(scores, -1)
    weights = torch.softmax(scores.masked_fill(~mask, -math.inf), -1)
    return torch.where(mask.any(-1, keepdim=True), weights, torch.zeros_like(weights))


def attend(weights, values):
    return torch.bmm(weights.unsqueeze(1), values).squeeze(1)


def step(scores, values, mask):
    weights = masked_softmax(scores, mask)
    return {"context": attend(weights, values), "weights": weights}


# --- the scorers, as functions of the query, the keys and the scorer's weights ---


def bahdanau(query, keys, p):
    hidden = torch.tanh(keys @ p["key_proj.weight"].T + p["key_proj.bias"]
                        + (query @ p["query_proj.weight"].T).unsqueeze(1))
    return (hidden @ p["v.weight"].T).squeeze(2)


def dot(query, keys, p):
    return torch.bmm(keys, query.unsqueeze(2)).squeeze(2)


def scaled_dot(query, keys, p):
    return dot(query, keys, p) / math.sqrt(keys.shape[2])


def general(query, keys, p):
    return torch.bmm(keys @ p["key_proj.weight"].T, query.unsqueeze(2)).squeeze(2)


def concat(query, keys, p):
    length = keys.shape[1]
    pairs = torch.cat([query.unsqueeze(1).expand(-1, length, -1), keys], 2)  # [B, S, Hq + Hk]
    return (torch.tanh(pairs @ p["proj.weight"].T) @ p["v.weight"].T).squeeze(2)


def location(query, keys, p):
    return (query @ p["location_proj.weight"].T)[:, : keys.shape[1]]


SCORERS = {
    "bahdanau": (bahdanau, {"query_proj.weight": (ATTENTION, QUERY),
                            "key_proj.weight": (ATTENTION, KEY), "key_proj.bias": (ATTENTION,),
                            "v.weight": (1, ATTENTION)}),
    "dot": (dot, {}),
    "scaled_dot": (scaled_dot, {}),
    "general": (general, {"key_proj.weight": (QUERY, KEY)}),
    "concat": (concat, {"proj.weight": (ATTENTION, QUERY + KEY), "v.weight": (1, ATTENTION)}),
    "location": (location, {"location_proj.weight": (7, QUERY)}),
}


def scorer_weights(out, shapes, prefix=""):
    return {prefix + name: out.uniform(-0.8, 0.8, *shape) for name, shape in shapes.items()}


def scorers(out):
    """Every content and location scorer, one step, unmasked and masked (lengths 5, 3, 0)."""
    for name, (score, shapes) in SCORERS.items():
        square = name in ("dot", "scaled_dot")
        for masked in (False, True):
            inputs = {
                "query": out.randn(BATCH, KEY if square else QUERY),
                "keys": out.randn(BATCH, LENGTH, KEY),
                "values": out.randn(BATCH, LENGTH, VALUE),
            }
            if masked:
                inputs["mask"] = prefix_mask(LENGTHS)
            inputs.update(scorer_weights(out, shapes))

            def run(query, keys, values, mask=None, score=score, **p):
                return step(score(query, keys, p), values, mask)

            # Location-based weights never read the keys: they get no gradient.
            constants = ("keys",) if name == "location" else ()
            out.case(f"{name}/{'masked' if masked else 'unmasked'}", run, inputs,
                     constants=constants)


def local_window(centre, mask, window):
    """mask & |s - p_t| <= D, computed from p_t's value: the window's edges carry no gradient."""
    positions = torch.arange(mask.shape[1], dtype=torch.float64).unsqueeze(0)
    return mask & ((positions - centre.detach().unsqueeze(1)).abs() <= window)


def local(out):
    """Local attention over a general scorer: local-m at steps 0, 2 and 6 (past the end of every
    sentence: its centre is clamped to the last word), and local-p with its predicted centre."""
    shapes = {"inner.key_proj.weight": (QUERY, KEY)}
    lengths = [5, 3, 1]
    for t in (0, 2, 6):
        def run_m(query, keys, values, mask, step_index, window, **p):
            real = mask.sum(-1).to(torch.float64)
            centre = torch.clamp(torch.minimum(torch.full_like(real, step_index), real - 1), min=0)
            scores = general(query, keys, {"key_proj.weight": p["inner.key_proj.weight"]})
            return step(scores, values, local_window(centre, mask, window))

        inputs = {"query": out.randn(BATCH, QUERY), "keys": out.randn(BATCH, LENGTH, KEY),
                  "values": out.randn(BATCH, LENGTH, VALUE), "mask": prefix_mask(lengths)}
        inputs.update(scorer_weights(out, shapes))
        out.case(f"local_m/step{t}", run_m, inputs, step_index=t, window=1)

    def run_p(query, keys, values, mask, window, **p):
        real = mask.sum(-1).to(torch.float64)
        hidden = torch.tanh(query @ p["position_proj.weight"].T)
        centre = real * torch.sigmoid(hidden @ p["position_v.weight"].T).squeeze(1)
        scores = general(query, keys, {"key_proj.weight": p["inner.key_proj.weight"]})
        align = masked_softmax(scores, local_window(centre, mask, window))
        sigma = window / 2
        positions = torch.arange(keys.shape[1], dtype=torch.float64).unsqueeze(0)
        weights = align * torch.exp(-((positions - centre.unsqueeze(1)) ** 2) / (2 * sigma**2))
        return {"context": attend(weights, values), "weights": weights}

    shapes.update({"position_proj.weight": (ATTENTION, QUERY), "position_v.weight": (1, ATTENTION)})
    for what, lengths in (("full", [7, 7, 7]), ("masked", [7, 4, 0])):
        inputs = {"query": out.randn(BATCH, QUERY), "keys": out.randn(BATCH, 7, KEY),
                  "values": out.randn(BATCH, 7, VALUE), "mask": prefix_mask(lengths, 7)}
        inputs.update(scorer_weights(out, shapes))
        out.case(f"local_p/{what}", run_p, inputs, window=2)


def luong_output(out):
    """h~ = tanh(W_c [c; h])."""
    out.case(
        "luong_output/basic",
        lambda context, hidden, **p: torch.tanh(torch.cat([context, hidden], 1)
                                                @ p["linear_out.weight"].T),
        {"context": out.randn(BATCH, VALUE), "hidden": out.randn(BATCH, QUERY),
         "linear_out.weight": out.uniform(-0.8, 0.8, 4, VALUE + QUERY)},
    )


def main():
    with GoldenFile("tests/golden/attention.txt", "tests/golden/make_golden_attention.py") as out:
        for section in (scorers, local, luong_output):
            out.section(section.__name__, section.__doc__)
            section(out)


if __name__ == "__main__":
    main()
