package io.dojosim.cli.sweep;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a sweep on standard error: a bar redrawn in place with the estimated time left
 * when the output is a terminal, else one plain line per finished point (for logs and CI).
 *
 * <pre>
 *   [############............]  12/40  30%  1 failed  ETA 1m 20s
 *   sweep: 12/40 p0011-3fa2c1d0 ok (d1.node.clockHz=2500000000) 4.1 s, ETA 1m 20s
 * </pre>
 *
 * <p>The ETA is the mean wall time of the points finished in this session, times the points left,
 * divided by the number of workers. Caveats: wall-clock text, so not part of any result file.
 */
public final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final int total;
    private final int jobs;
    private final long startNanos = System.nanoTime();
    private int done;
    private int ranHere;
    private int failed;
    private double secondsHere;

    /**
     * @param terminal     redraw a bar in place (a console) instead of printing lines
     * @param alreadyDone  points finished by an earlier attempt of this sweep
     */
    public Progress(PrintWriter out, boolean terminal, int total, int alreadyDone, int jobs) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
        this.done = alreadyDone;
        this.jobs = Math.max(1, jobs);
    }

    /** Makes the progress of a session once the number of finished points is known. */
    @FunctionalInterface
    public interface Factory {
        Progress create(int total, int alreadyDone, int jobs);
    }

    /** Prints the opening line. */
    public synchronized void start(String name) {
        int left = total - done;
        out.println("sweep " + name + ": " + total + " points, " + done + " already finished, " + left + " to run on " + jobs
                + (jobs == 1 ? " worker" : " workers"));
        out.flush();
        if (terminal) {
            draw();
        }
    }

    /** Records one finished point. */
    public synchronized void finished(PointRecord r, String params, double seconds) {
        done++;
        ranHere++;
        secondsHere += seconds;
        if (!r.status().equals(PointRecord.OK)) {
            failed++;
        }
        if (terminal) {
            if (!r.status().equals(PointRecord.OK)) {
                out.print("\r\033[K");
                out.println("point " + r.id() + " " + r.status() + ": " + r.error());
            }
            draw();
        } else {
            out.println(String.format(Locale.ROOT, "sweep: %d/%d %s %s (%s) %.1f s%s", done, total, r.id(), r.status(), params, seconds,
                    done < total ? ", ETA " + eta() : "")
                    + (r.error() == null ? "" : ": " + r.error()));
        }
        out.flush();
    }

    /** Ends the bar with a newline. */
    public synchronized void end() {
        if (terminal) {
            draw();
            out.println();
        }
        double wall = (System.nanoTime() - startNanos) / 1e9;
        out.println(String.format(Locale.ROOT, "sweep: %d of %d points finished, %d failed, %.1f s", done, total, failed, wall));
        out.flush();
    }

    private void draw() {
        int width = 24;
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        StringBuilder sb = new StringBuilder("\r[");
        for (int i = 0; i < width; i++) {
            sb.append(i < filled ? '#' : '.');
        }
        sb.append(String.format(Locale.ROOT, "] %d/%d %3d%%", done, total, total == 0 ? 100 : done * 100 / total));
        if (failed > 0) {
            sb.append("  ").append(failed).append(" failed");
        }
        if (done < total) {
            sb.append("  ETA ").append(eta());
        }
        sb.append("\033[K");
        out.print(sb);
        out.flush();
    }

    /** @return the estimated time left, or "?" before the first point of this session finishes */
    String eta() {
        if (ranHere == 0) {
            return "?";
        }
        double s = secondsHere / ranHere * (total - done) / jobs;
        long sec = Math.round(s);
        if (sec < 60) {
            return sec + "s";
        }
        if (sec < 3600) {
            return (sec / 60) + "m " + (sec % 60) + "s";
        }
        return (sec / 3600) + "h " + (sec % 3600 / 60) + "m";
    }
}
