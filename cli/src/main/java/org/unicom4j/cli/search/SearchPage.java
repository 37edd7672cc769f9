package org.unicom4j.cli.search;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unicom4j.cli.report.Html;
import org.unicom4j.retrieval.lucene.IndexHit;

/**
 * The results as one self-contained HTML page: a row per query, its thumbnail then its hits' thumbnails with
 * rank, score and label; every picture is a {@code data:} URI, so the page can be mailed or archived alone.
 */
final class SearchPage {
    private SearchPage() {
    }

    /**
     * @param thumbnails data URI per query or hit path; a path without one (its image is gone) shows its name
     */
    static String render(String title, List<QueryResult> results, Map<String, String> thumbnails, int size) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(Html.escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}")
                .append("td{vertical-align:top;text-align:center;padding:4px;font-size:11px;max-width:")
                .append(size + 8).append("px;overflow-wrap:anywhere}td.q{border-right:3px solid #1f77b4}")
                .append("img{display:block;margin:auto}.missing{width:").append(size).append("px;height:")
                .append(size).append("px;background:#eee;display:flex;align-items:center;justify-content:center}")
                .append("</style></head><body>\n<h1>").append(Html.escape(title)).append("</h1>\n<table>\n");
        for (QueryResult r : results) {
            s.append("<tr><td class=\"q\">").append(picture(r.query(), thumbnails)).append("query<br>")
                    .append(Html.escape(fileName(r.query()))).append("</td>");
            int rank = 1;
            for (IndexHit hit : r.hits()) {
                s.append("<td>").append(picture(hit.path(), thumbnails))
                        .append(String.format(Locale.ROOT, "#%d &middot; %.4f<br>label %d<br>", rank++, hit.score(),
                                hit.label()))
                        .append(Html.escape(fileName(hit.path()))).append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</table>\n</body></html>\n").toString();
    }

    private static String picture(String path, Map<String, String> thumbnails) {
        String uri = thumbnails.get(path);
        String t = Html.escape(path);
        return uri == null ? "<div class=\"missing\" title=\"" + t + "\">no image</div>"
                : "<img src=\"" + uri + "\" title=\"" + t + "\" alt=\"" + t + "\">";
    }

    private static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }
}
