package io.dojosim.pod.energy;

import io.dojosim.pod.spec.PodEnergy;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.energy.D1Energy;
import io.dojosim.pod.LevelUtilization;
import io.dojosim.pod.LinkKind;
import io.dojosim.pod.PodConfig;

/**
 * The {@code energy} block of summary.json: binds the energy parameters once, turns a finished
 * run's totals (its utilizations, the bytes each link level carried, the machine's size) into an
 * {@link EnergyModel.Activity}; {@link EnergyBlock} renders the {@link EnergyModel.Breakdown} with
 * samples per joule and performance per watt.
 *
 * <p>Caveats: replicas are folded (docs/model/step.md): HBM streaming is simulated for the
 * representative replica only, so HBM bytes (and the DIP-link bytes that carry them) are scaled by
 * the data-parallel degree; other replica-local traffic (tensor-parallel exchanges on the mesh
 * and die-to-die links) is counted as simulated, for replica 0 only.
 */
public final class StepEnergy {
    /** The parameters of a run, bound once. */
    public record Params(NodeParams node, D1Energy die, PodEnergy pod) {
        public static Params from(io.dojosim.pod.spec.SystemSpec s) {
            return new Params(s.node(), s.d1Energy(), s.energy());
        }
    }

    private StepEnergy() {
    }

    /**
     * @param matrixBusy node matrix pipes' busy fraction of every alive node's time
     * @param simdBusy   node SIMD pipes' busy fraction of every alive node's time
     * @param sramBusy   node SRAM ports' busy fraction of every alive node's time
     * @param levels     the flow network's per-level bytes over the whole run
     * @param steps      steps the run simulated
     * @param dataParallel data-parallel replicas (HBM bytes are scaled by it)
     */
    public static EnergyModel.Breakdown breakdown(Params p, PodConfig pc, int aliveChips, int tiles, int tilesPerTray, int usableDips,
                                                  double stepSeconds, double matrixBusy, double simdBusy, double sramBusy, LevelUtilization[] levels, int steps,
                                                  int dataParallel, DType dtype) {
        double nodeSeconds = (double) aliveChips * pc.nodesPerChip() * stepSeconds;
        double[] bytes = new double[LinkKind.all().length];
        for (LevelUtilization u : levels) {
            bytes[u.kind().ordinal()] += u.bytes() / steps;
        }
        double hbmExtra = bytes[LinkKind.HBM.ordinal()] * (dataParallel - 1);
        bytes[LinkKind.HBM.ordinal()] += hbmExtra;
        bytes[LinkKind.DIP_LINK.ordinal()] += hbmExtra;
        EnergyModel.Activity a = new EnergyModel.Activity(aliveChips, pc.nodesPerChip(), tiles, tilesPerTray, usableDips, stepSeconds,
                matrixBusy * nodeSeconds, simdBusy * nodeSeconds, sramBusy * nodeSeconds,
                bytes, (pc.meshWidth() + pc.meshHeight()) / 4.0, dtype, p.node().clockHz());
        return EnergyModel.of(a, p.node(), p.die(), p.pod());
    }
}
