package org.unicom4j.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Draws one or more series (e.g. training loss per step) as a line chart PNG image. */
public final class LossCurvePlot {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0x8c564b)};

    /** A named series of y values at x = 0, 1, 2, ... */
    public record Series(String name, float[] values) {
    }

    private LossCurvePlot() {
    }

    public static BufferedImage draw(String title, String xLabel, List<Series> series, int width, int height) {
        return draw(title, xLabel, series, width, height, null);
    }

    /**
     * As {@link #draw(String, String, List, int, int)}, with {@code xTicks[i]} written under x = i (e.g. code
     * lengths) instead of the first and last index; null for the indices.
     */
    public static BufferedImage draw(String title, String xLabel, List<Series> series, int width, int height,
                                     String[] xTicks) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 60, right = 20, top = 36, bottom = 44;
        int plotW = width - left - right, plotH = height - top - bottom;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        int longest = 1;
        for (Series s : series) {
            longest = Math.max(longest, s.values().length);
            for (float v : s.values()) {
                if (Float.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(max > min)) {
            max = min + 1;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(left, top, plotW, plotH);
        for (int t = 0; t <= 4; t++) {
            float v = min + (max - min) * t / 4;
            int y = top + plotH - plotH * t / 4;
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, left + plotW - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.2f", v), 6, y + 4);
        }
        if (xTicks == null) {
            g.drawString("0", left, top + plotH + 16);
            String end = Integer.toString(longest - 1);
            g.drawString(end, left + plotW - g.getFontMetrics().stringWidth(end), top + plotH + 16);
        } else {
            for (int i = 0; i < xTicks.length; i++) {
                int x = left + (int) ((long) plotW * i / Math.max(1, longest - 1));
                int w = g.getFontMetrics().stringWidth(xTicks[i]);
                g.drawString(xTicks[i], Math.min(Math.max(x - w / 2, left), left + plotW - w), top + plotH + 16);
            }
        }
        g.drawString(xLabel, left + plotW / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, top + plotH + 32);
        g.setStroke(new BasicStroke(1.5f));
        for (int si = 0; si < series.size(); si++) {
            float[] v = series.get(si).values();
            g.setColor(COLORS[si % COLORS.length]);
            int px = -1, py = -1;
            for (int i = 0; i < v.length; i++) {
                int x = left + (int) ((long) plotW * i / Math.max(1, longest - 1));
                int y = top + plotH - (int) (plotH * (v[i] - min) / (max - min));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawString(series.get(si).name(), left + plotW - 160, top + 16 + 14 * si);
        }
        g.dispose();
        return image;
    }
}
