package org.unicom4j.bench.vit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The exported ViT in ONNX Runtime (CPU execution provider) with every graph optimisation and a fixed number of
 * intra-op threads, as the issue asks. One call = input tensor from host floats, run, output copied back, the
 * same work our {@code VitEmbedder.embed(float[], int)} does.
 */
public final class OrtVit implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;

    public OrtVit(Path onnx, int threads) throws OrtException {
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            session = env.createSession(onnx.toString(), options);
        }
        inputName = session.getInputNames().iterator().next();
    }

    /** Embeddings [batch, embedding] of images [batch, 3, size, size]. */
    public float[] embed(float[] images, int batch, int size) throws OrtException {
        long[] shape = {batch, 3, size, size};
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), shape);
             OrtSession.Result result = session.run(Map.of(inputName, input))) {
            float[][] out = (float[][]) result.get(0).getValue();
            float[] flat = new float[batch * out[0].length];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(out[i], 0, flat, i * out[i].length, out[i].length);
            }
            return flat;
        }
    }

    public static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
