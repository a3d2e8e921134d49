package io.dojosim.pod.energy;

import io.dojosim.pod.spec.PodEnergy;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.energy.D1Energy;
import io.dojosim.pod.LevelUtilization;
import io.dojosim.pod.LinkKind;
import io.dojosim.pod.PodConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code energy} block of summary.json: binds the energy parameters once, turns a finished
 * run's totals (its utilizations, the bytes each link level carried, the machine's size) into an
 * {@link EnergyModel.Activity}, and renders the {@link EnergyModel.Breakdown} with samples per
 * joule and performance per watt.
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
     * @param util       the summary's {@code utilization} map (node pipes as fractions of every alive node's time)
     * @param levels     the flow network's per-level bytes over the whole run
     * @param steps      steps the run simulated
     * @param dataParallel data-parallel replicas (HBM bytes are scaled by it)
     */
    public static EnergyModel.Breakdown breakdown(Params p, PodConfig pc, int aliveChips, int tiles, int tilesPerTray, int usableDips,
                                                  double stepSeconds, Map<String, Object> util, LevelUtilization[] levels, int steps,
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
                number(util, "nodeMatrixPipe") * nodeSeconds, number(util, "nodeSimdPipe") * nodeSeconds, number(util, "nodeSram") * nodeSeconds,
                bytes, (pc.meshWidth() + pc.meshHeight()) / 4.0, dtype, p.node().clockHz());
        return EnergyModel.of(a, p.node(), p.die(), p.pod());
    }

    /** @return the summary's {@code energy} block for a step of this breakdown */
    public static Map<String, Object> block(EnergyModel.Breakdown b, double stepSeconds, long samplesPerStep, double flopsPerStep,
                                            long clockHz) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("joulesPerStep", b.joules());
        Map<String, Object> watts = new LinkedHashMap<>();
        watts.put("system", b.systemWatts());
        watts.put("perTile", b.tileWatts());
        watts.put("perChip", b.chipWatts());
        watts.put("chipFullRateMatrix", b.chipFullRateWatts());
        watts.put("tileDiesDynamic", b.tileDieDynamicWatts());
        watts.put("tileDiesStatic", b.tileDieStaticWatts());
        e.put("averageWatts", watts);
        e.put("byLevel", new LinkedHashMap<String, Object>(b.byLevel()));
        e.put("byClass", new LinkedHashMap<String, Object>(b.byClass()));
        e.put("staticWattsByLevel", new LinkedHashMap<String, Object>(b.staticWattsByLevel()));
        e.put("clockHz", clockHz);
        e.put("volts", b.volts());
        finish(e, samplesPerStep, flopsPerStep);
        return e;
    }

    /**
     * Sets (or resets) {@code samplesPerJoule} and {@code gflopsPerWatt} of an energy block from the
     * samples and FLOPs of a step, for callers that restate them (a global batch with padding).
     */
    public static void finish(Map<String, Object> energy, long samplesPerStep, double flopsPerStep) {
        double j = ((Number) energy.get("joulesPerStep")).doubleValue();
        energy.put("samplesPerJoule", j > 0 ? samplesPerStep / j : 0.0);
        // FLOP per joule = (FLOP/s) per W; in GFLOPS per watt
        energy.put("gflopsPerWatt", j > 0 ? flopsPerStep / j / 1e9 : 0.0);
    }

    private static double number(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Number n ? n.doubleValue() : 0.0;
    }
}
