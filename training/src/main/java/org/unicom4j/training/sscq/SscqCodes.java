package org.unicom4j.training.sscq;

import org.unicom4j.model.sscq.SscqConfig;
import org.unicom4j.model.sscq.SscqModel;
import org.unicom4j.retrieval.codeindex.CodeIndex;
import org.unicom4j.retrieval.codeindex.CodeItems;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.index.ProductQuantizer;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * A trained SSCQ model's codes as a code index (retrieval.codeindex): its codebooks as the product quantiser, the
 * database images as their hard codes (4-bit codes packed two per byte for 16 codewords), queried with the
 * continuous features of the same model.
 */
public final class SscqCodes {
    private SscqCodes() {
    }

    /** The model's codebooks as a product quantiser over its features. */
    public static ProductQuantizer quantizer(SscqModel model) {
        SscqConfig c = model.config();
        float[] all = model.backend().buffers().download(model.codebooks().data());
        int book = c.words() * c.subDim();
        float[][] books = new float[c.books()][];
        for (int m = 0; m < c.books(); m++) {
            books[m] = java.util.Arrays.copyOfRange(all, m * book, (m + 1) * book);
        }
        return ProductQuantizer.fromCodebooks(books, c.subDim());
    }

    /** The code index of the first {@code items.size()} of {@code images}, by the model's hard codes. */
    public static CodeIndex index(SscqNetworkModel model, String modelId, TrainingImages images, CodeItems items,
                                  CodeDistance distance) {
        int[] codes = model.codes(images, items.size());
        byte[] bytes = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            bytes[i] = (byte) codes[i];
        }
        return CodeIndex.ofCodes(modelId, quantizer(model.model()), bytes, items, distance);
    }
}
