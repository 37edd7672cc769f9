package org.unicom4j.cli.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * A picture of retrieval results: one row per query, the query image first and its nearest neighbours after
 * it, each neighbour framed green when it has the query's class and red when not.
 */
public final class NeighbourGrid {

    /** Grayscale or RGB pixels in [0, 1] of one image, channels x size x size. */
    @FunctionalInterface
    public interface ImageAccess {
        float[] pixels(int index);
    }

    private NeighbourGrid() {
    }

    public static BufferedImage draw(int[] queries, int[][] neighbours, int[] labels, ImageAccess images,
                                     int channels, int size, int scale) {
        int cell = size * scale + 6, columns = 1 + neighbours[0].length;
        BufferedImage grid = new BufferedImage(columns * cell + 8, queries.length * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int r = 0; r < queries.length; r++) {
            drawCell(g, images.pixels(queries[r]), channels, size, scale, 0, r * cell, Color.BLUE);
            for (int c = 0; c < neighbours[r].length; c++) {
                int n = neighbours[r][c];
                Color frame = labels[n] == labels[queries[r]] ? new Color(0x2ca02c) : new Color(0xd62728);
                drawCell(g, images.pixels(n), channels, size, scale, 8 + (c + 1) * cell, r * cell, frame);
            }
        }
        g.dispose();
        return grid;
    }

    private static void drawCell(Graphics2D g, float[] pixels, int channels, int size, int scale, int x0, int y0,
                                 Color frame) {
        g.setColor(frame);
        g.fillRect(x0, y0, size * scale + 6, size * scale + 6);
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    float v = pixels[(channels == 1 ? 0 : c) * plane + y * size + x];
                    rgb = (rgb << 8) | Math.max(0, Math.min(255, Math.round(v * 255)));
                }
                g.setColor(new Color(rgb));
                g.fillRect(x0 + 3 + x * scale, y0 + 3 + y * scale, scale, scale);
            }
        }
    }
}
