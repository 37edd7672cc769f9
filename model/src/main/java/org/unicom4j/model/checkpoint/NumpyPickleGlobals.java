package org.unicom4j.model.checkpoint;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The NumPy globals a pickled {@code ndarray} or NumPy scalar uses, turning each into a {@link HostTensor}
 * (unnamed, over a heap copy of its bytes). Follows numpy/core/src/multiarray/methods.c
 * ({@code array_reduce_ex}, {@code array_setstate}) and numpy/core/numeric.py ({@code _frombuffer}):
 * <ul>
 * <li>protocol 2-4: {@code _reconstruct(ndarray, (0,), b'b')}, then BUILD with
 *     {@code (version, shape, dtype, is_fortran, raw_bytes)};</li>
 * <li>protocol 5: {@code _frombuffer(buffer, dtype, shape, order)};</li>
 * <li>scalars: {@code scalar(dtype, raw_bytes)};</li>
 * <li>{@code dtype('f4', False, True)}, then BUILD with {@code (3, '<', ...)} giving the byte order.</li>
 * </ul>
 * NumPy 2 moved the modules to {@code numpy._core}; both spellings are accepted.
 */
final class NumpyPickleGlobals {
    private NumpyPickleGlobals() {
    }

    static Map<String, PythonCallable> globals() {
        Map<String, PythonCallable> g = new HashMap<>();
        PythonCallable ndarrayClass = args -> {
            throw new PickleException("numpy.ndarray cannot be called directly in a pickle");
        };
        g.put("numpy.ndarray", ndarrayClass);
        g.put("numpy.dtype", args -> new NumpyDtype(text(args.getFirst())));
        for (String core : List.of("numpy.core", "numpy._core")) {
            g.put(core + ".multiarray._reconstruct", args -> new ArrayUnderConstruction());
            g.put(core + ".multiarray.scalar", NumpyPickleGlobals::scalar);
            g.put(core + ".numeric._frombuffer", NumpyPickleGlobals::fromBuffer);
        }
        return g;
    }

    /** A dtype: its type string from the call, its byte order from BUILD. */
    static final class NumpyDtype implements PythonCallable.Buildable {
        private final String typeString;
        private char byteOrder;

        NumpyDtype(String typeString) {
            this.typeString = typeString;
            this.byteOrder = '|';
        }

        @Override
        public Object build(Object state) {
            List<?> s = Unpickler.asList(state);
            if (s.size() > 1 && s.get(1) instanceof String order && order.length() == 1) {
                byteOrder = order.charAt(0);
            }
            return this;
        }

        DType dtype() {
            DType d = DType.fromNumpy(typeString);
            if (d == null) {
                throw new PickleException("unsupported NumPy dtype '" + typeString
                        + "' (supported: b1, u1, i1, i2, i4, i8, f2, f4, f8)");
            }
            return d;
        }

        ByteOrder order() {
            if (byteOrder == '>') {
                return ByteOrder.BIG_ENDIAN;
            }
            // '<' little, '|' not applicable (one byte), '=' native: NumPy writes '<' or '>' for multi-byte types.
            return byteOrder == '=' ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        }
    }

    /** What {@code _reconstruct} returns: an empty array that BUILD fills. */
    static final class ArrayUnderConstruction implements PythonCallable.Buildable {
        @Override
        public Object build(Object state) {
            List<?> s = Unpickler.asList(state);
            if (s.size() == 5) {
                s = s.subList(1, 5); // drop the format version
            }
            if (s.size() != 4) {
                throw new PickleException("unexpected NumPy array state with " + s.size() + " fields");
            }
            if (!(s.get(1) instanceof NumpyDtype dtype)) {
                throw new PickleException("NumPy array state without a dtype");
            }
            if (s.get(3) instanceof List<?>) {
                throw new PickleException("NumPy object arrays (dtype=object) are not supported");
            }
            boolean fortran = Boolean.TRUE.equals(s.get(2));
            return tensor(dtype, shapeOf(s.get(0)), fortran, rawBytes(s.get(3)));
        }
    }

    private static Object scalar(List<Object> args) {
        if (args.size() < 2 || !(args.get(0) instanceof NumpyDtype dtype)) {
            throw new PickleException("NumPy scalars of object type are not supported");
        }
        return tensor(dtype, new long[0], false, rawBytes(args.get(1)));
    }

    private static Object fromBuffer(List<Object> args) {
        if (args.size() != 4 || !(args.get(1) instanceof NumpyDtype dtype)) {
            throw new PickleException("unexpected arguments to numpy _frombuffer: " + args.size());
        }
        return tensor(dtype, shapeOf(args.get(2)), "F".equals(args.get(3)), rawBytes(args.get(0)));
    }

    private static HostTensor tensor(NumpyDtype dtype, long[] shape, boolean fortran, byte[] data) {
        DType d = dtype.dtype();
        long[] strides = fortran ? fortranStrides(shape) : HostTensor.contiguousStrides(shape);
        long numel = 1;
        for (long n : shape) {
            numel *= n;
        }
        if (numel * d.byteSize() != data.length) {
            throw new PickleException("NumPy array " + HostTensor.formatShape(shape) + " of " + d + " needs "
                    + numel * d.byteSize() + " bytes, the pickle holds " + data.length);
        }
        return HostTensor.view("", d, shape, strides, 0, MemorySegment.ofArray(data), dtype.order());
    }

    private static long[] fortranStrides(long[] shape) {
        long[] s = new long[shape.length];
        long stride = 1;
        for (int d = 0; d < shape.length; d++) {
            s[d] = stride;
            stride *= shape[d];
        }
        return s;
    }

    private static long[] shapeOf(Object o) {
        List<?> dims = Unpickler.asList(o);
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long n)) {
                throw new PickleException("NumPy shape entry is a " + Unpickler.typeName(dims.get(i)));
            }
            shape[i] = n;
        }
        return shape;
    }

    private static byte[] rawBytes(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof String s) { // Python 2 str
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw new PickleException("NumPy array data is a " + Unpickler.typeName(o) + ", expected bytes");
    }

    private static String text(Object o) {
        if (!(o instanceof String s)) {
            throw new PickleException("NumPy dtype name is a " + Unpickler.typeName(o));
        }
        return s;
    }
}
