package org.unicom4j.training.sscq;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Codebooks;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.training.config.SscqLossSpec;

/**
 * The SSCQ objective (spec sscq.md) and its gradient on the device, composed of the backend's kernels: row
 * L2 normalisation and GEMMs for the cosine similarity matrices of the batch (2B x 2B, small), the
 * contrastiveLosses family for NT-Xent, the view consistency and the neighbour consistency, and the quantisation
 * family's cosine assignments and codeword diversity. Only the loss values are read back.
 *
 * <p>The batch holds two views of every image in consecutive rows. Given the features f and their soft-quantised
 * vectors z (the model's quantiser), one call writes dL/df and dL/dz, which the model passes back through the
 * quantiser and the network, and adds the diversity term's gradient to the codebooks' gradient. Buffers are
 * allocated once for {@code maxRows} rows; nothing is allocated per step.
 */
public final class SscqLoss implements AutoCloseable {
    private static final float NORM_EPS = 1e-12f;

    private final Backend backend;
    private final SscqLossSpec spec;
    private final int maxRows;
    private final int books;
    private final int words;
    private final int dim;
    private final DeviceFloats normalised;
    private final DeviceFloats norms;
    private final DeviceFloats similarities;
    private final DeviceFloats dSimilarities;
    private final DeviceFloats dNormalised;
    private final DeviceFloats dRows;
    private final DeviceFloats sum;
    private final DeviceFloats assignments;
    private final DeviceFloats dAssignments;

    /** Buffers for batches of up to {@code maxRows} rows (2 views x images) of features [rows, books * dim]. */
    public SscqLoss(Backend backend, SscqLossSpec spec, int maxRows, int books, int words, int dim) {
        if (maxRows < 4 || maxRows % 2 != 0) {
            throw new IllegalArgumentException("SSCQ loss: rows must be even (two views per image) and >= 4, got "
                    + maxRows);
        }
        if (spec.pn() > 0 && spec.neighbours() > maxRows - 1) {
            throw new IllegalArgumentException("SSCQ loss: " + spec.neighbours() + " neighbours need a batch of more "
                    + "than " + spec.neighbours() + " rows, got " + maxRows);
        }
        this.backend = backend;
        this.spec = spec;
        this.maxRows = maxRows;
        this.books = books;
        this.words = words;
        this.dim = dim;
        long features = (long) maxRows * books * dim;
        long matrices = (long) maxRows * maxRows * (spec.pn() > 0 ? books : 1);
        var b = backend.buffers();
        this.normalised = b.allocFloats(features);
        this.norms = b.allocFloats((long) maxRows * books);
        this.similarities = b.allocFloats(matrices);
        this.dSimilarities = b.allocFloats(matrices);
        this.dNormalised = b.allocFloats(features);
        this.dRows = b.allocFloats(features);
        this.sum = b.allocFloats(features);
        this.assignments = b.allocFloats((long) maxRows * books * words);
        this.dAssignments = b.allocFloats((long) maxRows * books * words);
    }

    public SscqLossSpec spec() {
        return spec;
    }

    /**
     * The loss of features f and quantised vectors z [rows, books * dim] under {@code codebooks}: overwrites
     * dFeatures and dQuantised with dL/df and dL/dz (the terms' direct gradients; z's own dependence on f and the
     * codebooks is the quantiser's backward) and adds the diversity term's dL/dC to dCodebooks.
     */
    public SscqLossValues forwardBackward(DeviceFloats features, DeviceFloats quantised, Codebooks codebooks,
                                          int rows, DeviceFloats dFeatures, DeviceFloats dQuantised,
                                          DeviceFloats dCodebooks) {
        if (rows < 4 || rows > maxRows || rows % 2 != 0) {
            throw new IllegalArgumentException("SSCQ loss: " + rows + " rows, expected an even number in [4, "
                    + maxRows + "]");
        }
        if (codebooks.books() != books || codebooks.words() != words || codebooks.dim() != dim) {
            throw new IllegalArgumentException("SSCQ loss: codebooks " + codebooks.books() + " x " + codebooks.words()
                    + " x " + codebooks.dim() + ", the loss was built for " + books + " x " + words + " x " + dim);
        }
        int n = rows * books * dim;
        backend.buffers().fill(dFeatures.slice(0, n), 0f);
        backend.buffers().fill(dQuantised.slice(0, n), 0f);
        float icz = spec.icz() > 0 ? similarityTerm(Term.CONTRAST, quantised, rows, (float) spec.icz(), dQuantised,
                null) : 0;
        float icf = spec.icf() > 0 ? similarityTerm(Term.CONTRAST, features, rows, (float) spec.icf(), dFeatures,
                null) : 0;
        float cc = 0;
        if (spec.cc() > 0) {
            backend.elementwise().add(features, quantised, sum, n);
            cc = similarityTerm(Term.CONSISTENCY, sum, rows, (float) spec.cc(), dFeatures, dQuantised);
        }
        float pn = spec.pn() > 0 ? similarityTerm(Term.NEIGHBOURS, quantised, rows, (float) spec.pn(), dQuantised,
                null) : 0;
        float cd = spec.cd() > 0 ? diversity(features, codebooks, rows, (float) spec.cd(), dFeatures, dCodebooks) : 0;
        double total = spec.icz() * icz + spec.icf() * icf + spec.cc() * cc + spec.pn() * pn + spec.cd() * cd;
        return new SscqLossValues((float) total, icz, icf, cc, pn, cd);
    }

