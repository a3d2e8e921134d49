package io.dojosim.noc.traffic;

import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import java.util.Locale;

/**
 * Runs every row of the BookSim2 reference with the same settings and prints both side by side.
 * Run: see docs/validation.md (Network-on-chip).
 */
public final class BooksimSweep {
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        String filter = args.length > 1 ? args[1] : "";
        System.out.println("run_id,ref_status,ours_saturated,ref_lat,ours_lat,lat_err_pct,ref_acc,ours_acc,acc_err_pct,ref_hops,ours_hops,ours_periods,ours_cycles,wall_s");
        for (BooksimReference b : BooksimReference.load()) {
            if (!b.runId().contains(filter)) continue;
            NocParams p = NocParams.booksim().withVcs(b.vcs()).withPacketFlits(b.packetFlits()).withBufferFlits(b.bufferFlits())
                    .withMeasure(NocParams.Measurement.booksim().withThroughputMode(b.throughput()));
            MeshShape m = MeshShape.full(b.k(), b.k());
            ExperimentResult r = new SyntheticExperiment(m, p, TrafficPattern.parse("uniform", m), seed).run(b.rate());
            System.out.println(String.format(Locale.ROOT, "%s,%s,%s,%.2f,%.2f,%.1f,%.4f,%.4f,%.1f,%.3f,%.3f,%d,%d,%.2f",
                    b.runId(), b.stable() ? "stable" : "unstable", r.saturated(), b.packetLatency(), r.avgPacketLatencyCycles(),
                    100 * (r.avgPacketLatencyCycles() / b.packetLatency() - 1), b.accepted(), r.acceptedFlitsPerNodePerCycle(),
                    100 * (r.acceptedFlitsPerNodePerCycle() / b.accepted() - 1), b.hops(), r.avgHops(), r.samplePeriods(),
                    r.simulatedCycles(), r.wallSeconds()));
        }
    }
}
