package org.unicom4j.retrieval.lucene;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * The codec an index is written with: Lucene's default, with the embedding field's vectors in an HNSW graph over
 * float32 or int8 scalar-quantised vectors. Only writing needs it: each segment records its vectors format by
 * name, so a reader with the default codec opens either kind.
 */
final class VectorCodecs {
    /** HNSW graph degree and construction beam: Lucene's defaults (Lucene99HnswVectorsFormat.DEFAULT_*). */
    static final int MAX_CONN = Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN;
    static final int BEAM_WIDTH = Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH;

    private VectorCodecs() {
    }

    static Codec forVectors(boolean quantized) {
        KnnVectorsFormat format = quantized
                ? new Lucene99HnswScalarQuantizedVectorsFormat(MAX_CONN, BEAM_WIDTH)
                : new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH);
        return new Lucene103Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        };
    }

    /** The largest embedding the vectors format accepts (1024 in Lucene 10). */
    static int maxDimensions(boolean quantized) {
        return forVectors(quantized).knnVectorsFormat().getMaxDimensions(PersistentVectorIndex.EMBEDDING);
    }
}
