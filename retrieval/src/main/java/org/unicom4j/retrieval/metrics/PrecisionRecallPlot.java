package org.unicom4j.retrieval.metrics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Precision-recall curves (recall on x, precision on y, both 0 to 1), one line per result, as an image. */
public final class PrecisionRecallPlot {
    private static final Color[] LINES = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};
    private static final int LEFT = 56;
    private static final int TOP = 34;
    private static final int MARGIN = 40;

    private PrecisionRecallPlot() {
    }

    public static BufferedImage draw(String title, List<HashingScores> results, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int w = width - LEFT - 16, h = height - TOP - MARGIN;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int tick = 0; tick <= 5; tick++) {
            double v = tick / 5.0;
            int x = LEFT + (int) (w * v), y = TOP + h - (int) (h * v);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, LEFT + w, y);
            g.drawLine(x, TOP, x, TOP + h);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.1f", v);
            g.drawString(label, LEFT - 26, y + 4);
            g.drawString(label, x - 8, TOP + h + 14);
        }
        g.drawString("recall", LEFT + w / 2 - 14, TOP + h + 30);
        g.drawString("precision", 4, TOP - 8);
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, w, h);
        g.setStroke(new BasicStroke(1.8f));
        for (int s = 0; s < results.size(); s++) {
            HashingScores r = results.get(s);
            g.setColor(LINES[s % LINES.length]);
            for (int i = 1; i < r.curveRecall().length; i++) {
                g.drawLine(LEFT + (int) (w * r.curveRecall()[i - 1]), TOP + h - (int) (h * r.curvePrecision()[i - 1]),
                        LEFT + (int) (w * r.curveRecall()[i]), TOP + h - (int) (h * r.curvePrecision()[i]));
            }
            String legend = String.format(Locale.ROOT, "%s (mAP@%d %.3f)", r.name(), r.mapDepth(), r.map());
            g.drawString(legend, LEFT + w - g.getFontMetrics().stringWidth(legend) - 8, TOP + 16 + 15 * s);
        }
        g.dispose();
        return image;
    }
}
