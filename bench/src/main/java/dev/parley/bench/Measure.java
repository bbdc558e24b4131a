package dev.parley.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;

/**
 * Runs one operation from N threads for a warm-up and then a measured period, each thread
 * recording its latencies in its own histogram (microseconds); the histograms are merged.
 */
final class Measure {

    /** One thread's operation; {@code client} is the thread's index, {@code i} its call count. */
    @FunctionalInterface
    interface Op {
        void run(int client, long i) throws Exception;
    }

    /** The figures of one scenario at one concurrency. */
    record Result(String scenario, int clients, long ops, long errors, double seconds, double perSecond,
                  double p50, double p95, double p99, double mean, double max, String firstError) {

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", scenario);
            m.put("clients", clients);
            m.put("ops", ops);
            m.put("errors", errors);
            m.put("seconds", round(seconds));
            m.put("ops_per_second", round(perSecond));
            m.put("p50_ms", round(p50));
            m.put("p95_ms", round(p95));
            m.put("p99_ms", round(p99));
            m.put("mean_ms", round(mean));
            m.put("max_ms", round(max));
            if (firstError != null) {
                m.put("first_error", firstError);
            }
            return m;
        }
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000.0) / 1000.0 : v;
    }

    /** Timed: every thread calls {@code op} until the warm-up and the measured period have passed. */
    static Result timed(String scenario, int clients, double warmupSeconds, double seconds, Op op) throws InterruptedException {
        return run(scenario, clients, warmupSeconds, seconds, Long.MAX_VALUE, 1, op);
    }

    /** Unrecorded: calls {@code op} from {@code clients} threads for {@code seconds}, errors ignored. */
    static void warm(int clients, double seconds, Op op) throws InterruptedException {
        long stopAt = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                long i = 0;
                while (System.nanoTime() < stopAt) {
                    try {
                        op.run(client, i++);
                    } catch (Exception e) {
                        // the measured run reports errors
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * Bounded: one thread calls {@code op} at most {@code maxOps} times or until {@code seconds}
     * have passed, whichever comes first, but at least {@code minOps} times (for slow operations).
     */
    static Result bounded(String scenario, double seconds, long minOps, long maxOps, Op op) throws InterruptedException {
        return run(scenario, 1, 0, seconds, maxOps, minOps, op);
    }

    private static Result run(String scenario, int clients, double warmupSeconds, double seconds, long maxOps, long minOps,
                              Op op) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long stopAt = measureFrom + (long) (seconds * 1e9);
        List<Histogram> histograms = new ArrayList<>();
        long[] errors = new long[clients];
        long[] ops = new long[clients];
        long[] lastEnd = new long[clients];
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Histogram h = new Histogram(3_600_000_000L, 3);
            histograms.add(h);
            int client = c;
            threads.add(Thread.ofPlatform().name("bench-" + scenario + "-" + c).start(() -> {
                try {
                    long i = 0;
                    while (true) {
                        long before = System.nanoTime();
                        if (ops[client] >= minOps && (before >= stopAt || ops[client] >= maxOps)) {
                            break;
                        }
                        boolean failed = false;
                        try {
                            op.run(client, i++);
                        } catch (Exception e) {
                            failed = true;
                            firstError.compareAndSet(null, e.toString());
                        }
                        long after = System.nanoTime();
                        if (before >= measureFrom) {
                            if (failed) {
                                errors[client]++;
                            } else {
                                h.recordValue(Math.max(1, (after - before) / 1_000));
                            }
                            ops[client]++;
                            lastEnd[client] = after;
                        }
                        if (failed && errors[client] > 1_000) {
                            break;
                        }
                    }
                } finally {
                    done.countDown();
                }
            }));
        }
        done.await();
        Histogram all = new Histogram(3_600_000_000L, 3);
        histograms.forEach(all::add);
        long totalOps = 0;
        long totalErrors = 0;
        long end = measureFrom;
        for (int c = 0; c < clients; c++) {
            totalOps += ops[c];
            totalErrors += errors[c];
            end = Math.max(end, lastEnd[c]);
        }
        double elapsed = Math.max(1e-9, (end - Math.max(start, measureFrom)) / 1e9);
        long ok = totalOps - totalErrors;
        Result result = new Result(scenario, clients, totalOps, totalErrors, elapsed, ok / elapsed,
                ms(all.getValueAtPercentile(50)), ms(all.getValueAtPercentile(95)), ms(all.getValueAtPercentile(99)),
                all.getTotalCount() == 0 ? Double.NaN : all.getMean() / 1000.0, ms(all.getMaxValue()), firstError.get());
        System.out.printf("  %-34s %3d clients %9.1f ops/s  p50 %8.2f  p95 %8.2f  p99 %8.2f ms%s%n", scenario, clients,
                result.perSecond(), result.p50(), result.p95(), result.p99(),
                totalErrors > 0 ? "  (" + totalErrors + " errors: " + firstError.get() + ")" : "");
        return result;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
