"""Golden values for the recurrent cells and layers of nn/, computed by PyTorch in float64.

Run from the repository root with Debian's PyTorch (the python3 first on PATH may lack torch):

    /usr/bin/python3 tests/golden/make_golden_rnn.py

It rewrites tests/golden/nn_rnn.txt, which tests/test_golden_recurrent.cpp checks glimpse
against. For given weights and inputs, each case holds what nn.RNNCell, nn.LSTMCell,
nn.GRUCell, nn.RNN, nn.LSTM and nn.GRU compute: the outputs, the final states, and the gradients
of the input, the initial states and every weight for a given upstream gradient. The weights are
the module's own, under PyTorch's names (weight_ih_l0, ...), passed in as the case's inputs
so that their gradients are recorded. A case's name is "<runner>/<what>", the runner being the
module's name in lower case.
"""

import torch
from torch import nn
from torch.nn.utils import rnn as rnn_utils
from torch.nn.utils.stateless import functional_call

from golden_format import GoldenFile

BATCH, STEPS, INPUT, HIDDEN = 3, 5, 4, 3


def weights(out, module):
    """Seeded weights for every parameter of `module`, under its names, U(-0.6, 0.6)."""
    return {name: out.uniform(-0.6, 0.6, *p.shape) for name, p in module.named_parameters()}


def cells(out):
    """RNNCell (tanh, relu), LSTMCell and GRUCell: one step from a given state, with and without
    bias."""
    makers = {
        "rnn_cell/tanh": lambda bias: nn.RNNCell(INPUT, HIDDEN, bias, "tanh"),
        "rnn_cell/relu": lambda bias: nn.RNNCell(INPUT, HIDDEN, bias, "relu"),
        "lstm_cell/bias": lambda bias: nn.LSTMCell(INPUT, HIDDEN, bias),
        "gru_cell/bias": lambda bias: nn.GRUCell(INPUT, HIDDEN, bias),
        "lstm_cell/no_bias": lambda bias: nn.LSTMCell(INPUT, HIDDEN, bias),
        "gru_cell/no_bias": lambda bias: nn.GRUCell(INPUT, HIDDEN, bias),
    }
    for name, make in makers.items():
        cell = make(not name.endswith("no_bias")).double()
        inputs = {"x": out.randn(BATCH, INPUT), "h": out.randn(BATCH, HIDDEN)}
        lstm = isinstance(cell, nn.LSTMCell)
        if lstm:
            inputs["c"] = out.randn(BATCH, HIDDEN)
        inputs.update(weights(out, cell))

        def step(x, h, c=None, nonlinearity=None, **params):
            if lstm:
                h_next, c_next = functional_call(cell, params, (x, (h, c)))
                return {"h_next": h_next, "c_next": c_next}
            return {"h_next": functional_call(cell, params, (x, h))}

        nonlinearity = {"nonlinearity": cell.nonlinearity} if hasattr(cell, "nonlinearity") else {}
        out.case(name, step, inputs, note=repr(cell), **nonlinearity)


def layers(out):
    """RNN (tanh, relu), LSTM and GRU over [batch, time, features]: one and two layers,
    bidirectional, with and without an initial state, and a padded batch through
    pack_padded_sequence and pad_packed_sequence."""
    configs = [
        # what, num_layers, bidirectional, initial state, lengths
        ("one_layer", 1, False, False, None),
        ("initial_state", 1, False, True, None),
        ("two_layers", 2, False, True, None),
        ("bidirectional", 1, True, True, None),
        ("two_layers_bidirectional", 2, True, False, None),
        ("padded", 1, False, True, [5, 2, 4]),
        ("padded_two_layers_bidirectional", 2, True, True, [3, 5, 1]),
    ]
    kinds = {
        "lstm": lambda layers, bi: nn.LSTM(INPUT, HIDDEN, layers, batch_first=True,
                                           bidirectional=bi),
        "gru": lambda layers, bi: nn.GRU(INPUT, HIDDEN, layers, batch_first=True,
                                         bidirectional=bi),
        "rnn": lambda layers, bi: nn.RNN(INPUT, HIDDEN, layers, batch_first=True,
                                         bidirectional=bi),
        "rnn_relu": lambda layers, bi: nn.RNN(INPUT, HIDDEN, layers, nonlinearity="relu",
                                              batch_first=True, bidirectional=bi),
    }
    for kind, make in kinds.items():
        for what, num_layers, bidirectional, initial, lengths in configs:
            if kind == "rnn_relu" and what not in ("one_layer", "padded_two_layers_bidirectional"):
                continue
            layer = make(num_layers, bidirectional).double()
            states = num_layers * (2 if bidirectional else 1)
            lstm = isinstance(layer, nn.LSTM)
            inputs = {"x": out.randn(BATCH, STEPS, INPUT)}
            if initial:
                inputs["h_0"] = out.randn(states, BATCH, HIDDEN)
                if lstm:
                    inputs["c_0"] = out.randn(states, BATCH, HIDDEN)
            if lengths is not None:
                inputs["lengths"] = torch.tensor(lengths, dtype=torch.int64)
            inputs.update(weights(out, layer))
            out.case(
                f"{kind.split('_')[0]}/{what}{'_relu' if kind == 'rnn_relu' else ''}",
                run_layer(layer, lstm),
                inputs,
                note=repr(layer) + (f", lengths {lengths}" if lengths else ""),
                num_layers=num_layers,
                bidirectional=bidirectional,
                nonlinearity=getattr(layer, "nonlinearity", "tanh"),
            )


def run_layer(layer, lstm):
    """The op of a layer case: layer(x, state), through a packed sequence when lengths are
    given; returns output and final states by name."""

    def run(x, h_0=None, c_0=None, lengths=None, num_layers=None, bidirectional=None,
            nonlinearity=None, **params):
        state = None
        if h_0 is not None:
            state = (h_0, c_0) if lstm else h_0
        elif lstm and c_0 is not None:
            raise ValueError("c_0 without h_0")
        sequence = x
        if lengths is not None:
            sequence = rnn_utils.pack_padded_sequence(x, lengths, batch_first=True,
                                                      enforce_sorted=False)
        # An RNN module runs on its list _flat_weights (which functional_call leaves alone in
        # PyTorch 1.13): point it at the case's weights, whose gradients are recorded.
        layer._flat_weights = [params[name] for name in layer._flat_weights_names]
        output, final = layer(sequence, state)
        if lengths is not None:
            output, _ = rnn_utils.pad_packed_sequence(output, batch_first=True,
                                                      total_length=STEPS)
        if lstm:
            return {"output": output, "h_n": final[0], "c_n": final[1]}
        return {"output": output, "h_n": final}

    return run


def main():
    with GoldenFile("tests/golden/nn_rnn.txt", "tests/golden/make_golden_rnn.py") as out:
        for section in [cells, layers]:
            out.section(section.__name__, section.__doc__)
            section(out)


if __name__ == "__main__":
    main()
