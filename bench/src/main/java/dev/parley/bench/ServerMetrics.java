package dev.parley.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-side figures from Parley's own Prometheus endpoint ({@code /metrics}, admin only):
 * the {@code http_server_requests_seconds} count, sum and latency buckets per route, read
 * before and after a scenario. Their difference gives the server's own mean and p50/p95/p99
 * per request, without HTTP and the client on the measured path. A percentile is the upper
 * bound of the bucket it falls in (Micrometer's buckets are about 10% apart), so it is a
 * slight overestimate, never an underestimate.
 */
final class ServerMetrics {

    private static final Pattern LINE =
            Pattern.compile("^http_server_requests_seconds_(count|sum|bucket)\\{(.*)} ([0-9.eE+-]+|\\+Inf|NaN)$");
    private static final Pattern LE = Pattern.compile(",?le=\"([^\"]*)\"");

    /** One series (method, uri, status …): count, sum in seconds, cumulative buckets by upper bound. */
    record Series(double count, double sum, TreeMap<Double, Double> buckets) {
        Series() {
            this(0, 0, new TreeMap<>());
        }
    }

    private final Api api;
    private final String adminToken;

    ServerMetrics(Api api, String adminToken) {
        this.api = api;
        this.adminToken = adminToken;
    }

    /** Series labels (without {@code le}) → figures; empty when the endpoint cannot be read. */
    Map<String, Series> snapshot() {
        Map<String, double[]> sums = new HashMap<>();
        Map<String, TreeMap<Double, Double>> buckets = new HashMap<>();
        if (adminToken == null) {
            return Map.of();
        }
        try {
            for (String line : api.text("/metrics", adminToken).split("\n")) {
                Matcher m = LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                double value = Double.parseDouble(m.group(3).replace("+Inf", "Infinity"));
                if (m.group(1).equals("bucket")) {
                    Matcher le = LE.matcher(m.group(2));
                    if (le.find()) {
                        String labels = le.replaceFirst("");
                        double bound = Double.parseDouble(le.group(1).replace("+Inf", "Infinity"));
                        buckets.computeIfAbsent(labels, k -> new TreeMap<>()).put(bound, value);
                    }
                } else {
                    double[] v = sums.computeIfAbsent(m.group(2), k -> new double[2]);
                    v[m.group(1).equals("count") ? 0 : 1] = value;
                }
            }
        } catch (RuntimeException e) {
            return Map.of(); // no server-side figures then
        }
        Map<String, Series> series = new HashMap<>();
        sums.forEach((labels, v) -> series.put(labels,
                new Series(v[0], v[1], buckets.getOrDefault(labels, new TreeMap<>()))));
        return series;
    }

    /** The route that served most requests between two snapshots, with its count, mean and percentiles. */
    static Map<String, Object> between(Map<String, Series> before, Map<String, Series> after) {
        String best = null;
        double bestCount = 0;
        for (Map.Entry<String, Series> e : after.entrySet()) {
            if (e.getKey().contains("/metrics")) {
                continue;
            }
            double count = e.getValue().count() - before.getOrDefault(e.getKey(), new Series()).count();
            if (count > bestCount) {
                best = e.getKey();
                bestCount = count;
            }
        }
        if (best == null) {
            return null;
        }
        Series a = after.get(best);
        Series b = before.getOrDefault(best, new Series());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", label(best, "method") + " " + label(best, "uri") + " " + label(best, "status"));
        m.put("requests", (long) bestCount);
        m.put("mean_ms", Measure.round((a.sum() - b.sum()) / bestCount * 1000.0));
        List<double[]> delta = new ArrayList<>();
        a.buckets().forEach((bound, cumulative) ->
                delta.add(new double[] {bound, cumulative - b.buckets().getOrDefault(bound, 0.0)}));
        if (!delta.isEmpty()) {
            m.put("p50_ms", percentile(delta, bestCount, 0.50));
            m.put("p95_ms", percentile(delta, bestCount, 0.95));
            m.put("p99_ms", percentile(delta, bestCount, 0.99));
        }
        return m;
    }

    /** The upper bound (ms) of the first bucket whose cumulative count reaches the quantile. */
    private static Double percentile(List<double[]> cumulative, double count, double q) {
        double rank = Math.ceil(q * count);
        for (double[] bucket : cumulative) {
            if (bucket[1] >= rank) {
                return Double.isInfinite(bucket[0]) ? null : Measure.round(bucket[0] * 1000.0);
            }
        }
        return null;
    }

    private static String label(String labels, String name) {
        Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "?";
    }
}
