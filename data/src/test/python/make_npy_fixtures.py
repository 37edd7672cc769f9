"""Writes the small .npy fixtures under data/src/test/resources/npy with numpy (run with /usr/bin/python3).

Values follow formulas the Java tests recompute, so no expected values are duplicated by hand.
"""
import os
import numpy as np

out = os.path.join(os.path.dirname(__file__), "..", "resources", "npy")
os.makedirs(out, exist_ok=True)


def floats(shape, dtype):
    n = int(np.prod(shape))
    return (np.arange(n, dtype=np.float64) * 0.25 - 1.0).astype(dtype).reshape(shape)


np.save(os.path.join(out, "f2_2x3.npy"), floats((2, 3), np.float16))
np.save(os.path.join(out, "f4_2x3x4.npy"), floats((2, 3, 4), np.float32))
np.save(os.path.join(out, "f8_5.npy"), floats((5,), np.float64))
np.save(os.path.join(out, "i4_3x2.npy"), (np.arange(6, dtype=np.int32) * 7 - 20).reshape(3, 2))
np.save(os.path.join(out, "i8_4.npy"), np.arange(4, dtype=np.int64) * 3_000_000_000 - 5)
np.save(os.path.join(out, "i8_scalar.npy"), np.array(42, dtype=np.int64))
np.save(os.path.join(out, "u1_2x2x2.npy"), ((np.arange(8) * 37) % 256).astype(np.uint8).reshape(2, 2, 2))
np.save(os.path.join(out, "b1_5.npy"), np.arange(5) % 3 == 0)
np.save(os.path.join(out, "f4_0x4.npy"), np.zeros((0, 4), dtype=np.float32))
np.save(os.path.join(out, "f4_fortran_3x2.npy"), np.asfortranarray(floats((3, 2), np.float32)))
np.save(os.path.join(out, "f4_bigendian_3.npy"), floats((3,), ">f4"))
# Half-precision special values: +-0, subnormal, max, inf, nan.
np.save(os.path.join(out, "f2_special.npy"),
        np.array([0.0, -0.0, 6e-8, 65504.0, np.inf, -np.inf, np.nan, 1.0 / 3.0], dtype=np.float16))
for version in [(1, 0), (2, 0), (3, 0)]:
    with open(os.path.join(out, "f4_3x4_v%d.npy" % version[0]), "wb") as f:
        np.lib.format.write_array(f, floats((3, 4), np.float32), version=version)
