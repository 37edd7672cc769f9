package example;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.api.ImageIndex;
import org.unicom4j.api.SearchHit;

/**
 * Embeds a few pictures, keeps them in an index on disk and finds the ones nearest to a query: the library API in
 * one file. With no argument the model has random weights (no trained model at hand); give a weights file, such as
 * the demo's runs/demo/unicom/model.safetensors or a released FP16-ViT-B-32.pt, for meaningful neighbours.
 */
public final class FindSimilarImages {

    public static void main(String[] args) throws Exception {
        ImageEmbedder.Builder model = args.length > 0 && !args[0].isBlank()
                ? ImageEmbedder.builder().weights(Path.of(args[0]))
                : ImageEmbedder.builder().randomWeights("tiny", 1);
        Path folder = Files.createTempDirectory("unicom4j-example-index");

        try (ImageEmbedder embedder = model.maxBatch(16).build();
             ImageIndex index = ImageIndex.open(folder, embedder)) {
            System.out.println("model " + embedder.description());

            float[] vector = embedder.embed(picture(0));             // one image: a unit vector
            System.out.println("an embedding of " + vector.length + " floats");

            for (int i = 0; i < 8; i++) {                            // each add is on disk when it returns
                index.add("picture-" + i, i % 2, picture(i));
            }

            List<SearchHit> hits = index.search(picture(5), 3);      // the 3 nearest by cosine similarity
            for (SearchHit hit : hits) {
                System.out.printf("%-10s label %d  cosine %.4f%n", hit.id(), hit.label(), hit.score());
            }
            if (!hits.getFirst().id().equals("picture-5")) {
                throw new AssertionError("the query's own picture should come first, got " + hits);
            }
        }
    }

    /** A 64 x 64 picture: a disc or a square, by {@code i}'s parity, at a place and in a colour of its own. */
    static BufferedImage picture(int i) {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.getHSBColor(i / 8f, 0.8f, 0.8f));
        int x = 4 + 5 * i, y = 40 - 4 * i;
        if (i % 2 == 0) {
            g.fillOval(x, y, 24, 24);
        } else {
            g.fillRect(x, y, 24, 24);
        }
        g.dispose();
        return image;
    }
}
