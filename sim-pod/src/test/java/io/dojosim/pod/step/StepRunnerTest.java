package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.CoreParams;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.D1Params;
import io.dojosim.noc.NocParams;
import io.dojosim.pod.PodParams;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole training steps on small systems: plausibility bounds, determinism and conservation of FLOPs. */
class StepRunnerTest {
    static ResolvedConfig config(String... sets) {
        List<ParamGroup> g = new ArrayList<>();
        g.add(CoreParams.GROUP);
        g.add(NocParams.GROUP);
        g.add(D1Params.NODE);
        g.add(D1Params.CHIP);
        g.addAll(PodParams.ALL);
        g.add(StepParams.GROUP);
        ResolvedConfig c = new ParamCatalog(g).defaults();
        for (String s : sets) {
            int eq = s.indexOf('=');
            c = c.with(s.substring(0, eq), s.substring(eq + 1), "test");
        }
        return c;
    }

    static Workload resnet(long batch) {
        return Generators.generate("resnet50", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(batch));
    }

    @Test
    void resnetOnOneTileIsPlausibleAndConservesFlops() {
        ResolvedConfig c = config("pod.system.scope=tile");
        Workload w = resnet(8);
        StepRunner.Report r = StepRunner.run(c, w, StepExecutor.TimelineSink.NONE);
        Map<String, Object> s = r.summary();
        double step = (Double) s.get("stepTimeSeconds");
        double mfu = (Double) s.get("mfu");
        assertTrue(step > 0 && mfu > 0 && mfu < 1, "step " + step + " s, MFU " + mfu);
        // modeled FLOPs = the workload's FLOPs per replica x replicas
        long replicaFlops = 0;
        for (io.dojosim.workload.Operation op : w.primary().ops()) {
            replicaFlops += op.flops();
        }
        int dp = r.plan().dataParallel();
        assertEquals((double) replicaFlops * dp, (Double) s.get("modeledFlops"), 1.0);
        assertEquals(25, dp * r.plan().replicaChips() + r.plan().idleChips());
        // the step cannot be shorter than its FLOPs at the tile's peak: 25 x 354 x 1.024 TFLOPS
        double peak = 25 * 354 * 1.024e12;
        assertEquals(peak / 1e12, (Double) s.get("peakTflops"), 1e-6);
        assertTrue(step >= (Double) s.get("modeledFlops") / peak);
        // exposed communication is part of the step; compute is too
        assertTrue((Double) s.get("exposedCommunicationSeconds") <= step + 1e-15);
        assertTrue((Double) s.get("computeSeconds") <= step + 1e-15);
    }

    @Test
    void sameConfigAndSeedGiveIdenticalResults() {
        ResolvedConfig c = config("pod.system.scope=tile", "run.mapping.replicaChips=5");
        StepRunner.Report a = StepRunner.run(c, resnet(4), StepExecutor.TimelineSink.NONE);
        StepRunner.Report b = StepRunner.run(c, resnet(4), StepExecutor.TimelineSink.NONE);
        assertEquals(a.summary(), b.summary());
        assertEquals(a.stats().toString(), b.stats().toString());
        assertEquals(5, a.plan().dataParallel());
    }

    @Test
    void fasterClockShortensAComputeBoundStep() {
        // one replica per chip: no tensor exchange; 2.5 GHz instead of 2 GHz cuts compute time by up to 20 %
        ResolvedConfig base = config("pod.system.scope=tile", "run.mapping.replicaChips=1");
        ResolvedConfig fast = config("pod.system.scope=tile", "run.mapping.replicaChips=1", "d1.node.clockHz=2500000000");
        double c2 = (Double) StepRunner.run(base, resnet(2), StepExecutor.TimelineSink.NONE).summary().get("computeSeconds");
        double c25 = (Double) StepRunner.run(fast, resnet(2), StepExecutor.TimelineSink.NONE).summary().get("computeSeconds");
        assertEquals(0.8, c25 / c2, 0.01, "compute time scales with the clock period (500 ps -> 400 ps)");
    }
}
