"""Reads and writes safetensors files for the golden scripts, with or without the `safetensors`
package (Debian does not ship it).

When `safetensors` is installed its torch functions are used; otherwise the files are written and
read by hand, following the format's specification:

    8 bytes    N, the length of the header, an unsigned little-endian 64-bit integer
    N bytes    the header: a JSON object {"name": {"dtype": "F32", "shape": [3, 4],
               "data_offsets": [begin, end]}, ...} with an optional "__metadata__" object of
               string values; the library pads it with spaces to a multiple of 8 bytes
    the rest   the tensors' raw little-endian data; data_offsets count from the start of this part
"""

import json
import struct

import torch

try:
    import safetensors.torch as library
except ImportError:
    library = None

DTYPE_NAMES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.bool: "BOOL"}
DTYPES = {name: dtype for dtype, name in DTYPE_NAMES.items()}


def save_file(tensors, path, metadata=None):
    """Writes a dict of name -> tensor (CPU, contiguous or not) to path."""
    if library is not None:
        library.save_file({k: v.contiguous() for k, v in tensors.items()}, path, metadata)
        return
    header = {"__metadata__": metadata} if metadata else {}
    blobs = []
    offset = 0
    for name, value in tensors.items():
        data = value.contiguous().numpy().tobytes()  # native order: little-endian on x86 and ARM
        header[name] = {
            "dtype": DTYPE_NAMES[value.dtype],
            "shape": list(value.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_file(path):
    """Returns (dict of name -> tensor, metadata dict) from a safetensors file."""
    with open(path, "rb") as file:
        raw = file.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    metadata = header.pop("__metadata__", {})
    if library is not None:
        return library.load_file(path), metadata
    data = raw[8 + length :]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        if begin == end:
            tensors[name] = torch.empty(info["shape"], dtype=dtype)
        else:
            chunk = bytearray(data[begin:end])
            tensors[name] = torch.frombuffer(chunk, dtype=dtype).reshape(info["shape"])
    return tensors, metadata
