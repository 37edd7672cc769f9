package org.unicom4j.retrieval.kmeans;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.npy.NpyRowReader;
import org.unicom4j.retrieval.PointSource;

/** The rows of a 2-D {@code .npy} feature file (float16, float32 or float64), streamed from a memory mapping. */
public final class NpyPoints implements PointSource, AutoCloseable {
    private final NpyRowReader reader;

    private NpyPoints(NpyRowReader reader) {
        this.reader = reader;
    }

    public static NpyPoints open(Path file) throws IOException {
        NpyRowReader reader = NpyRowReader.open(file);
        try {
            requireFeatureMatrix(file, reader);
            return new NpyPoints(reader);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** Throws unless {@code reader} holds a [rows, dim] floating-point matrix with dim > 0. */
    static void requireFeatureMatrix(Path file, NpyRowReader reader) {
        long[] shape = reader.header().shape();
        if (shape.length != 2 || shape[1] == 0 || !reader.dtype().isFloatingPoint()) {
            throw new FileFormatException(file + ": features of shape " + Arrays.toString(shape) + " and dtype "
                    + reader.dtype().descr() + "; expected a [rows, dim] matrix of <f2, <f4 or <f8");
        }
    }

    @Override
    public long size() {
        return reader.rows();
    }

    @Override
    public int dim() {
        return reader.rowLength();
    }

    @Override
    public void read(long first, int count, float[] dst) {
        reader.readRows(first, count, dst, 0);
    }

    @Override
    public void close() {
        reader.close();
    }
}
