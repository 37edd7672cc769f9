package org.unicom4j.data.augment;

import java.util.random.RandomGenerator;
import org.unicom4j.data.image.BicubicResize;
import org.unicom4j.data.image.PixelImage;

/**
 * torchvision's {@code RandomResizedCrop.get_params}: up to 10 tries of a crop whose area is a uniform fraction in
 * {@code scale} of the image and whose log aspect ratio is uniform in log({@code ratio}); side lengths rounded with
 * Python's round (half to even); if no try fits, the largest centred crop with a ratio inside the range. The crop
 * is then resized to {@code size} x {@code size} (bicubic, Pillow-exact).
 *
 * @param size     output side
 * @param minScale smallest area fraction (0.08 in torchvision and timm)
 * @param maxScale largest area fraction (1.0)
 * @param minRatio smallest width/height (3/4)
 * @param maxRatio largest width/height (4/3)
 */
public record RandomResizedCrop(int size, double minScale, double maxScale, double minRatio, double maxRatio) {

    public static RandomResizedCrop standard(int size) {
        return new RandomResizedCrop(size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    public RandomResizedCrop {
        if (size <= 0 || !(0 < minScale && minScale <= maxScale) || !(0 < minRatio && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("RandomResizedCrop(size " + size + ", scale [" + minScale + ", "
                    + maxScale + "], ratio [" + minRatio + ", " + maxRatio + "]) needs size > 0 and 0 < min <= max");
        }
    }

    /** The crop rectangle {left, top, width, height} for an image of the given size. */
    public int[] window(int width, int height, RandomGenerator random) {
        double area = (double) width * height;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * uniform(random, minScale, maxScale);
            double aspect = Math.exp(uniform(random, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                return new int[] {left, top, w, h};
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < minRatio) {
            w = width;
            h = (int) Math.rint(w / minRatio);
        } else if (inRatio > maxRatio) {
            h = height;
            w = (int) Math.rint(h * maxRatio);
        } else {
            w = width;
            h = height;
        }
        return new int[] {(width - w) / 2, (height - h) / 2, w, h};
    }

    public PixelImage apply(PixelImage image, RandomGenerator random) {
        int[] r = window(image.width(), image.height(), random);
        return BicubicResize.resize(image.crop(r[0], r[1], r[2], r[3]), size, size);
    }

    static double uniform(RandomGenerator random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }
}
