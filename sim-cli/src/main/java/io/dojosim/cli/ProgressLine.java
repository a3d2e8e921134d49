package io.dojosim.cli;

import io.dojosim.core.engine.Simulator;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for long commands ({@code run}, {@code plan}, {@code collective}, {@code kernel},
 * {@code noc}) on a terminal: once a second, after the first two, standard error shows the
 * simulated time the running simulation has reached, the events it has executed and the events
 * per second, redrawn in place and erased at the end. Silent when standard error is not a
 * terminal ({@code System.console()} is null: logs, pipes, tests) and with {@code -q}.
 *
 * <pre>
 *   simulating: 1.234 ms simulated, 12,345,678 events, 1,234,567 events/s, 42 s
 * </pre>
 *
 * <p>Caveats: a step has no known end before it is simulated, so the line shows no ETA (a sweep's
 * progress does, from the points already finished); it follows the simulator created last, so a
 * command that runs several (a plan search) shows the current one. Wall-clock text, never part of
 * a result file.
 */
final class ProgressLine implements AutoCloseable {
    private final Thread thread;
    private final PrintStream err = System.err;
    private volatile boolean drawn;

    private ProgressLine(boolean active) {
        if (!active) {
            thread = null;
            return;
        }
        long t0 = System.nanoTime();
        thread = new Thread(() -> {
            long lastEvents = 0;
            long lastNanos = t0;
            try {
                Thread.sleep(2000);
                while (!Thread.currentThread().isInterrupted()) {
                    Simulator s = Simulator.latest();
                    long now = System.nanoTime();
                    if (s != null) {
                        long events = s.eventsExecuted();
                        double rate = (events - lastEvents) / Math.max(1e-9, (now - lastNanos) / 1e9);
                        rate = rate < 0 ? 0 : rate;
                        synchronized (this) {
                            err.printf(Locale.ROOT, "\rsimulating: %s simulated, %,d events, %,.0f events/s, %d s\033[K",
                                    RunCommand.fmtTime(s.now() / 1e12), events, rate, (now - t0) / 1_000_000_000L);
                            err.flush();
                            drawn = true;
                        }
                        lastEvents = events;
                        lastNanos = now;
                    } else {
                        synchronized (this) {
                            err.printf(Locale.ROOT, "\rpreparing the simulation: %d s\033[K", (now - t0) / 1_000_000_000L);
                            err.flush();
                            drawn = true;
                        }
                    }
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "dojosim-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the line when standard error is a terminal and {@code -q} was not given. */
    static ProgressLine start(picocli.CommandLine.Model.CommandSpec spec) {
        return new ProgressLine(System.console() != null && !Main.quiet(spec));
    }

    @Override
    public void close() {
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (drawn) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
