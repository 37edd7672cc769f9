package org.unicom4j.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.unicom4j.data.augment.PixelShift;
import org.unicom4j.data.augment.TrainAugmentation;
import org.unicom4j.data.dataset.FileImageDataset;
import org.unicom4j.data.dataset.IdxImageDataset;
import org.unicom4j.data.dataset.ImageFolder;
import org.unicom4j.data.image.EvalPreprocessor;
import org.unicom4j.data.image.ImageTransform;
import org.unicom4j.data.image.Normalization;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.data.loader.Batch;
import org.unicom4j.data.loader.BatchLoader;
import org.unicom4j.data.loader.EpochIterator;
import org.unicom4j.data.loader.EpochOrder;
import org.unicom4j.training.trainer.InMemoryImages;

/**
 * Images per second of the data pipeline, with nothing downstream (the consumer only touches each batch):
 * <ol>
 *   <li>{@link BatchLoader} decoding real JPEG and PNG files (the first {@code --images} Fashion-MNIST training
 *   images written with ImageIO as root/class/N.jpg and .png, at {@code --source-size} pixels) through the
 *   evaluation preprocessing of a 224-px model (bicubic resize, crop, RGB, CLIP normalisation) and of the demo's
 *   28-px model, and through the 224-px Unicom training augmentation, for each loader thread count and prefetch
 *   depth asked for;</li>
 *   <li>the demo's in-memory path: {@link InMemoryImages} shift-and-flip augmentation, one thread, as the trainer
 *   builds its batches (one generator per image).</li>
 * </ol>
 * Each case runs one untimed epoch (JIT warm-up, page cache) and then {@code --epochs} timed ones; it reports
 * wall-clock images/s and the process's CPU milliseconds per image (all threads, GC included), which a busy
 * shared machine disturbs less than the wall clock.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -Xmx4g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *   org.unicom4j.bench.LoaderThroughput [--images 3000] [--source-size 28] [--threads 1,2] [--prefetch 1,2,4] \
 *   [--batch 64] [--epochs 1] [--idx /usr/share/datasets/fashion-mnist] [--dir DIR]
 * </pre>
 */
