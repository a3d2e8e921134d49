package io.dojosim.pod.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.bind.SpecBinder;
import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import org.junit.jupiter.api.Test;

/**
 * {@code --cross-check}: the network check applies one neighbour transfer's mesh / flow ratio to
 * communication, the compute check moves compute and step time together, the collective check times the step's largest
 * collective alone at both fidelities as {@code dojosim collective} does; the band of each figure is the sum of the checks' differences; a model already at
 * its finest fidelity is not checked.
 */
class CrossCheckTest {
    static ResolvedConfig config(String... sets) {
        ResolvedConfig c = new ParamCatalog(io.dojosim.pod.catalog.ModelCatalog.params()).defaults();
        for (String s : sets) {
            int eq = s.indexOf('=');
            c = c.with(s.substring(0, eq), s.substring(eq + 1), "test");
        }
        return c;
    }

    static Workload resnet(long batch) {
        return Generators.generate("resnet50", GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(batch));
    }

    static double transfer(ResolvedConfig c, boolean region) {
        io.dojosim.pod.spec.SystemSpec spec = SpecBinder.bind(c);
        io.dojosim.core.engine.Simulator sim = new io.dojosim.core.engine.Simulator(1);
        io.dojosim.pod.FlowNetwork flow = new io.dojosim.pod.FlowNetwork(sim, io.dojosim.pod.Machine.build(spec).topology());
        long[] at = {0};
        io.dojosim.pod.TransferListener l = (now, tag) -> at[0] = now;
        long src = io.dojosim.pod.Endpoint.chip(0);
        long dst = io.dojosim.pod.Endpoint.chip(1);
        if (region) new io.dojosim.pod.RegionTransport(flow, spec).send(src, dst, CrossCheck.SAMPLE_BYTES, l, 0);
        else flow.send(src, dst, CrossCheck.SAMPLE_BYTES, l, 0);
        sim.run();
        return at[0] / 1e12;
    }

    @Test
    void bandsAreTheSumOfTheFinerRunsDifferences() {
        ResolvedConfig c = config("pod.system.scope=tile", "run.mapping.replicaChips=5");
        Workload w = resnet(2);
        io.dojosim.pod.step.StepSummary s = StepRunner.run(SpecBinder.bind(c), w, StepExecutor.TimelineSink.NONE).summary();
        CrossCheck.Result r = CrossCheck.run(io.dojosim.pod.bind.CrossCheckBinding.bind(c), w, s, null);
        assertEquals(3, r.checks().size());
        CrossCheck.Check compute = r.checks().get(0);
        CrossCheck.Check network = r.checks().get(1);
        CrossCheck.Check collective = r.checks().get(2);
        assertEquals("compute", compute.model());
        assertEquals("network", network.model());
        // the network check: one 4 MiB transfer chip 0 -> chip 1 on the tile's packet meshes
        // against the flow model, its ratio applied to communication
        double flow = transfer(c, false);
        double mesh = transfer(c.with("pod.coarse.chipFidelity", "packet", "test").with("pod.coarse.roiScope", "tile", "test"), true);
        double ratio = mesh / flow;
        assertTrue(ratio >= 1.0 && ratio <= 1.05, "neighbour transfer mesh / flow = " + ratio); // docs/validation.md: 1.022
        assertEquals(s.communicationSeconds() * ratio, network.figures().get("communicationSeconds"), 1e-18);
        assertEquals(s.stepTimeSeconds() + (ratio - 1) * s.exposedCommunicationSeconds(),
                network.figures().get("stepTimeSeconds"), 1e-18);
        assertEquals(s.computeSeconds(), network.figures().get("computeSeconds"));
        // compute check: compute and step time move by the same amount, communication not at all
        double dc = compute.figures().get("computeSeconds") - s.computeSeconds();
        double ds = compute.figures().get("stepTimeSeconds") - s.stepTimeSeconds();
        assertEquals(dc, ds, 1e-15);
        assertEquals(s.communicationSeconds(), compute.figures().get("communicationSeconds"));
        for (CrossCheck.Figure f : r.figures()) {
            double band = Math.abs(compute.figures().get(f.key()) - f.value()) + Math.abs(network.figures().get(f.key()) - f.value())
                    + Math.abs(collective.figures().get(f.key()) - f.value());
            assertEquals(band, f.band(), 1e-12 * Math.max(1, Math.abs(f.value())), f.key());
        }
        assertTrue(r.figures().stream().anyMatch(f -> f.key().equals("stepTimeSeconds")));
    }

