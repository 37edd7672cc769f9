package org.unicom4j.training.loss;

import java.util.Random;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.Vectors;

/**
 * Starting prototypes for a margin softmax: the mean direction of each class's L2-normalised embeddings, of
 * unit length. With only a few positive updates per prototype in a short run, prototypes that start where
 * their class already lies let the loss teach the network from the first step instead of first chasing random
 * prototypes. A class with no embedding gets a random unit direction. The {@code class-means} prototype start of
 * the run config ({@code loss.prototypeInit}).
 */
public final class ClassMeans {
    private ClassMeans() {
    }

    /** [classes, dim] unit rows; {@code labels[i]} is the class of embedding row i (rows may be a prefix). */
    public static float[] unitMeans(Vectors embeddings, int[] labels, int classes, long seed) {
        int dim = embeddings.dim(), rows = embeddings.rows();
        if (labels.length < rows) {
            throw new IllegalArgumentException("class means: " + rows + " embeddings but " + labels.length + " labels");
        }
        double[] sums = new double[classes * dim];
        float[] data = embeddings.data();
        for (int r = 0; r < rows; r++) {
            int c = labels[r];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("class means: label " + c + " of row " + r + " is outside [0, "
                        + classes + ")");
            }
            double inv = 1 / L2Norm.of(data, r * dim, dim);
            for (int j = 0; j < dim; j++) {
                sums[c * dim + j] += data[r * dim + j] * inv;
            }
        }
        Random random = new Random(seed);
        float[] out = new float[classes * dim];
        for (int c = 0; c < classes; c++) {
            double norm = 0;
            for (int j = 0; j < dim; j++) {
                norm += sums[c * dim + j] * sums[c * dim + j];
            }
            if (norm < 1e-20) { // empty class (or exactly cancelling directions): any direction will do
                for (int j = 0; j < dim; j++) {
                    sums[c * dim + j] = random.nextGaussian();
                    norm += sums[c * dim + j] * sums[c * dim + j];
                }
            }
            double inv = 1 / Math.sqrt(norm);
            for (int j = 0; j < dim; j++) {
                out[c * dim + j] = (float) (sums[c * dim + j] * inv);
            }
        }
        return out;
    }

    /**
     * Starts {@code loss}'s prototypes at the unit class means of {@code embeddings} (labels[i] the class of row i);
     * with k sub-centres per class every one of a class's rows starts at its mean.
     */
    public static void startPrototypes(PrototypeLoss loss, Vectors embeddings, int[] labels, long seed) {
        int classes = loss.classes(), dim = loss.embDim();
        float[] means = unitMeans(embeddings, labels, classes, seed);
        int k = (int) (loss.prototypeRows() / classes);
        float[] rows = means;
        if (k > 1) {
            rows = new float[Math.multiplyExact(means.length, k)];
            for (int c = 0; c < classes; c++) {
                for (int i = 0; i < k; i++) {
                    System.arraycopy(means, c * dim, rows, (c * k + i) * dim, dim);
                }
            }
        }
        loss.prototypes().backend().buffers().upload(rows, loss.prototypes());
    }
}
