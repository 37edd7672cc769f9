package org.unicom4j.cli.demo;

import java.util.Locale;
import java.util.Map;
import org.unicom4j.cli.report.Html;
import org.unicom4j.cli.report.MetricsTable;

/** The demo's HTML page: metrics table, timings, loss curve and neighbour grids. */
final class DemoHtml {
    private DemoHtml() {
    }

    static String render(MetricsTable table, Map<String, Double> seconds, DemoSettings settings) {
        StringBuilder timing = new StringBuilder("<table><tr><th>step</th><th>seconds</th></tr>");
        seconds.forEach((k, v) -> timing.append("<tr><td>").append(Html.escape(k)).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.1f", v)).append("</td></tr>"));
        timing.append("</table>");
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>unicom4j demo: Fashion-MNIST</title>
                <style>body{font-family:sans-serif;max-width:960px;margin:2em auto}table{border-collapse:collapse}
                td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}td:first-child{text-align:left}</style>
                </head><body>
                <h1>unicom4j demo: Unicom on Fashion-MNIST</h1>
                <p>Leave-one-out retrieval on the first %d test images with their true labels (Recall@K, mAP@R).
                %s Baselines: the raw pixels (784-d, L2-normalised) and the same ViT untrained. Backend: %s.</p>
                <h2>Metrics</h2>%s
                <h2>Training loss</h2><img src="loss.png" alt="loss curve">
                <h2>Nearest neighbours</h2>
                <p>First column: query; then its 8 nearest test images (green: same class, red: other class).</p>
                <h3>Unicom ViT (pseudo-classes)</h3><img src="neighbours_unicom.png" alt="neighbours">
                %s
                <h3>Raw pixels</h3><img src="neighbours_pixels.png" alt="neighbours">
                <h2>Time</h2>%s
                </body></html>
                """.formatted(settings.testImages(), Html.escape(FashionMnistDemo.pseudoClassText(settings)),
                        Html.escape(settings.backend()), table.toHtml(),
                        settings.finetuneEpochs() > 0
                                ? "<h3>Fine-tuned ViT</h3><img src=\"neighbours_finetuned.png\" alt=\"neighbours\">" : "",
                        timing);
    }
}
