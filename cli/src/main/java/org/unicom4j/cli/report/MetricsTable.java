package org.unicom4j.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Named rows of named numbers, printed as an aligned text table or an HTML table, and serialisable as JSON. */
public final class MetricsTable {
    private final List<String> columns;
    private final Map<String, Map<String, Double>> rows = new LinkedHashMap<>();

    public MetricsTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    public void add(String row, Map<String, Double> values) {
        rows.put(row, new LinkedHashMap<>(values));
    }

    /** Rows keyed by name, for JSON. */
    public Map<String, Map<String, Double>> rows() {
        return rows;
    }

    public String toText() {
        int nameWidth = Math.max(6, rows.keySet().stream().mapToInt(String::length).max().orElse(0));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", "method"));
        for (String c : columns) {
            sb.append(String.format(Locale.ROOT, "  %10s", c));
        }
        sb.append('\n').append("-".repeat(nameWidth + 12 * columns.size())).append('\n');
        for (var row : rows.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", row.getKey()));
            for (String c : columns) {
                Double v = row.getValue().get(c);
                sb.append(v == null ? String.format("  %10s", "-") : String.format(Locale.ROOT, "  %10.4f", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public String toHtml() {
        List<String> out = new ArrayList<>();
        out.add("<table><tr><th>method</th>");
        for (String c : columns) {
            out.add("<th>" + Html.escape(c) + "</th>");
        }
        out.add("</tr>");
        for (var row : rows.entrySet()) {
            out.add("<tr><td>" + Html.escape(row.getKey()) + "</td>");
            for (String c : columns) {
                Double v = row.getValue().get(c);
                out.add("<td>" + (v == null ? "-" : String.format(Locale.ROOT, "%.4f", v)) + "</td>");
            }
            out.add("</tr>");
        }
        out.add("</table>");
        return String.join("", out);
    }
}