    private enum Term { CONTRAST, CONSISTENCY, NEIGHBOURS }

    /**
     * A loss over cosine similarities of x's rows (or, for the neighbours, of its sub-vectors per codebook):
     * normalise, S = Xn Xn^T, the loss kernel, dXn = w (dS + dS^T) Xn, back through the normalisation, added to
     * {@code target} (and {@code alsoTarget}). Returns the unweighted loss.
     */
    private float similarityTerm(Term term, DeviceFloats x, int rows, float weight, DeviceFloats target,
                                 DeviceFloats alsoTarget) {
        int groups = term == Term.NEIGHBOURS ? books : 1, cols = books * dim / groups, ld = books * dim;
        long square = (long) rows * rows;
        var layers = backend.layers();
        layers.l2NormalizeRows(x, normalised, norms, rows * groups, cols, NORM_EPS);
        Matrix xn = Matrix.of(normalised, rows, cols, ld), s = Matrix.of(similarities, rows, rows);
        backend.gemm().multiplyBatched(groups, 1f, xn, cols, xn.transpose(), cols, 0f, s, square);
        var losses = backend.contrastiveLosses();
        float loss = switch (term) {
            case CONTRAST -> losses.ntXent(similarities, rows, (float) spec.contrastTemperature(), dSimilarities);
            case CONSISTENCY -> losses.viewConsistency(similarities, rows, (float) spec.consistencyTemperature(),
                    dSimilarities);
            case NEIGHBOURS -> losses.neighbourConsistency(similarities, rows, groups, spec.neighbours(),
                    (float) spec.neighbourTemperature(), dSimilarities);
        };
        Matrix ds = Matrix.of(dSimilarities, rows, rows), dxn = Matrix.of(dNormalised, rows, cols, ld);
        backend.gemm().multiplyBatched(groups, weight, ds, square, xn, cols, 0f, dxn, cols);
        backend.gemm().multiplyBatched(groups, weight, ds.transpose(), square, xn, cols, 1f, dxn, cols);
        layers.l2NormalizeRowsBackward(normalised, norms, dNormalised, dRows, rows * groups, cols);
        int n = rows * books * dim;
        backend.elementwise().axpy(1f, dRows, target, n);
        if (alsoTarget != null) {
            backend.elementwise().axpy(1f, dRows, alsoTarget, n);
        }
        return loss;
    }

    /** L_cd on the cosine assignments of f; its gradient, times the weight, to dF and dC. */
    private float diversity(DeviceFloats features, Codebooks codebooks, int rows, float weight, DeviceFloats dF,
                            DeviceFloats dC) {
        var q = backend.quantisation();
        q.cosineAssignments(features, rows, codebooks, assignments);
        float loss = q.codewordDiversity(assignments, rows, books, words, dAssignments);
        backend.elementwise().scale(dAssignments, weight, rows * books * words);
        q.cosineAssignmentsBackward(dAssignments, assignments, features, rows, codebooks, dF, dC);
        return loss;
    }

    @Override
    public void close() {
        for (DeviceFloats d : new DeviceFloats[] {normalised, norms, similarities, dSimilarities, dNormalised, dRows,
            sum, assignments, dAssignments}) {
            d.close();
        }
    }
}
