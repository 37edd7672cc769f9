package org.unicom4j.model.sscq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictReader;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;

/**
 * The SSCQ safetensors file: a saved model reads back bit for bit with its configuration; a file that is not an
 * SSCQ model, has a codebook of another shape, or is truncated is refused with one line and leaves the model as
 * it was.
 */
class SscqStateDictTest {
    private static final VitConfig ENCODER = new VitConfig(28, 1, 7, 16, 1, 2, 32, 24, 0.0);
    private static final SscqConfig CONFIG = new SscqConfig(ENCODER, 40, 4, 16, 16, 0.2);

    @TempDir
    Path dir;

    private static float[] everything(SscqModel m) {
        var b = m.backend().buffers();
        float[] head = b.download(m.headParameters()), vit = b.download(m.encoder().parameters());
        float[] all = new float[head.length + vit.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(vit, 0, all, head.length, vit.length);
        return all;
    }

    @Test
    void savedModelReadsBackBitForBit() throws IOException {
        Backend backend = TestBackends.get("cpu");
        Path file = dir.resolve("model.safetensors");
        try (SscqModel model = new SscqModel(backend, CONFIG)) {
            model.initializeFromScratch(42);
            SscqStateDict.save(model, file);
            try (SscqModel back = SscqStateDict.read(backend, file)) {
                assertEquals(CONFIG, back.config());
                assertArrayEquals(everything(model), everything(back));
            }
            try (StateDict sd = StateDictReader.read(file)) {
                assertTrue(SscqStateDict.isSscq(sd));
                assertArrayEquals(new long[] {4, 16, 16}, sd.get("codebooks").shape());
                assertEquals(ENCODER, VitConfig.fromJson(sd.metadata().get(SscqStateDict.VIT_METADATA_KEY)));
            }
        }
    }

    @Test
    void aCodebookOfAnotherShapeIsRefusedWithOneLineAndChangesNothing() throws IOException {
        Backend backend = TestBackends.get("cpu");
        Path file = dir.resolve("bad.safetensors");
        try (SscqModel source = new SscqModel(backend, CONFIG); SscqModel target = new SscqModel(backend, CONFIG)) {
            source.initializeFromScratch(1);
            target.initializeFromScratch(2);
            SscqStateDict.save(source, file);
            List<HostTensor> tensors = new ArrayList<>();
            Map<String, String> meta;
            try (StateDict sd = StateDictReader.read(file)) {
                meta = sd.metadata();
                for (HostTensor t : sd) {
                    tensors.add(t.name().equals("codebooks")
                            ? HostTensor.ofFloats("codebooks", new float[4 * 8 * 16], 4, 8, 16)
                            : HostTensor.ofFloats(t.name(), t.toFloatArray(), t.shape()));
                }
            }
            SafetensorsWriter.write(file, tensors, meta);
            float[] before = everything(target);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> SscqStateDict.load(target, file));
            assertTrue(e.getMessage().contains("codebooks") && e.getMessage().contains("(4, 8, 16)")
                    && e.getMessage().startsWith(file.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line");
            assertArrayEquals(before, everything(target), "nothing loaded");
        }
    }

    @Test
    void aPlainVitOrATruncatedFileIsRefused() throws IOException {
        Backend backend = TestBackends.get("cpu");
        Path vitFile = dir.resolve("vit.safetensors");
        try (VisionTransformer vit = new VisionTransformer(backend, ENCODER)) {
            SafetensorsWriter.write(vitFile, StateDictIo.toStateDict(vit));
        }
        InvalidInputException notSscq = assertThrows(InvalidInputException.class,
                () -> SscqStateDict.read(backend, vitFile));
        assertTrue(notSscq.getMessage().contains("not an SSCQ model"), notSscq.getMessage());
        Path file = dir.resolve("model.safetensors"), truncated = dir.resolve("truncated.safetensors");
        try (SscqModel model = new SscqModel(backend, CONFIG)) {
            SscqStateDict.save(model, file);
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThrows(InvalidInputException.class, () -> SscqStateDict.read(backend, truncated));
    }
}
