package io.dojosim.cli;

import io.dojosim.core.engine.SimulationInterrupted;

/**
 * Ctrl-C (SIGINT) for the command line: the first one asks every simulation to stop at its next
 * event boundary ({@link SimulationInterrupted}), so the command writes what it has, marked
 * {@code "complete": false}, says so and exits 130; a second one ends the process at once (exit
 * 130). Installed by {@link Main#main} only, never by tests that call {@link Main#execute}.
 *
 * <p>Caveats: uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK 17); where
 * it is missing, Ctrl-C ends the process as the JVM does by default (exit 130, nothing written).
 */
final class Interruption {
    private static volatile int count;

    private Interruption() {
    }

    static void install() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> {
                if (++count > 1) {
                    Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                }
                System.err.println();
                System.err.println("interrupted: stopping at the next event boundary and writing what exists (Ctrl-C again to quit at once)");
                System.err.flush();
                SimulationInterrupted.request();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // no SIGINT handling here: the JVM's default applies
        }
    }

    /** @return true once Ctrl-C was pressed */
    static boolean requested() {
        return SimulationInterrupted.requested();
    }
}
