package org.unicom4j.model.sscq;

import org.unicom4j.kernels.Codebooks;
import org.unicom4j.kernels.DeviceFloats;

/**
 * Where the head's tensors and the codebooks lie in one arena (parameters, or their gradients), in state-dict
 * order: head.0.weight [hidden, embedding], head.0.bias [hidden], head.2.weight [books * subDim, hidden],
 * head.2.bias [books * subDim], codebooks [books, words, subDim].
 */
record HeadLayout(SscqConfig config, long w1, long b1, long w2, long b2, long codebooks, long size) {

    /** The state-dict keys, in arena order (the names of PyTorch's nn.Sequential(Linear, ReLU, Linear)). */
    static final String[] KEYS = {"head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias", "codebooks"};

    static HeadLayout of(SscqConfig c) {
        long emb = c.encoder().embedding(), hidden = c.hidden(), out = c.featureDim();
        long w1 = 0, b1 = w1 + hidden * emb, w2 = b1 + hidden, b2 = w2 + out * hidden, cb = b2 + out;
        return new HeadLayout(c, w1, b1, w2, b2, cb, cb + (long) c.books() * c.words() * c.subDim());
    }

    /** The shape of tensor {@code i} of {@link #KEYS}. */
    long[] shape(int i) {
        SscqConfig c = config;
        return switch (i) {
            case 0 -> new long[] {c.hidden(), c.encoder().embedding()};
            case 1 -> new long[] {c.hidden()};
            case 2 -> new long[] {c.featureDim(), c.hidden()};
            case 3 -> new long[] {c.featureDim()};
            default -> new long[] {c.books(), c.words(), c.subDim()};
        };
    }

    /** The offset of tensor {@code i} of {@link #KEYS}. */
    long offset(int i) {
        return new long[] {w1, b1, w2, b2, codebooks}[i];
    }

    long count(int i) {
        long n = 1;
        for (long s : shape(i)) {
            n *= s;
        }
        return n;
    }

    DeviceFloats slice(DeviceFloats arena, int i) {
        return arena.slice(offset(i), count(i));
    }

    Codebooks codebooks(DeviceFloats arena) {
        return new Codebooks(slice(arena, 4), config.books(), config.words(), config.subDim());
    }
}