    @Test
    void modelsAlreadyAtTheirFinestFidelityAreNotChecked() {
        ResolvedConfig c = config("pod.system.scope=tile", "run.mapping.replicaChips=5", "run.computeFidelity=cycle",
                "pod.coarse.chipFidelity=packet");
        Workload w = resnet(2);
        io.dojosim.pod.step.StepSummary s = StepRunner.run(SpecBinder.bind(c), w, StepExecutor.TimelineSink.NONE).summary();
        CrossCheck.Result r = CrossCheck.run(io.dojosim.pod.bind.CrossCheckBinding.bind(c), w, s, null);
        assertEquals(0, r.checks().size());
        assertEquals(3, r.skipped().size());
        assertEquals(0.0, r.figures().get(0).band());
    }

    @Test
    void collectiveCheckTimesTheStepsLargestCollectiveAsDojosimCollectiveDoesAtBothFidelities() {
        // one replica of 25 chips on a tile: the largest collective is a 28.86 MiB gradient bucket's all-reduce,
        // which the step runs as a reduce-scatter over the tile's 25 chips (one replica: nothing across replicas);
        // the check times it at 4 MiB per member, alone, on the flow model and with chip 0 on a packet mesh
        ResolvedConfig c = config("pod.system.scope=tile", "run.mapping.replicaChips=25");
        Workload w = resnet(2);
        io.dojosim.pod.step.StepSummary s = StepRunner.run(SpecBinder.bind(c), w, StepExecutor.TimelineSink.NONE).summary();
        CrossCheck.Result r = CrossCheck.run(io.dojosim.pod.bind.CrossCheckBinding.bind(c), w, s, null);
        CrossCheck.Check k = r.checks().get(2);
        assertEquals("collective", k.model());
        assertTrue(k.sample().what().startsWith("all_reduce 'gradient bucket of 9"), k.sample().what());
        assertTrue(k.sample().what().contains("4.000 MiB per member of its 28.86 MiB"), k.sample().what());
        // the same collective as `dojosim collective --op reducescatter --bytes 4MiB --scope tile [--set pod.coarse.chipFidelity=packet]`
        io.dojosim.pod.scenario.CollectiveScenario.Request q = new io.dojosim.pod.scenario.CollectiveScenario.Request(
                io.dojosim.pod.collective.CollectivePrimitive.REDUCESCATTER, null, "tile", false, null, null, CrossCheck.COLLECTIVE_MAX_BYTES);
        double flow = io.dojosim.pod.scenario.CollectiveScenario.run(SpecBinder.bind(c), q, io.dojosim.core.engine.Workers.single())
                .collective().timeSeconds();
        double mesh = io.dojosim.pod.scenario.CollectiveScenario.run(SpecBinder.bind(c.with("pod.coarse.chipFidelity", "packet", "test")), q,
                io.dojosim.core.engine.Workers.single()).collective().timeSeconds();
        assertEquals(flow, k.sample().coarseSeconds(), 0.0);
        assertEquals(mesh, k.sample().fineSeconds(), 0.0);
        assertEquals(6.147288e-6, flow, 1e-12); // dojosim collective, 2026-12-07 (after ADR 0106): 0.006147 ms flow
        assertEquals(6.282e-6, mesh, 1e-12); // 0.006282 ms with chip 0 on a packet mesh (0.006416 with 2 KiB boundary chunks, before ADR 0118)
        double ratio = mesh / flow;
        assertEquals(ratio, k.sample().ratio(), 0.0);
        assertTrue(k.to().contains(String.format(java.util.Locale.ROOT, "%.4f us flow, %.4f us with the mesh, x %.4f", flow * 1e6, mesh * 1e6, ratio)), k.to());
        // folded into communication as the network check's ratio is
        assertEquals(s.communicationSeconds() * ratio, k.figures().get("communicationSeconds"), 1e-18);
        assertEquals(s.stepTimeSeconds() + (ratio - 1) * s.exposedCommunicationSeconds(), k.figures().get("stepTimeSeconds"), 1e-18);
        // and into the bands: each figure's band is the sum over the three checks
        for (CrossCheck.Figure f : r.figures()) {
            double band = 0;
            for (CrossCheck.Check x : r.checks()) band += Math.abs(x.figures().get(f.key()) - f.value());
            assertEquals(band, f.band(), 1e-12 * Math.max(1, Math.abs(f.value())), f.key());
        }
    }
}