public final class LoaderThroughput {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private LoaderThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int images = 3000, sourceSize = 28, batch = 64, epochs = 1;
        String threads = "1,2", prefetch = "1,2,4";
        Path idx = Path.of("/usr/share/datasets/fashion-mnist");
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--images" -> images = Integer.parseInt(args[++i]);
                case "--source-size" -> sourceSize = Integer.parseInt(args[++i]);
                case "--threads" -> threads = args[++i];
                case "--prefetch" -> prefetch = args[++i];
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--idx" -> idx = Path.of(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("argument '" + args[i] + "': expected --images N, "
                        + "--source-size PX, --threads 1,2, --prefetch 1,2,4, --batch N, --epochs N, --idx DIR, "
                        + "--dir DIR");
            }
        }
        IdxImageDataset fashion = IdxImageDataset.read(idx.resolve("train-images-idx3-ubyte.gz"),
                idx.resolve("train-labels-idx1-ubyte.gz"));
        images = Math.min(images, fashion.size());
        if (dir == null) {
            dir = Files.createTempDirectory("loader-throughput");
        }
        System.out.printf(Locale.ROOT, "%d Fashion-MNIST images at %dx%d px, batch %d, %d cores; %s%n", images,
                sourceSize, sourceSize, batch, Runtime.getRuntime().availableProcessors(), dir);
        System.out.printf(Locale.ROOT, "%-5s %-26s %7s %8s %10s %12s%n", "files", "transform", "threads", "prefetch",
                "images/s", "CPU-ms/image");
        for (String format : new String[] {"jpg", "png"}) {
            Path root = dir.resolve(format + "-" + sourceSize);
            if (!Files.isDirectory(root)) {
                write(fashion, images, sourceSize, format, root);
            }
            FileImageDataset files = ImageFolder.read(root);
            ImageTransform[] transforms = {EvalPreprocessor.clip(224),
                    new EvalPreprocessor(28, Normalization.unit(1)), TrainAugmentation.unicomRecipe(224)};
            String[] names = {"eval 224 (3x224x224, CLIP)", "eval 28 (1x28x28, [0,1])", "train 224 (Unicom aug.)"};
            for (int t = 0; t < transforms.length; t++) {
                for (String th : threads.split(",")) {
                    for (String p : prefetch.split(",")) {
                        double[] r = measure(files, transforms[t], Integer.parseInt(th), Integer.parseInt(p), batch,
                                epochs);
                        System.out.printf(Locale.ROOT, "%-5s %-26s %7s %8s %10.0f %12.3f%n", format, names[t], th, p,
                                r[0], r[1]);
                    }
                }
            }
        }
        inMemory(fashion, batch);
    }

    /** Writes the first {@code n} images as root/label/index.format, scaled bicubically to {@code size}. */
    private static void write(IdxImageDataset data, int n, int size, String format, Path root) throws IOException {
        for (int i = 0; i < n; i++) {
            PixelImage image = data.load(i);
            BufferedImage gray = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
            gray.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
            if (size != image.width()) {
                BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
                Graphics2D g = scaled.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                g.drawImage(gray, 0, 0, size, size, null);
                g.dispose();
                gray = scaled;
            }
            Path file = root.resolve(String.valueOf(data.label(i))).resolve(i + "." + format);
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(gray, format, file.toFile())) {
                throw new IllegalStateException("ImageIO has no writer for " + format);
            }
        }
    }

    /** {images/s, process CPU-ms per image} of {@code epochs} timed epochs after an untimed one. */
    private static double[] measure(FileImageDataset files, ImageTransform transform, int threads, int prefetch,
                                    int batch, int epochs) {
        try (BatchLoader loader = BatchLoader.builder(files, transform).batchSize(batch).seed(1).threads(threads)
                .prefetch(prefetch).report(null).build()) {
            consume(loader, 0);
            long cpu = OS.getProcessCpuTime(), start = System.nanoTime();
            long count = 0;
            for (int e = 1; e <= epochs; e++) {
                count += consume(loader, e);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new double[] {count / seconds, (OS.getProcessCpuTime() - cpu) / 1e6 / count};
        }
    }

    private static long consume(BatchLoader loader, int epoch) {
        long count = 0;
        float sink = 0;
        try (EpochIterator it = loader.epoch(epoch)) {
            for (Batch b : it) {
                count += b.size();
                sink += b.images()[b.images().length - 1]; // touch it, as a consumer would
            }
        }
        if (sink == Float.MIN_VALUE) {
            System.out.print("");
        }
        return count;
    }

    /** The demo's training path: all images in memory as floats, shift (2 px) and flip per draw. */
    private static void inMemory(IdxImageDataset data, int batch) {
        int n = data.size(), plane = data.imageHeight() * data.imageWidth();
        float[] pixels = new float[n * plane];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] px = data.load(i).pixels();
            for (int p = 0; p < plane; p++) {
                pixels[i * plane + p] = (px[p] & 0xff) / 255f;
            }
            labels[i] = data.label(i);
        }
        InMemoryImages images = new InMemoryImages(pixels, labels, 1, data.imageHeight(), new PixelShift(2, true));
        float[] out = new float[batch * plane];
        for (int epoch = 0; epoch < 3; epoch++) { // the first is the warm-up
            int[] order = EpochOrder.order(n, 5, epoch, true);
            long cpu = OS.getProcessCpuTime(), start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int index = order[i];
                images.copyImage(index, out, (i % batch) * plane, EpochOrder.itemRandom(6, epoch, index));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-5s %-26s %7s %8s %10.0f %12.4f%s%n", "mem", "shift-flip 28 (demo)", "1",
                    "-", n / seconds, (OS.getProcessCpuTime() - cpu) / 1e6 / n, epoch == 0 ? "  (warm-up)" : "");
        }
    }
}
