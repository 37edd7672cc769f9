package org.unicom4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.InvalidImageException;
import org.unicom4j.data.image.Normalization;
import org.unicom4j.data.image.EvalPreprocessor;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.model.vit.VitInitializer;
import org.unicom4j.retrieval.L2Norm;

class ImageEmbedderTest {

    /** The embedding the model gives {@code image} on its own, done by hand: preprocess, one forward, normalise. */
    private static float[] byHand(VitConfig shape, long seed, PixelImage image) {
        try (CpuBackend backend = new CpuBackend(); VisionTransformer vit = new VisionTransformer(backend, shape)) {
            VitInitializer.initializeFromScratch(vit, seed); // before the embedder folds the head
            try (VitEmbedder embedder = new VitEmbedder(vit, 1)) {
                return embedOne(embedder, shape, image);
            }
        }
    }

    private static float[] embedOne(VitEmbedder embedder, VitConfig shape, PixelImage image) {
        EvalPreprocessor pre = new EvalPreprocessor(shape.imageSize(), shape.channels() == 3 ? Normalization.CLIP
                : Normalization.unit(1));
        float[] row = embedder.embed(pre.apply(image), 1);
        L2Norm.normalizeRows(row, 1, row.length);
        return row;
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "element " + i);
        }
    }

    @Test
    void theDemosSavedModelOpensFromItsFileAndEmbedsAsTheModelDoes(@TempDir Path dir) throws Exception {
        Path weights = TestImages.savedModel(dir.resolve("model.safetensors"), TestImages.DEMO_SHAPE, 11);
        Path png = Files.write(dir.resolve("a.png"), TestImages.png(1, 40, 30));
        try (ImageEmbedder embedder = ImageEmbedder.builder().weights(weights).backend("cpu").build()) {
            assertEquals(128, embedder.dim());
            assertEquals("model.safetensors:" + Files.size(weights), embedder.modelId());
            float[] expected = byHand(TestImages.DEMO_SHAPE, 11, ImageDecoder.decode(png));
            assertClose(expected, embedder.embed(png));
            assertClose(expected, embedder.embed(Files.readAllBytes(png)));
            assertClose(expected, embedder.embed(javax.imageio.ImageIO.read(png.toFile())));
            double norm = L2Norm.of(embedder.embed(png), 0, 128);
            assertEquals(1.0, norm, 1e-5);
        }
    }

    @Test
    void aPresetWithRandomWeightsGivesRawOutputsWhenAskedAndTheSameDirectionNormalised() throws Exception {
        byte[] png = TestImages.png(2, 32, 32);
        float[] raw, unit;
        try (ImageEmbedder embedder = ImageEmbedder.builder().randomWeights("tiny", 3).normalize(false)
                .backend("cpu").build()) {
            raw = embedder.embed(png);
            assertTrue(embedder.modelId().startsWith("random:3:"), embedder.modelId());
        }
        try (ImageEmbedder embedder = ImageEmbedder.builder().randomWeights("tiny", 3).modelId("mine")
                .backend("cpu").build()) {
            unit = embedder.embed(png);
            assertEquals("mine", embedder.modelId());
        }
        L2Norm.normalizeRows(raw, 1, raw.length);
        assertClose(raw, unit);
    }

    @Test
    void callsQueuedWhileAPassRunsShareTheNextPassAndEachGetsItsOwnImagesEmbedding() throws Exception {
        int n = 8;
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstPassDone = new CountDownLatch(1), release = new CountDownLatch(1);
        BatchObserver holdAfterFirstPass = (size, wait, forward) -> {
            batches.add(size);
            if (batches.size() == 1) {
                firstPassDone.countDown();
                await(release); // the worker is held here, as if the first pass were still running
            }
        };
        List<PixelImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(ImageDecoder.toPixels(TestImages.picture(100 + i, 32, 32)));
        }
        try (ImageEmbedder embedder = ImageEmbedder.builder().randomWeights("tiny", 4).backend("cpu").maxBatch(n)
                .onBatch(holdAfterFirstPass).build()) {
            embedder.embed(TestImages.png(99, 32, 32));
            firstPassDone.await();
            List<CompletableFuture<float[]>> futures = new ArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CompletableFuture<float[]> f = new CompletableFuture<>();
                futures.add(f);
                PixelImage image = images.get(i);
                callers.add(Thread.ofVirtual().start(() -> f.complete(embedder.embed(image))));
            }
            while (embedder.queueDepth() < n) {
                Thread.sleep(1);
            }
            release.countDown();
            for (Thread t : callers) {
                t.join();
            }
            assertEquals(List.of(1, n), batches, "the first call alone, then all eight in one pass");
            for (int i = 0; i < n; i++) {
                assertClose(byHand(VitConfig.TINY, 4, images.get(i)), futures.get(i).join());
            }
        }
    }

    @Test
    @Timeout(120)
    void aLoneCallWaitsForNobody() throws Exception {
        // A wait of an hour for more images: a lone call must not pay it, as nobody else is decoding an image.
        try (ImageEmbedder embedder = ImageEmbedder.builder().randomWeights("tiny", 4).backend("cpu").maxBatch(8)
                .maxWait(Duration.ofHours(1)).build()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(32, embedder.embed(TestImages.png(i, 32, 32)).length);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aMaxBatchOfOneEmbedsEveryImageInAPassOfItsOwn() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        try (ImageEmbedder embedder = ImageEmbedder.builder().randomWeights("tiny", 4).backend("cpu").maxBatch(1)
                .onBatch((size, wait, forward) -> batches.add(size)).build()) {
            List<CompletableFuture<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(embedder.embedAsync(ImageDecoder.toPixels(TestImages.picture(i, 32, 32))));
            }
            futures.forEach(CompletableFuture::join);
        }
        assertEquals(List.of(1, 1, 1, 1, 1), batches);
    }

    @Test
    void embedAllKeepsTheOrderOfTheFiles(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            files.add(Files.write(dir.resolve(i + ".png"), TestImages.png(i, 32 + i, 32)));
        }
        try (ImageEmbedder embedder = ImageEmbedder.builder().randomWeights("tiny", 5).backend("cpu").maxBatch(4)
                .build()) {
            List<float[]> all = embedder.embedAll(files);
            for (int i = 0; i < files.size(); i++) {
                assertClose(embedder.embed(files.get(i)), all.get(i));
            }
        }
    }

    @Test
    void badImagesAreOneLineErrorsAndTheEmbedderCarriesOn(@TempDir Path dir) throws Exception {
        try (ImageEmbedder embedder = ImageEmbedder.builder().randomWeights("tiny", 6).backend("cpu")
                .maxImagePixels(64 * 64).build()) {
            byte[] png = TestImages.png(7, 32, 32);
            assertThrows(InvalidImageException.class, () -> embedder.embed(new byte[0]));
            assertThrows(InvalidImageException.class, () -> embedder.embed("not an image".getBytes(
                    StandardCharsets.UTF_8)));
            assertThrows(InvalidImageException.class, () -> embedder.embed(Arrays.copyOf(png, png.length / 2)));
            InvalidImageException bomb = assertThrows(InvalidImageException.class,
                    () -> embedder.embed(TestImages.decompressionBomb(20_000)));
            assertTrue(bomb.getMessage().contains("400,000,000 pixels") && !bomb.getMessage().contains("\n"),
                    bomb.getMessage());
            assertThrows(InvalidImageException.class, () -> embedder.embed(new BufferedImage(65, 64,
                    BufferedImage.TYPE_INT_RGB)));
            Path text = Files.writeString(dir.resolve("text.png"), "hello");
            assertThrows(InvalidImageException.class, () -> embedder.embed(text));
            assertEquals(32, embedder.embed(png).length);
        }
    }

    @Test
    void closeEmbedsWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
        ImageEmbedder embedder = ImageEmbedder.builder().randomWeights("tiny", 8).backend("cpu").maxBatch(2)
                .build();
        List<CompletableFuture<float[]>> queued = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            queued.add(embedder.embedAsync(ImageDecoder.toPixels(TestImages.picture(i, 32, 32))));
        }
        embedder.close();
        for (CompletableFuture<float[]> f : queued) {
            assertEquals(32, f.getNow(null).length, "done before close returned");
        }
        assertThrows(IllegalStateException.class, () -> embedder.embed(TestImages.png(1, 32, 32)));
        embedder.close(); // a second close does nothing
    }

    @Test
    void badSettingsAreRefusedWhenGiven() {
        assertThrows(InvalidInputException.class, () -> ImageEmbedder.builder().maxBatch(0));
        assertThrows(InvalidInputException.class, () -> ImageEmbedder.builder().maxWait(Duration.ofMillis(-1)));
        assertThrows(InvalidInputException.class, () -> ImageEmbedder.builder().maxImagePixels(0));
        assertThrows(InvalidInputException.class, () -> ImageEmbedder.builder().build());
        assertThrows(InvalidInputException.class, () -> ImageEmbedder.open(Path.of("no-such-model.safetensors")));
    }
}
