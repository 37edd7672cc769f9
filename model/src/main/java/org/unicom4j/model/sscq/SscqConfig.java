package org.unicom4j.model.sscq;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.vit.VitConfig;

/**
 * Shape of an SSCQ model (spec sscq.md, "Network"): the {@code encoder} ViT (its embedding is the head's input),
 * Linear(embedding, hidden) -> ReLU -> Linear(hidden, books * subDim), and {@code books} codebooks of
 * {@code words} codewords of {@code subDim} floats; the soft quantiser's {@code temperature}. A code is one
 * codeword index per book: books * log2(words) bits (K = 16: 4 bits per book, so 16/32/64 bits = M 4/8/16).
 *
 * @param encoder     the ViT in front
 * @param hidden      the head's hidden width (512)
 * @param books       M, codebooks (sub-spaces)
 * @param words       K, codewords per codebook (16), at most 256 so a code fits a byte
 * @param subDim      d, floats per sub-vector (16)
 * @param temperature the soft quantiser's temperature (0.2)
 */
public record SscqConfig(VitConfig encoder, int hidden, int books, int words, int subDim, double temperature) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SscqConfig {
        if (encoder == null) {
            throw new IllegalArgumentException("SscqConfig: encoder is null");
        }
        if (hidden < 1 || books < 1 || subDim < 1) {
            throw new IllegalArgumentException("SscqConfig: hidden, books and subDim must be >= 1, got " + hidden
                    + ", " + books + ", " + subDim);
        }
        if (words < 2 || words > 256) {
            throw new IllegalArgumentException("SscqConfig: words = " + words + ", expected 2..256");
        }
        if (!(temperature > 0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("SscqConfig: temperature = " + temperature + ", expected > 0");
        }
    }

    /** The spec's head and codebooks on {@code encoder} for codes of {@code bits} bits (16 codewords per book). */
    public static SscqConfig forBits(VitConfig encoder, int bits) {
        if (bits < 4 || bits % 4 != 0) {
            throw new IllegalArgumentException("SscqConfig: bits = " + bits + ", expected a multiple of 4");
        }
        return new SscqConfig(encoder, 512, bits / 4, 16, 16, 0.2);
    }

    /** Floats of a feature (and of a quantised vector): books * subDim. */
    public int featureDim() {
        return books * subDim;
    }

    /** Bits of one code: books * log2(words), rounded up per book. */
    public int bits() {
        return books * (32 - Integer.numberOfLeadingZeros(words - 1));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SscqConfig fromJson(String json) {
        try {
            return JSON.readValue(json, SscqConfig.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidInputException("SscqConfig: cannot parse JSON: " + e.getOriginalMessage(), e);
        }
    }
}
