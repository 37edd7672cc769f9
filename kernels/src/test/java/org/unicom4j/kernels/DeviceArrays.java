package org.unicom4j.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Host/device plumbing for kernel tests: upload host arrays, and convert between float[], double[] and ND4J. */
public final class DeviceArrays {
    private DeviceArrays() {
    }

    /** A device copy of {@code host}. */
    public static DeviceFloats floats(Backend backend, float[] host) {
        DeviceFloats d = backend.buffers().allocFloats(host.length);
        backend.buffers().upload(host, d);
        return d;
    }

    /** A rows x cols operand in {@code buf}, stored transposed (cols x rows) when {@code transposed}. */
    public static Matrix view(DeviceFloats buf, boolean transposed, int rows, int cols, int ld) {
        return transposed ? Matrix.of(buf, cols, rows, ld).transpose() : Matrix.of(buf, rows, cols, ld);
    }

    /** A device index list holding {@code host}. */
    public static IndexList indices(Backend backend, int[] host) {
        IndexList list = backend.buffers().allocIndexList(host.length);
        list.write(host, host.length);
        return list;
    }

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** A float32 ND4J matrix holding {@code x} row-major. */
    public static INDArray nd(float[] x, int rows, int cols) {
        return Nd4j.create(x, new long[] {rows, cols}, 'c');
    }

    /** The elements of an ND4J array in row-major order, as float32. */
    public static float[] host(INDArray a) {
        return a.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
    }
}
