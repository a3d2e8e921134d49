package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The plan search on a small machine: its choice against an exhaustive simulated search of the
 * same grid, the global batch rules, rejections and determinism.
 */
class PlanSearchTest {
    /** A 2 x 2-chip tile with DIPs on its edges: a grid small enough to simulate whole. */
    private static final String[] SMALL = {"pod.system.scope=tile", "pod.tile.chipsX=2", "pod.tile.chipsY=2", "pod.dip.perTileEdge=2"};

    private static ResolvedConfig small(String... more) {
        String[] all = new String[SMALL.length + more.length];
        System.arraycopy(SMALL, 0, all, 0, SMALL.length);
        System.arraycopy(more, 0, all, SMALL.length, more.length);
        return StepRunnerTest.config(all);
    }

    private static LongFunction<Workload> gen(String name) {
        return b -> Generators.generate(name, GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(b));
    }

    @Test
    void choiceIsWithinThreePercentOfTheExhaustiveSimulatedBest() {
        // the documented small grid (docs/validation.md, plan search): each workload at a global batch of 16 on a
        // 2 x 2-chip tile, tensor-parallel degrees up to 4 and interleaving included (gpt3-125m stands for the GPTs:
        // 175b fits no tile)
        for (String wl : new String[] {"resnet50", "gpt3-125m", "bert-large", "vision-bev"}) {
            long t0 = System.nanoTime();
            PlanSearch.Result chosen = PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(small("run.globalBatch=16")), gen(wl), 16, "test", Workers.single());
            PlanSearch.Result all = PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(small("run.globalBatch=16", "run.plan.simulate=64", "run.plan.simulateWithin=0")), gen(wl), 16, "test", Workers.single());
            assertEquals(all.estimated(), all.simulated(), wl + ": the exhaustive search simulates every feasible candidate");
            double best = all.chosen().simulatedSeconds();
            for (PlanSearch.Outcome o : all.outcomes()) {
                if (Double.isFinite(o.simulatedSeconds())) assertTrue(o.simulatedSeconds() >= best, wl + ": the chosen plan is the fastest simulated");
            }
            assertTrue(chosen.chosen().simulatedSeconds() <= best * 1.03, wl + ": " + chosen.chosen().candidate().label() + " at "
                    + chosen.chosen().simulatedSeconds() + " s against the exhaustive best " + all.chosen().candidate().label() + " at " + best + " s");
            // every simulated candidate carries its estimate's error
            assertTrue(all.estimateErrorMax() >= all.estimateErrorMean() && all.estimateErrorMean() >= 0);
            System.out.printf(java.util.Locale.ROOT, "small grid %s: chosen %s %.6g s, exhaustive best %s %.6g s (%d simulated), ratio %.4f, %.1f s%n",
                    wl, chosen.chosen().candidate().label(), chosen.chosen().simulatedSeconds(), all.chosen().candidate().label(), best,
                    all.simulated(), best / chosen.chosen().simulatedSeconds(), (System.nanoTime() - t0) / 1e9);
        }
    }

    @Test
    void onTheTrainingTileTheChoiceIsWithinThreePercentOfTheShapesTheEstimateMisjudged() {
        // docs/validation.md, plan search (ADR 0105): on the 25-chip training tile at the weak global batch, the
        // whole space's best plans by a simulation whose shares are all measured (calibration.tsv), which the search
        // missed before (bert-large chose 5 x 5 chips, 33.356 ms, against 30.524 ms: 0.915), and the resnet50 shapes
        // that looked 18 % faster only because their shares were timed at the roofline (cycle: 4.764 ms and 5.747 ms)
        String[][] cases = {
                {"resnet50", "273", "25/5/20/280/1", "4/4/23/46/1"},
                {"bert-large", "102", "8/4/34/34/2", "5/1/1/21/1"},
        };
        for (String[] cs : cases) {
            String wl = cs[0];
            long g = Long.parseLong(cs[1]);
            io.dojosim.pod.spec.SystemSpec spec = io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config("pod.system.scope=tile",
                    "run.globalBatch=" + g));
            PlanSearch.Result r = PlanSearch.search(spec, gen(wl), g, "test", Workers.single());
            double best = Double.POSITIVE_INFINITY;
            String bestLabel = "";
            for (int i = 2; i < cs.length; i++) {
                String[] f = cs[i].split("/");
                int chips = Integer.parseInt(f[0]);
                int stages = Integer.parseInt(f[1]);
                int tp = Integer.parseInt(f[4]);
                PlanSearch.Candidate c = new PlanSearch.Candidate(chips, stages, Integer.parseInt(f[2]), 25 / chips,
                        Long.parseLong(f[3]), tp);
                StepRunner.Report rep = StepRunner.run(PlanSearch.fix(spec, c), gen(wl).apply(c.replicaBatch()), StepExecutor.TimelineSink.NONE,
                        Workers.single());
                StepSummary.Calibration cal = rep.summary().computeModel().calibration();
                assertEquals(0L, cal.sharesScaledFromNearest() + cal.sharesAtRoofline(), wl + " " + c.label() + ": every share measured: " + cal);
                if (rep.summary().stepTimeSeconds() < best) {
                    best = rep.summary().stepTimeSeconds();
                    bestLabel = c.label();
                }
            }
            assertTrue(r.chosen().simulatedSeconds() <= best * 1.03, wl + ": chose " + r.chosen().candidate().label() + " at "
                    + r.chosen().simulatedSeconds() + " s against " + bestLabel + " at " + best + " s");
        }
    }

    @Test
    void everyPlanProcessesTheGlobalBatch() {
        PlanSearch.Result r = PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(small("run.globalBatch=10")), gen("resnet50"), 10, "test", Workers.single());
        for (PlanSearch.Outcome o : r.outcomes()) {
            PlanSearch.Candidate c = o.candidate();
            if (o.status().equals("rejected")) continue;
            // D replicas of b samples cover G = 10 with less than one micro-batch per replica of padding
            assertTrue((long) c.dataParallel() * c.replicaBatch() >= 10, c.label());
            assertTrue((long) c.dataParallel() * (c.replicaBatch() - c.microBatches()) < 10, c.label());
            assertEquals(0, c.replicaBatch() % c.microBatches(), c.label());
        }
        // 4 one-chip replicas of ceil(10 / 4) = 3 samples
        assertTrue(r.outcomes().stream().anyMatch(o -> o.candidate().replicaChips() == 1 && o.candidate().pipelineStages() == 1
                && o.candidate().dataParallel() == 4 && o.candidate().replicaBatch() == 3));
    }

    @Test
    void fewerThanOneSamplePerReplicaIsRejectedWithItsReason() {
        PlanSearch.Result r = PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(small("run.globalBatch=2")), gen("resnet50"), 2, "test", Workers.single());
        PlanSearch.Outcome one = r.outcomes().stream().filter(o -> o.candidate().replicaChips() == 1 && o.candidate().pipelineStages() == 1)
                .findFirst().orElseThrow();
        assertEquals("rejected", one.status());
        assertTrue(one.why().contains("fewer than one sample per replica"), one.why());
        assertFalse(r.chosen().candidate().dataParallel() > 2);
    }

    @Test
    void weakScalingScalesTheReferenceBatchByAliveChips() {
        assertEquals(273, PlanSearch.globalBatch(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config("run.batchScaling=weak")), 32_768, 25));
        assertEquals(32_768, PlanSearch.globalBatch(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config("run.batchScaling=weak")), 32_768, 3000));
        assertEquals(32_768, PlanSearch.globalBatch(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config()), 32_768, 25));
        assertEquals(99, PlanSearch.globalBatch(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config("run.globalBatch=99", "run.batchScaling=weak")), 32_768, 25));
    }

    @Test
    void theSearchIsDeterministicAndRecordsItsChoiceInTheSummary() {
        PlanSearch.Result a = PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(small("run.globalBatch=8")), gen("resnet50"), 8, "test", Workers.single());
        PlanSearch.Result b = PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(small("run.globalBatch=8")), gen("resnet50"), 8, "test", Workers.single());
        assertEquals(a.outcomes(), b.outcomes());
        StepSummary s = PlanSearch.annotate(a.chosenReport().summary(), a, 5);
        PlanSearch.Summary search = s.plan().search();
        assertEquals(8L, search.globalBatch());
        assertEquals(8L, s.workload().globalBatch().samples());
        assertEquals(a.chosen().why(), s.plan().reason());
        assertEquals(a.simulated(), search.simulated());
        assertEquals(8.0 / s.stepTimeSeconds(), s.samplesPerSecond(), 1e-6);
    }

    @Test
    void aGlobalBatchNoPlanCanHoldExitsWithTheClosestCandidates() {
        // gpt3-175b on four chips: no candidate's footprint fits their SRAM and HBM
        ConfigException e = assertThrows(ConfigException.class,
                () -> PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(small("run.globalBatch=8")), gen("gpt3-175b"), 8, "test", Workers.single()));
        assertTrue(e.getMessage().contains("no plan of workload 'gpt3-175b' at global batch 8") && e.getMessage().contains("allowed:"), e.getMessage());
    }

    @Test
    void theCycleLevelChipTilesWhatDoesNotFitSoTheBestEstimateIsSimulated() {
        // before ADR 0088 the cycle-level chip refused programs larger than a node's SRAM (6 or more
        // samples per chip here: the first convolution's panels) and the search rejected such
        // candidates; now they are tiled, so the best estimate is the one simulated
        ResolvedConfig two = StepRunnerTest.config("pod.system.scope=tile", "pod.tile.chipsX=2", "pod.tile.chipsY=1", "pod.dip.perTileEdge=1",
                "run.globalBatch=24", "run.computeFidelity=cycle", "run.plan.simulate=1");
        PlanSearch.Result r = PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(two), gen("resnet50"), 24, "test", Workers.single());
        assertEquals(0, r.outcomes().stream().filter(o -> o.why().startsWith("the simulation refused it: ")).count(), r.outcomes().toString());
        // since ADR 0105 (HBM streaming in the estimate) the best estimate is a 2-stage plan of 4-sample
        // micro-batches, which fits; shares larger than SRAM are tiled by the cycle-level chip (TiledChipGemmTest)
        assertTrue(r.outcomes().stream().anyMatch(o -> Double.isFinite(o.estimateSeconds())
                && o.candidate().replicaBatch() / o.candidate().microBatches() * o.candidate().pipelineStages() / o.candidate().replicaChips() >= 6),
                "candidates of 6 or more samples per chip are estimated, not refused");
        assertEquals(r.outcomes().get(0), r.chosen());
        assertTrue(Double.isFinite(r.chosen().simulatedSeconds()));
        assertEquals(1, r.simulated());
        assertEquals(r.outcomes().size(), r.estimated() + r.rejected());
    }

    @Test
    void aConfigThatFixesThePlanSkipsTheSearch() {
        assertTrue(PlanSearch.applies(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config())));
        assertFalse(PlanSearch.applies(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config("run.mapping.replicaChips=5"))));
        assertFalse(PlanSearch.applies(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config("run.batchPerReplica=8"))));
        assertFalse(PlanSearch.applies(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config("run.plan.search=off"))));
    }
}
