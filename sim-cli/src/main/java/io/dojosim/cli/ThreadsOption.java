package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Workers;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --threads N}: host threads a simulating command may use (default: one thread, or for the
 * work a second thread was measured to speed up, the cores the load average leaves idle less one
 * kept for the JVM's compiler and collector; {@link #defaultThreads}).
 * A host setting, not a model parameter: results are identical for every value
 * (docs/adr/0070-parallel-flit-engine.md), so it is neither in the resolved config nor in the
 * modeled results; what the threads did goes under the results' {@code host} key.
 */
public final class ThreadsOption {
    /** Largest accepted value: beyond the cores, spinning threads only slow each other down. */
    static final int MAX_THREADS = 256;

    /**
     * What a command's work was measured to gain from a second thread on the 2-core reference host
     * (docs/adr/0115-default-threads-by-work-and-a-cheaper-split-probe.md, docs/performance.md "Parallel efficiency against the
     * ceiling"); the default thread count follows it.
     */
    public enum Gain {
        /**
         * No faster on two threads than on one (a 16 x 16 NoC, a chip GEMM at flit fidelity, a
         * training step or plan search on the flow model): the default is one thread.
         */
        NONE,
        /**
         * Faster on more threads while cores are idle (a step's compute at cycle fidelity: its chip
         * simulations are independent): the default is the cores the load average leaves idle, less
         * one for the JVM's own compiler and collector threads.
         */
        IDLE_CORES
    }

    @Option(names = "--threads", paramLabel = "N",
            description = "Host threads for the fine-fidelity models (default: 1, or, for work measured to gain from them such as a "
                    + "step at run.computeFidelity=cycle, the cores the load average leaves idle less one for the JVM's compiler and "
                    + "collector); results do not depend on it.")
    Integer threads;

    /** @return the thread count asked for, or {@link #defaultThreads} for work that gains nothing; checked */
    public int threads() {
        return threads(Gain.NONE);
    }

    /** @return the thread count asked for, or {@link #defaultThreads} of this host now for work of this kind; checked */
    public int threads(Gain gain) {
        int n = threads == null ? defaultThreads(Runtime.getRuntime().availableProcessors(),
                LoadAverage.oneMinute(), gain) : threads;
        if (n < 1 || n > MAX_THREADS) {
            throw new ConfigException("--threads " + n + " is out of range; allowed: 1 to " + MAX_THREADS);
        }
        return n;
    }

    /**
     * The default thread count: 1 for work a second thread was not measured to speed up
     * ({@link Gain#NONE}); otherwise the cores the host's one-minute load average leaves idle,
     * rounded to the nearest whole core, less one, at least 1 and at most the cores (all cores but
     * one when the load average is unavailable, i.e. negative). A second thread only pays when a
     * core is free for it: on the 2-core reference host under a load average of 15, two independent
     * one-thread copies of the 16 x 16 NoC case ran no faster together than one after the other
     * (ceiling 1.02x); in a quiet window (load average 1.7 to 2.9) {@code --threads 2} was 0.67x of
     * one thread on that case and 0.85x on the default ExaPOD run. The one core kept back is the
     * JVM's: a one-thread run already uses 1.5 to 1.75 cores (its JIT compiler and garbage
     * collector), so on 2 cores two copies of a step at cycle fidelity get only 1.12x to 1.15x
     * together, and {@code --threads 2} there measured 0.84x in one quiet sitting and 1.16x in
     * another (docs/performance.md, "Parallel efficiency against the ceiling", ADR 0115 amended).
     * Results never depend on it.
     */
    static int defaultThreads(int cores, double loadAverage, Gain gain) {
        if (gain == Gain.NONE) return 1;
        long idle = loadAverage < 0 ? cores : Math.round(cores - loadAverage);
        return (int) Math.max(1, Math.min(cores, idle - 1));
    }

    /**
     * @return the work kind of a training step under {@code c}: {@link Gain#IDLE_CORES} when its
     * compute is timed at cycle fidelity (each distinct chip share is one independent chip
     * simulation, split over the threads), {@link Gain#NONE} on the roofline (the flow model and
     * the plan search's candidates, memory-bound, gain nothing here)
     */
    public static Gain stepGain(io.dojosim.core.config.ResolvedConfig c) {
        return "cycle".equals(c.getString("run.computeFidelity")) ? Gain.IDLE_CORES : Gain.NONE;
    }

    /** @return a team of {@link #threads(Gain)} lanes for work of this kind; close it when the command ends */
    public Workers workers(Gain gain) {
        return new Workers(threads(gain));
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
