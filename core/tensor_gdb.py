# A gdb pretty-printer for glimpse::Tensor: `print x` shows what the handle points to,
#
#   Tensor(dtype=float32, shape=[3, 2], strides=[1, 3], offset=0, requires_grad=False,
#          grad=None, grad_fn=None, values=[1.5, 4, -2, 5, 0.25, 6])
#
# (on one line): the dtype, shape, strides and offset of the view; whether it requires grad; the
# shape of its accumulated gradient, or None; the op that made it (grad_fn), or None on a leaf; and
# its values in row-major order, all of them up to 16, else the first 16 and how many more.
# `call glimpse::debug_print(x)` prints the same tensor with the library's own formatting.
#
# `make gdb T=05` loads it; in a plain gdb session:   source core/tensor_gdb.py
# It reads libstdc++'s layout of shared_ptr, vector and string (g++, as the Makefile builds).

import struct

import gdb
import gdb.printing

MAX_VALUES = 16
MAX_DIMS = 64  # more than any real tensor has: beyond it the memory is not a tensor

# dtype name (as glimpse::dtype_name prints it) -> struct format of one element.
ELEMENT_FORMATS = {"float32": "f", "float64": "d", "int64": "q", "bool": "B"}


def pointee(shared_ptr):
    """The raw pointer held by a std::shared_ptr (0 when empty)."""
    return shared_ptr["_M_ptr"]


class Unreadable(Exception):
    """The memory does not hold a tensor: one not constructed yet, or destroyed already."""


def vector_items(vector):
    """The elements of a std::vector<int64_t> (a shape or strides) as Python ints."""
    start = vector["_M_impl"]["_M_start"]
    length = int(vector["_M_impl"]["_M_finish"] - start)
    if not 0 <= length <= MAX_DIMS:
        raise Unreadable()
    return [int(start[i]) for i in range(length)]


def std_string(string):
    return string["_M_dataplus"]["_M_p"].string(length=int(string["_M_string_length"]))


def dtype_name(dtype):
    """glimpse::DType::Float32 -> "float32"."""
    return str(dtype).rsplit("::", 1)[-1].lower()


def format_value(value, dtype):
    if dtype == "bool":
        return "True" if value else "False"
    if dtype == "int64":
        return str(value)
    return "%g" % value  # six significant digits


def row_major_offsets(shape, strides, offset, count):
    """The storage offsets (in elements) of the first `count` elements in row-major order."""
    index = [0] * len(shape)
    offsets = []
    for _ in range(count):
        offsets.append(offset + sum(i * s for i, s in zip(index, strides)))
        for dim in reversed(range(len(shape))):
            index[dim] += 1
            if index[dim] < shape[dim]:
                break
            index[dim] = 0
    return offsets


def shape_text(shape):
    return "[" + ", ".join(str(extent) for extent in shape) + "]"


class TensorPrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        impl = pointee(self.value["impl_"])
        if int(impl) == 0:
            return "Tensor(undefined)"
        try:
            return self.describe(impl.dereference())
        except (gdb.error, Unreadable, OverflowError, ValueError, KeyError, struct.error):
            return "Tensor(<unreadable: not constructed yet, or destroyed already>)"

    def describe(self, impl):
        dtype = dtype_name(impl["dtype"])
        shape = vector_items(impl["shape"])
        strides = vector_items(impl["strides"])
        offset = int(impl["offset"])
        grad = pointee(impl["grad"]["impl_"])
        grad_text = "None" if int(grad) == 0 else shape_text(vector_items(grad["shape"]))
        node = pointee(impl["grad_fn"])
        grad_fn = "None" if int(node) == 0 else "<%s>" % std_string(node["op"])
        return "Tensor(dtype=%s, shape=%s, strides=%s, offset=%d, requires_grad=%s, grad=%s, " \
            "grad_fn=%s, values=%s)" % (dtype, shape_text(shape), shape_text(strides), offset,
                                        bool(impl["requires_grad"]), grad_text, grad_fn,
                                        self.values_text(impl, dtype, shape, strides, offset))

    def values_text(self, impl, dtype, shape, strides, offset):
        count = 1
        for extent in shape:
            if extent < 0:
                raise Unreadable()
            count *= extent
        shown = min(count, MAX_VALUES)
        element = ELEMENT_FORMATS[dtype]
        size = struct.calcsize(element)
        data = int(pointee(impl["storage"])["data"])
        memory = gdb.selected_inferior()
        texts = []
        for element_offset in row_major_offsets(shape, strides, offset, shown):
            raw = memory.read_memory(data + element_offset * size, size)
            texts.append(format_value(struct.unpack(element, bytes(raw))[0], dtype))
        if count > shown:
            texts.append("... (%d more)" % (count - shown))
        return "[" + ", ".join(texts) + "]"


def build_printer():
    printer = gdb.printing.RegexpCollectionPrettyPrinter("glimpse")
    printer.add_printer("Tensor", "^glimpse::Tensor$", TensorPrinter)
    return printer


gdb.printing.register_pretty_printer(gdb.current_objfile(), build_printer(), replace=True)
