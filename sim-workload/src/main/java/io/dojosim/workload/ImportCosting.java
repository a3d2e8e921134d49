package io.dojosim.workload;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a trace importer decided about the time of a trace's compute: how many device operations
 * the Dojo model re-costs from their shapes, how many replay their recorded duration, and how much
 * of the recorded device time the replayed ones stand for. Host (CPU) operations are counted apart.
 * Carried in {@link WorkloadMetadata#properties()} under {@code trace.*} keys, so that it survives
 * every representation of a workload.
 *
 * @param recosted device compute operations timed by the Dojo model (shape, FLOPs or bytes)
 * @param replayed device compute operations that replay their recorded duration
 * @param host host (CPU) operations, replayed on the host stream
 * @param recordedDevicePs recorded duration of all device compute nodes (re-costed ones and the
 *     kernels they cover included), before scaling
 * @param replayedDevicePs recorded duration of the replayed device operations, before scaling
 * @param replayScale factor applied to every replayed duration
 */
public record ImportCosting(long recosted, long replayed, long host, long recordedDevicePs, long replayedDevicePs,
                            double replayScale) {
    private static final String P = "trace.";

    /** @return the share of the recorded device time that is replayed, 0 when nothing was recorded */
    public double replayedShare() {
        return recordedDevicePs == 0 ? 0.0 : (double) replayedDevicePs / recordedDevicePs;
    }

    /** @return "N operations re-costed, M replayed (x % of recorded time)" */
    public String line() {
        String share = recordedDevicePs == 0 ? "no recorded time"
                : String.format(Locale.ROOT, "%.1f %% of recorded time", 100 * replayedShare());
        String scale = replayScale == 1.0 ? "" : String.format(Locale.ROOT, ", scaled by %s", replayScale);
        return String.format(Locale.ROOT, "%,d operations re-costed, %,d replayed (%s%s); %,d host operations",
                recosted, replayed, share, scale, host);
    }

    /** Adds the figures to a property map. */
    public void putInto(Map<String, String> props) {
        props.put(P + "recosted", Long.toString(recosted));
        props.put(P + "replayed", Long.toString(replayed));
        props.put(P + "hostOps", Long.toString(host));
        props.put(P + "recordedDevicePs", Long.toString(recordedDevicePs));
        props.put(P + "replayedDevicePs", Long.toString(replayedDevicePs));
        props.put(P + "replayScale", Double.toString(replayScale));
    }

    /** @return the figures a trace importer stored, or null for a workload that is not an imported trace */
    public static ImportCosting of(WorkloadMetadata md) {
        Map<String, String> p = md.properties();
        if (!p.containsKey(P + "recosted")) {
            return null;
        }
        return new ImportCosting(Long.parseLong(p.get(P + "recosted")), Long.parseLong(p.get(P + "replayed")),
                Long.parseLong(p.get(P + "hostOps")), Long.parseLong(p.get(P + "recordedDevicePs")),
                Long.parseLong(p.get(P + "replayedDevicePs")), Double.parseDouble(p.get(P + "replayScale")));
    }

    /** @return a mutable property map holding these figures */
    public Map<String, String> toProperties() {
        Map<String, String> m = new TreeMap<>();
        putInto(m);
        return m;
    }
}
