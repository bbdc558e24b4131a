package dev.parley.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-side figures from Parley's own Prometheus endpoint ({@code /metrics}, admin only):
 * the {@code http_server_requests_seconds} count and sum per route, read before and after a
 * scenario. Their difference gives the server's mean time per request, without HTTP on the
 * client's side. (No percentiles: the server publishes no latency histogram by default.)
 */
final class ServerMetrics {

    private static final Pattern LINE = Pattern.compile("^http_server_requests_seconds_(count|sum)\\{(.*)} ([0-9.eE+-]+)$");

    private final Api api;
    private final String adminToken;

    ServerMetrics(Api api, String adminToken) {
        this.api = api;
        this.adminToken = adminToken;
    }

    /** Series labels → {count, sum in seconds}; empty when the endpoint cannot be read. */
    Map<String, double[]> snapshot() {
        Map<String, double[]> series = new HashMap<>();
        if (adminToken == null) {
            return series;
        }
        try {
            for (String line : api.text("/metrics", adminToken).split("\n")) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    double[] v = series.computeIfAbsent(m.group(2), k -> new double[2]);
                    v[m.group(1).equals("count") ? 0 : 1] = Double.parseDouble(m.group(3));
                }
            }
        } catch (RuntimeException e) {
            // no server-side figures then
        }
        return series;
    }

    /** The route that served most requests between two snapshots, with its count and mean. */
    static Map<String, Object> between(Map<String, double[]> before, Map<String, double[]> after) {
        String best = null;
        double bestCount = 0;
        double bestSum = 0;
        for (Map.Entry<String, double[]> e : after.entrySet()) {
            if (e.getKey().contains("/metrics")) {
                continue;
            }
            double[] b = before.getOrDefault(e.getKey(), new double[2]);
            double count = e.getValue()[0] - b[0];
            if (count > bestCount) {
                best = e.getKey();
                bestCount = count;
                bestSum = e.getValue()[1] - b[1];
            }
        }
        if (best == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", label(best, "method") + " " + label(best, "uri") + " " + label(best, "status"));
        m.put("requests", (long) bestCount);
        m.put("mean_ms", Measure.round(bestSum / bestCount * 1000.0));
        return m;
    }

    private static String label(String labels, String name) {
        Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "?";
    }
}
