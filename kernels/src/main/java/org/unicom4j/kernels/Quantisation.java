package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.matrix;
import static org.unicom4j.kernels.ArgumentCheck.positive;
import static org.unicom4j.kernels.ArgumentCheck.vector;

import org.unicom4j.kernels.spi.QuantisationKernels;

/**
 * The product-quantisation family of a {@link Backend} (spec sscq.md): the soft quantiser that SSCQ trains
 * through, its hard codes, and the cosine assignment probabilities of the codeword-diversity term. Features are
 * [rows, books * dim], each row split into {@code books} sub-vectors f^m of {@code dim} floats; probabilities are
 * [rows, books, words]. One training step:
 *
 * <pre>{@code
 * q.softQuantise(f, rows, codebooks, 0.2f, p, z);                    // z: what the losses see
 * q.cosineAssignments(f, rows, codebooks, a);
 * float diversity = q.codewordDiversity(a, rows, books, words, dA);
 * // ... the losses give dZ and dF
 * q.softQuantiseBackward(dZ, f, z, p, rows, codebooks, 0.2f, dF, dC);
 * q.cosineAssignmentsBackward(dA, a, f, rows, codebooks, dF, dC);
 * }</pre>
 */
public final class Quantisation {
    private final Backend owner;
    private final QuantisationKernels impl;

    Quantisation(Backend owner, QuantisationKernels impl) {
        this.owner = owner;
        this.impl = impl;
    }

    /**
     * p[i, m, k] = softmax_k(-||f^m_i - c^m_k||^2 / temperature) and z^m_i = sum_k p[i, m, k] c^m_k: overwrites
     * probabilities [rows, books, words] and quantised [rows, books * dim].
     */
    public void softQuantise(DeviceFloats features, int rows, Codebooks codebooks, float temperature,
                             DeviceFloats probabilities, DeviceFloats quantised) {
        String kn = "softQuantise";
        check(kn, features, rows, codebooks);
        positive(kn, "temperature", temperature);
        matrix(owner, kn, "probabilities", probabilities, rows, codebooks.books() * codebooks.words());
        matrix(owner, kn, "quantised", quantised, rows, codebooks.featureDim());
        KernelListener l = owner.started(kn);
        impl.softQuantise(features, rows, codebooks, temperature, probabilities, quantised);
        Backend.finished(l, kn);
    }

    /**
     * Backward of {@link #softQuantise} given dQuantised [rows, books * dim] and the forward's quantised and
     * probabilities: accumulates into dFeatures [rows, books * dim] and dCodebooks [books, words, dim] (the
     * codewords' gradient both as the weighted sum's terms and through the distances).
     */
    public void softQuantiseBackward(DeviceFloats dQuantised, DeviceFloats features, DeviceFloats quantised,
                                     DeviceFloats probabilities, int rows, Codebooks codebooks, float temperature,
                                     DeviceFloats dFeatures, DeviceFloats dCodebooks) {
        String kn = "softQuantiseBackward";
        check(kn, features, rows, codebooks);
        positive(kn, "temperature", temperature);
        int fd = codebooks.featureDim();
        matrix(owner, kn, "dQuantised", dQuantised, rows, fd);
        matrix(owner, kn, "quantised", quantised, rows, fd);
        matrix(owner, kn, "probabilities", probabilities, rows, codebooks.books() * codebooks.words());
        matrix(owner, kn, "dFeatures", dFeatures, rows, fd);
        vector(owner, kn, "dCodebooks", dCodebooks, codebooks.size());
        KernelListener l = owner.started(kn);
        impl.softQuantiseBackward(dQuantised, features, quantised, probabilities, rows, codebooks, temperature,
                dFeatures, dCodebooks);
        Backend.finished(l, kn);
    }

    /** codes[i, m] = argmin_k ||f^m_i - c^m_k||^2 (the lowest k on ties): the hard codes [rows, books]. */
    public void assignCodes(DeviceFloats features, int rows, Codebooks codebooks, DeviceInts codes) {
        String kn = "assignCodes";
        check(kn, features, rows, codebooks);
        matrix(owner, kn, "codes", codes, rows, codebooks.books());
        KernelListener l = owner.started(kn);
        impl.assignCodes(features, rows, codebooks, codes);
        Backend.finished(l, kn);
    }

    /**
     * p[i, m, k] = softmax_k(cos(f^m_i, c^m_k)), the cosine taken between x / max(||x||, 1e-12) and likewise c:
     * overwrites probabilities [rows, books, words].
     */
    public void cosineAssignments(DeviceFloats features, int rows, Codebooks codebooks, DeviceFloats probabilities) {
        String kn = "cosineAssignments";
        check(kn, features, rows, codebooks);
        matrix(owner, kn, "probabilities", probabilities, rows, codebooks.books() * codebooks.words());
        KernelListener l = owner.started(kn);
        impl.cosineAssignments(features, rows, codebooks, probabilities);
        Backend.finished(l, kn);
    }

    /**
     * Backward of {@link #cosineAssignments} given dProbabilities and the forward's probabilities: accumulates
     * into dFeatures [rows, books * dim] and dCodebooks [books, words, dim].
     */
    public void cosineAssignmentsBackward(DeviceFloats dProbabilities, DeviceFloats probabilities,
                                          DeviceFloats features, int rows, Codebooks codebooks,
                                          DeviceFloats dFeatures, DeviceFloats dCodebooks) {
        String kn = "cosineAssignmentsBackward";
        check(kn, features, rows, codebooks);
        int bw = codebooks.books() * codebooks.words();
        matrix(owner, kn, "dProbabilities", dProbabilities, rows, bw);
        matrix(owner, kn, "probabilities", probabilities, rows, bw);
        matrix(owner, kn, "dFeatures", dFeatures, rows, codebooks.featureDim());
        vector(owner, kn, "dCodebooks", dCodebooks, codebooks.size());
        KernelListener l = owner.started(kn);
        impl.cosineAssignmentsBackward(dProbabilities, probabilities, features, rows, codebooks, dFeatures,
                dCodebooks);
        Backend.finished(l, kn);
    }

    /**
     * The codeword-diversity loss of probabilities [rows, books, words]: with pbar[m, k] = mean_i p[i, m, k],
     * returns L = (1/books) sum_m sum_k pbar log(pbar + 1e-5) (lowest when every codeword is used equally) and
     * overwrites dProbabilities with dL/dp. The loss is the only value read back.
     */
    public float codewordDiversity(DeviceFloats probabilities, int rows, int books, int words,
                                   DeviceFloats dProbabilities) {
        String kn = "codewordDiversity";
        positive(kn, "rows", rows);
        positive(kn, "books", books);
        positive(kn, "words", words);
        matrix(owner, kn, "probabilities", probabilities, rows, books * words);
        matrix(owner, kn, "dProbabilities", dProbabilities, rows, books * words);
        KernelListener l = owner.started(kn);
        float loss = impl.codewordDiversity(probabilities, rows, books, words, dProbabilities);
        Backend.finished(l, kn);
        return loss;
    }

    private void check(String kn, DeviceFloats features, int rows, Codebooks codebooks) {
        if (codebooks == null) {
            throw new IllegalArgumentException(kn + ": codebooks is null");
        }
        positive(kn, "rows", rows);
        matrix(owner, kn, "features", features, rows, codebooks.featureDim());
        vector(owner, kn, "codebooks", codebooks.data(), codebooks.size());
    }
}
