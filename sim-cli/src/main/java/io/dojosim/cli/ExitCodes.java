package io.dojosim.cli;

/**
 * Exit codes of every dojosim command.
 *
 * <pre>
 *   0  success
 *   1  a check failed (dojosim check outside tolerance, a test-like verdict)
 *   2  bad input: config, workload, option or file the user gave
 *   4  internal error: a broken invariant of the simulator (our bug), or out of memory
 *   130 interrupted (Ctrl-C): what existed was written, marked "complete": false
 * </pre>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int INTERNAL = 4;
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
