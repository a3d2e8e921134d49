package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Workers;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --threads N}: host threads a simulating command may use (default: the cores the load
 * average leaves idle, {@link #defaultThreads}).
 * A host setting, not a model parameter: results are identical for every value
 * (docs/adr/0070-parallel-flit-engine.md), so it is neither in the resolved config nor in the
 * modeled results; what the threads did goes under the results' {@code host} key.
 */
public final class ThreadsOption {
    /** Largest accepted value: beyond the cores, spinning threads only slow each other down. */
    static final int MAX_THREADS = 256;

    @Option(names = "--threads", paramLabel = "N",
            description = "Host threads for the fine-fidelity models (default: the cores the load average leaves idle, at least 1); "
                    + "results do not depend on it.")
    Integer threads;

    /** @return the thread count asked for, or {@link #defaultThreads} of this host now; checked */
    public int threads() {
        int n = threads == null ? defaultThreads(Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) : threads;
        if (n < 1 || n > MAX_THREADS) {
            throw new ConfigException("--threads " + n + " is out of range; allowed: 1 to " + MAX_THREADS);
        }
        return n;
    }

    /**
     * The default thread count: the cores the host's one-minute load average leaves idle, rounded
     * to the nearest whole core, at least 1 and at most the cores ({@code cores} when the load
     * average is unavailable, i.e. negative). A second thread only pays when a core is free for it:
     * measured on the 2-core reference host under a load average of 15, two independent one-thread
     * copies of the 16 x 16 NoC case ran no faster together than one after the other (ceiling
     * 1.02x) and {@code --threads 2} took 1.48 times as long as one thread (docs/performance.md,
     * "Parallel efficiency against the ceiling"). Results never depend on it.
     */
    static int defaultThreads(int cores, double loadAverage) {
        if (loadAverage < 0) return cores;
        long idle = Math.round(cores - loadAverage);
        return (int) Math.max(1, Math.min(cores, idle));
    }

    /** @return a team of {@link #threads()} lanes; close it when the command ends */
    public Workers workers() {
        return new Workers(threads());
    }

    /**
     * @return what a team did, for the results' {@code host} key: threads, parallel rounds
     * (windows), the model's work items per thread in those rounds, in total and per round, busy
     * time per thread and the caller's wait at the barrier
     */
    public static Map<String, Object> report(Workers w, String itemName) {
        Workers.Report r = w.report();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threads", r.threads());
        m.put("parallelWindows", r.rounds());
        m.put("unsplitWindows", r.declined());
        m.put(itemName + "Unsplit", r.serialItems());
        m.put(itemName + "ByThread", r.items());
        double[] perRound = new double[r.threads()];
        long[] busyMs = new long[r.threads()];
        for (int i = 0; i < perRound.length; i++) {
            perRound[i] = r.itemsPerRound(i);
            busyMs[i] = r.busyNs()[i] / 1_000_000;
        }
        m.put(itemName + "PerWindowByThread", perRound);
        m.put("busyMsByThread", busyMs);
        m.put("barrierWaitMs", r.waitNs() / 1_000_000);
        m.put("probesPostponed", r.postponedProbes());
        m.put("probesAbandoned", r.abandonedProbes());
        return m;
    }
}
