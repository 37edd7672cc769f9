package org.unicom4j.cli.demo;

import java.util.Locale;
import java.util.Map;
import org.unicom4j.cli.report.Html;
import org.unicom4j.cli.report.MetricsTable;
import org.unicom4j.training.config.RunConfig;

/** The demo's HTML page: metrics table, timings, loss curve, neighbour grids and where the models are. */
final class DemoHtml {
    private DemoHtml() {
    }

    static String render(MetricsTable table, Map<String, Double> seconds, Map<String, Map<String, Object>> training,
                         Map<String, String> grids, String pseudoClasses, RunConfig config) {
        StringBuilder timing = new StringBuilder("<table><tr><th>stage</th><th>seconds</th><th>images/s</th></tr>");
        seconds.forEach((stage, s) -> {
            Map<String, Object> rate = training.get(stage.substring(0, stage.indexOf(' ')));
            timing.append("<tr><td>").append(Html.escape(stage)).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", s)).append("</td><td>")
                    .append(rate == null ? "" : String.format(Locale.ROOT, "%.0f", (Double) rate.get(
                            "images_per_second"))).append("</td></tr>");
        });
        timing.append("</table>");
        StringBuilder pictures = new StringBuilder();
        grids.forEach((title, file) -> pictures.append("<h3>").append(Html.escape(title)).append("</h3><img src=\"")
                .append(Html.escape(file)).append("\" alt=\"neighbours\">\n"));
        StringBuilder models = new StringBuilder();
        training.keySet().forEach(stage -> models.append("<li><code>").append(Html.escape(stage))
                .append("/model.safetensors</code></li>"));
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
                %s
                <h2>Models</h2><p>Safetensors that <code>embed</code>, <code>index</code> and <code>search</code>
                take with <code>--weights</code>, in this folder:</p><ul>%s</ul>
                <h2>Time</h2>%s
                </body></html>
                """.formatted(config.eval().limit(), Html.escape(pseudoClasses), Html.escape(config.backend()),
                        table.toHtml(), pictures, models, timing);
    }
}
