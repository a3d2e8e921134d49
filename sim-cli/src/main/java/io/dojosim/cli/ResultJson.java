package io.dojosim.cli;

import io.dojosim.cli.files.RecordFields;
import io.dojosim.pod.LevelUtilization;
import io.dojosim.pod.MeshLinkUsage;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveResult;
import io.dojosim.d1.chip.ChipNotes;
import io.dojosim.d1.node.NodeSimulation;
import io.dojosim.noc.traffic.ExperimentResult;
import io.dojosim.pod.scenario.CollectiveScenario;
import io.dojosim.pod.scenario.KernelScenario;
import io.dojosim.pod.scenario.PlanScenario;
import io.dojosim.pod.energy.EnergyBlock;
import io.dojosim.pod.step.Heatmap;
import io.dojosim.pod.step.PlanSearch;
import io.dojosim.pod.step.StepSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one place the scenarios' typed results become the JSON the commands write: field names and
 * order are fixed here, and each document opens with its {@code schemaVersion}
 * (docs/results-format.md). The models return records; nothing below the command line builds a
 * map for output.
 */
final class ResultJson {
    /** Version of the {@code dojosim collective --json} document. */
    static final int COLLECTIVE_SCHEMA = 1;

    /** Version of the {@code dojosim kernel --json} document. */
    static final int KERNEL_SCHEMA = 1;

    /** Version of each row of the {@code dojosim noc --json} array. */
    static final int NOC_SCHEMA = 1;

    /** Version of the {@code dojosim plan --json} document. */
    static final int PLAN_SCHEMA = 1;

    /** Version of a run's {@code summary.json} (and {@code dojosim run --json}). */
    static final int STEP_SCHEMA = 1;

    private ResultJson() {
    }

    /** @return the collective's document, without {@code host} (the command adds the host's figures) */
    static Map<String, Object> collective(CollectiveScenario.Result r) {
        CollectiveResult cr = r.collective();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", COLLECTIVE_SCHEMA);
        m.put("op", cr.op().cliName());
        m.put("algorithm", r.algorithm().cliName());
        m.put("requestedAlgorithm", r.requested().cliName());
        if (!r.autoEstimates().isEmpty()) {
            Map<String, Object> e = new LinkedHashMap<>();
            CollectiveAlgorithm[] cand = CollectiveAlgorithm.concrete();
            for (int i = 0; i < cand.length; i++) e.put(cand[i].cliName(), r.autoEstimates().get(i));
            m.put("autoEstimatesSeconds", e);
        }
        RecordFields.put(m, r, "scope", "memberKind", "systemScope");
        m.put("fidelity", r.regionFidelity());
        RecordFields.put(m, r, "roiChip", "regionChips", "meshTransfers", "crossingTransfers", "flowTransfers", "meshMessages");
        m.put("members", cr.members());
        RecordFields.put(m, r, "bytes", "chunks", "pipelineDepth");
        RecordFields.put(m, cr, "timeSeconds", "algBandwidthGBps", "busBandwidthGBps", "alphaBetaBoundSeconds");
        m.put("timeOverBound", cr.ratioToBound());
        m.put("transfers", cr.transfers());
        List<Map<String, Object>> levels = new ArrayList<>();
        for (LevelUtilization u : r.levels()) {
            if (u.linksUsed() == 0) continue;
            levels.add(level(u.kind().name().toLowerCase(Locale.ROOT), u));
        }
        MeshLinkUsage mesh = r.mesh();
        if (mesh.links() > 0) {
            levels.add(level("region_mesh", mesh));
        }
        m.put("linkUtilization", levels);
        return m;
    }

    /** @return the kernel's document, without {@code host} (the command adds the host's figures) */
    static Map<String, Object> kernel(KernelScenario.Result r) {
        KernelScenario.Request q = r.request();
        boolean node = q.scope() == KernelScenario.Scope.NODE;
        boolean chipCycle = !node && q.fidelity() == NodeSimulation.Fidelity.CYCLE;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("schemaVersion", KERNEL_SCHEMA);
        o.put("kernel", q.kernel().key());
        o.put("scope", q.scope().key());
        o.put("dtype", q.dtype().key());
        o.put("fidelity", q.fidelity().name().toLowerCase(Locale.ROOT));
        if (q.kernel() == KernelScenario.Kernel.GEMM) {
            Map<String, Object> shape = RecordFields.of(q, "m", "n", "k");
            o.put("shape", shape);
        } else {
            o.put(q.kernel() == KernelScenario.Kernel.VECTOR ? "elements" : "bytesPerPair", q.m());
        }
        RecordFields.put(o, r, "cycles", "timeSeconds", "achievedTflops", "peakTflops", "fractionOfPeak", "utilization");
        if (node) {
            Map<String, Object> st = new LinkedHashMap<>();
            for (int th = 0; th < r.threadStallCycles().size(); th++) st.put("thread" + th, r.threadStallCycles().get(th));
            o.put("stallCycles", st);
            Map<String, Object> sram = new LinkedHashMap<>();
            sram.put("load", r.sramLoadBytes());
            sram.put("store", r.sramStoreBytes());
            o.put("sramBytes", sram);
        } else if (chipCycle) {
            o.put("stallCycles", r.stallCycles());
        }
        o.put("limiter", r.limiter());
        if (chipCycle) o.put("notes", chipNotes(r.notes()));
        return o;
    }

    /** @return the whole-system summary and every level of {@code dojosim info --json} (keys in a fixed order) */
    static Map<String, Object> machine(io.dojosim.pod.MachineInfo info) {
        io.dojosim.pod.MachineInfo.Level sys = info.level("system");
        io.dojosim.pod.Topology topo = info.topology();
        io.dojosim.pod.PodConfig p = topo.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scope", p.scope());
        RecordFields.put(m, sys, "nodes", "chips");
        m.put("tiles", topo.tiles());
        m.put("trays", topo.trays());
        m.put("dips", topo.dips());
        m.put("peakBf16Tflops", sys.peakBf16Flops() / 1e12);
        m.put("peakCfp8Tflops", sys.peakBf16Flops() / 1e12);
        m.put("peakFp16Tflops", sys.peakBf16Flops() / 1e12);
        m.put("peakFp32Tflops", sys.peakFp32Flops() / 1e12);
        RecordFields.put(m, sys, "sramBytes", "hbmBytes", "bisectionBytesPerSecond");
        m.put("offTileBytesPerSecond", info.offTileBytesPerSecond());
        m.put("tileMeshAcrossTrays", p.tileMeshAcrossTrays());
        m.put("deadChips", p.deadChips());
        List<Map<String, Object>> lv = new ArrayList<>();
        for (io.dojosim.pod.MachineInfo.Level l : info.levels()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("level", l.name());
            RecordFields.put(e, l, "units", "nodes", "chips");
            e.put("peakBf16Tflops", l.peakBf16Flops() / 1e12);
            e.put("peakFp32Tflops", l.peakFp32Flops() / 1e12);
            RecordFields.put(e, l, "sramBytes", "hbmBytes", "bisectionBytesPerSecond", "bisectionCut");
            lv.add(e);
        }
        m.put("levels", lv);
        List<Map<String, Object>> lk = new ArrayList<>();
        for (io.dojosim.pod.MachineInfo.LinkClass c : info.linkClasses()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("link", c.name());
            RecordFields.put(e, c, "bytesPerSecondPerDirection", "latencyPs", "note");
            lk.add(e);
        }
        m.put("links", lk);
        return m;
    }

    /** @return a defect map as a Monte Carlo sample and worst-defects.yaml write it */
    static Map<String, Object> defects(io.dojosim.pod.defect.DefectMap d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deadChips", d.deadChips());
        m.put("deadLinks", d.deadLinks());
        m.put("slowChips", new LinkedHashMap<String, Object>(d.slowChips()));
        m.put("maxSlowdown", d.maxSlowdown());
        if (!d.deadNodes().isEmpty()) m.put("deadNodes", new LinkedHashMap<String, Object>(d.deadNodes())); // absent when none
        return m;
    }

    /** @return a chip kernel's notes in the document's order (fields the kernel does not have left out) */
    static Map<String, Object> chipNotes(ChipNotes n) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (n.blocks() != null) {
            m.put("blocks", n.blocks());
            m.put("block", chipNotes(n.block()));
            return m;
        }
        ChipNotes.Grid g = n.grid();
        if (g != null) {
            m.put("grid", g.shape());
            RecordFields.put(m, g, "usedNodes", "steps", "panelK");
        }
        if (n.bytesPerPair() > 0) m.put("bytesPerPair", n.bytesPerPair());
        if (n.routing() != null) m.put("routing", n.routing());
        if (!n.isEmpty()) m.put("events", n.events());
        if (!n.lossesPercentOfPeak().isEmpty()) m.put("lossesPercentOfPeak", new LinkedHashMap<>(n.lossesPercentOfPeak()));
        return m;
    }

    /** @return one offered load's row of the noc document, without {@code host} (the command adds the host's figures) */
    static Map<String, Object> noc(double rate, ExperimentResult e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", NOC_SCHEMA);
        m.put("rate", rate);
        RecordFields.put(m, e, "avgPacketLatencyCycles", "avgNetworkLatencyCycles", "p50PacketLatencyCycles", "p99PacketLatencyCycles",
                "maxPacketLatencyCycles", "acceptedFlitsPerNodePerCycle", "avgHops", "saturated", "measuredPackets", "samplePeriods",
                "simulatedCycles", "maxLinkUtilization", "avgBufferOccupancyFlits");
        return m;
    }

    /** @return a run's summary document, without {@code host} (the command adds the host's figures) */
    static Map<String, Object> step(StepSummary r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schemaVersion", STEP_SCHEMA);
        s.put("workload", workload(r.workload()));
        StepSummary.SystemInfo sy = r.system();
        Map<String, Object> sys = RecordFields.of(sy, "scope", "tiles", "chips", "nodes", "peakTflops");
        s.put("system", sys);
        s.put("plan", plan(r.plan()));
        RecordFields.put(s, r, "steps", "stepTimeSeconds", "samplesPerSecond", "tokensPerSecond", "modeledFlops", "achievedTflops", "peakTflops",
                "mfu", "computeSeconds", "communicationSeconds", "exposedCommunicationSeconds", "memorySeconds");
        s.put("timeByOpType", new LinkedHashMap<>(r.timeByOpType()));
        s.put("computeLimitedBy", new LinkedHashMap<>(r.computeLimitedBy()));
        s.put("utilization", new LinkedHashMap<>(utilization(r.utilization())));
        StepSummary.MessageLatency l = r.messageLatency();
        Map<String, Object> lat = RecordFields.of(l, "count", "meanSeconds", "p50Seconds", "p99Seconds", "maxSeconds");
        s.put("messageLatency", lat);
        Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("modeled", r.operations().modeled());
        ops.put("replayed", r.operations().replayed());
        StepSummary.TraceCosting tc = r.operations().trace();
        if (tc != null) {
            Map<String, Object> t = RecordFields.of(tc, "recosted", "replayed", "replayedShareOfRecordedTime", "summary");
            ops.put("trace", t);
        }
        s.put("operations", ops);
        if (r.computeModel() != null) s.put("computeModel", computeModel(r.computeModel()));
        if (r.roofline() != null) s.put("roofline", roofline(r.roofline()));
        if (r.energy() != null) s.put("energy", energy(r.energy()));
        StepSummary.Region rg = r.region();
        if (rg != null) {
            Map<String, Object> region = RecordFields.of(rg, "fidelity", "chips", "meshedChips", "meshTransfers", "crossingTransfers", "flowTransfers", "meshMessages",
                    "meshLinks", "meshLinkMeanUtilization", "meshLinkMaxUtilization", "meshLinkBytes");
            s.put("region", region);
        }
        return s;
    }

    /** The keys of the {@code utilization} block, in the document's order (components of {@link StepSummary.Utilization}). */
    private static final List<String> UTILIZATION = List.of("nodeMatrixPipe", "nodeSimdPipe", "nodeSram", "meshLinks", "dieToDie", "tileToTile",
            "dipLinks", "dipHbm", "ethernet");

    /** @return the {@code utilization} block, in the document's order */
    static Map<String, Double> utilization(StepSummary.Utilization u) {
        Map<String, Double> util = new LinkedHashMap<>();
        for (String k : UTILIZATION) util.put(k, (Double) RecordFields.component(u, k));
        return util;
    }

    private static Map<String, Object> workload(StepSummary.Workload w) {
        Map<String, Object> wl = RecordFields.of(w, "name", "source", "batchPerReplica", "samplesPerStep", "tokensPerStep", "parameters", "dataType", "ranks");
        if (w.rankNote() != null) wl.put("rankNote", w.rankNote());
        StepSummary.RankPlacement p = w.rankPlacement();
        if (p != null) {
            Map<String, Object> rp = RecordFields.of(p, "placement", "ranks", "chipsPerRank");
            if (p.nodesPerRank() > 0) rp.put("nodesPerRank", p.nodesPerRank());
            RecordFields.put(rp, p, "replicated", "copies", "idleChips", "dataParallelRanks");
            wl.put("rankPlacement", rp);
        }
        if (!w.warnings().isEmpty()) wl.put("warnings", w.warnings());
        StepSummary.GlobalBatch g = w.globalBatch();
        if (g != null) {
            wl.put("globalBatch", g.samples());
            wl.put("globalBatchSource", g.source());
            if (g.paddingSamples().isPresent()) wl.put("paddingSamples", g.paddingSamples().getAsLong());
        }
        return wl;
    }

    private static Map<String, Object> plan(StepSummary.PlanInfo p) {
        Map<String, Object> pl = RecordFields.of(p, "dataParallel", "replicaChips", "tensorParallelChips", "tensorParallel", "sequenceParallel", "virtualStages",
                "pipelineStages", "stageChips", "microBatches", "pipelineSchedule", "estimatedStepSeconds", "stageIdleFraction", "idleChips",
                "foldedReplicas", "footprintBytes", "regionSramBytes", "streamedFromHbmBytes", "gradientBuckets", "reason");
        PlanSearch.Summary q = p.search();
        if (q != null) {
            Map<String, Object> search = RecordFields.of(q, "globalBatch", "candidates", "estimated", "simulated", "rejected", "estimateErrorMean", "estimateErrorMax");
            List<Map<String, Object>> top = new ArrayList<>();
            for (PlanSearch.Outcome o : q.top()) top.add(outcome(o));
            search.put("top", top);
            pl.put("search", search);
        }
        return pl;
    }

    /** @return the plan search's document: the global batch, the counts and every candidate */
    static Map<String, Object> plan(PlanScenario.Result result) {
        PlanSearch.Result r = result.search();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", PLAN_SCHEMA);
        m.put("workload", result.workload());
        m.put("globalBatch", r.globalBatch());
        m.put("globalBatchSource", r.batchSource());
        RecordFields.put(m, r, "estimated", "simulated", "rejected", "estimateErrorMean", "estimateErrorMax");
        List<Object> all = new ArrayList<>();
        for (PlanSearch.Outcome o : r.outcomes()) all.add(outcome(o));
        m.put("candidates", all);
        return m;
    }

    /** @return one candidate of a plan search (NaN fields left out), as {@code plan.search.top} and {@code dojosim plan --json} list it */
    static Map<String, Object> outcome(PlanSearch.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        PlanSearch.Candidate c = o.candidate();
        m.put("status", o.status());
        m.put("plan", c.label());
        RecordFields.put(m, c, "dataParallel", "replicaChips", "tensorParallel", "virtualStages", "pipelineStages", "microBatches", "replicaBatch");
        putFinite(m, "estimatedStepSeconds", o.estimateSeconds());
        putFinite(m, "simulatedStepSeconds", o.simulatedSeconds());
        putFinite(m, "samplesPerSecond", o.samplesPerSecond());
        putFinite(m, "mfu", o.mfu());
        if (o.memoryPerChipBytes() > 0) m.put("memoryPerChipBytes", o.memoryPerChipBytes());
        putFinite(m, "exposedCommunicationSeconds", o.exposedCommSeconds());
        m.put("why", o.why());
        return m;
    }

    private static void putFinite(Map<String, Object> m, String k, double v) {
        if (Double.isFinite(v)) m.put(k, v);
    }

    private static Map<String, Object> computeModel(StepSummary.ComputeModel cm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fidelity", cm.fidelity());
        StepSummary.Calibration c = cm.calibration();
        if (c != null) {
            RecordFields.put(m, c, "machine", "sharesFromTable", "sharesScaledFromNearest", "sharesSimulated", "sharesAtRoofline",
                    "sharesScaledFromDefaultMachine");
        }
        m.put("errorBand", cm.errorBand());
        return m;
    }

    /** @return the {@code networkModel} block of summary.json */
    static Map<String, Object> networkModel(io.dojosim.pod.check.NetworkModelReport n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chipFidelity", n.chipFidelity());
        m.put("errorBand", n.errorBand());
        return m;
    }

    /** @return the {@code crossCheck} block of summary.json (docs/adr/0100-cross-check.md) */
    static Map<String, Object> crossCheck(io.dojosim.pod.check.CrossCheck.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> cs = new ArrayList<>();
        for (io.dojosim.pod.check.CrossCheck.Check c : r.checks()) {
            Map<String, Object> cm = RecordFields.of(c, "model", "from", "to");
            if (c.sample() != null) { // what the check timed at both fidelities (ADR 0107)
                cm.put("sample", RecordFields.of(c.sample(), "what", "coarseSeconds", "fineSeconds", "ratio"));
            }
            cm.put("figures", new LinkedHashMap<>(c.figures()));
            cm.put("wallSeconds", c.wallSeconds());
            cs.add(cm);
        }
        m.put("checks", cs);
        Map<String, Object> fs = new LinkedHashMap<>();
        for (io.dojosim.pod.check.CrossCheck.Figure f : r.figures()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("value", f.value());
            fm.put("plusMinus", f.band());
            fm.put("relative", f.relativeBand());
            fs.put(f.key(), fm);
        }
        m.put("figures", fs);
        m.put("skipped", r.skipped());
        m.put("method", io.dojosim.pod.check.CrossCheck.Result.METHOD);
        return m;
    }

    private static Map<String, Object> roofline(io.dojosim.pod.step.RooflineBlock b) {
        Map<String, Object> m = RecordFields.of(b, "regionChips", "matrixPeakFlopsPerSecond", "simdPeakFlopsPerSecond", "sramLoadBytesPerSecond");
        List<Object> types = new ArrayList<>();
        for (io.dojosim.pod.step.RooflineBlock.TypeWork t : b.types()) {
            Map<String, Object> c = RecordFields.of(t, "type", "operations", "flops", "bytes", "seconds");
            types.add(c);
        }
        m.put("types", types);
        return m;
    }

    /** @return a step's streams as timeline.json writes them (docs/results-format.md#timelinejson) */
    static Map<String, Object> timeline(io.dojosim.pod.step.RooflineBlock.Timeline t) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("stepSeconds", t.stepSeconds());
        List<Object> list = new ArrayList<>();
        for (io.dojosim.pod.step.RooflineBlock.Stream st : t.streams()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stream", st.stream());
            s.put("drawnBusySeconds", st.drawnBusySeconds());
            List<Object> busy = new ArrayList<>();
            for (double[] iv : st.busy()) busy.add(List.of(iv[0], iv[1]));
            s.put("busy", busy);
            list.add(s);
        }
        b.put("streams", list);
        return b;
    }

    private static Map<String, Object> energy(EnergyBlock b) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("joulesPerStep", b.joulesPerStep());
        EnergyBlock.Watts w = b.averageWatts();
        Map<String, Object> watts = RecordFields.of(w, "system", "perTile", "perChip", "chipFullRateMatrix", "tileDiesDynamic", "tileDiesStatic");
        e.put("averageWatts", watts);
        e.put("byLevel", new LinkedHashMap<>(b.byLevel()));
        e.put("byClass", new LinkedHashMap<>(b.byClass()));
        e.put("staticWattsByLevel", new LinkedHashMap<>(b.staticWattsByLevel()));
        RecordFields.put(e, b, "clockHz", "volts", "samplesPerJoule", "gflopsPerWatt");
        EnergyBlock.Peak pk = b.peakWatts();
        if (pk != null) {
            Map<String, Object> peak = RecordFields.of(pk, "system", "perTile", "perChip");
            e.put("peakWatts", peak);
        }
        EnergyBlock.PowerCap c = b.powerCap();
        if (c != null) {
            Map<String, Object> cap = RecordFields.of(c, "tileCapWatts", "unthrottledTileWatts", "unthrottledClockHz", "unthrottledStepTimeSeconds", "throttled",
                    "clockHz", "tileWatts");
            e.put("powerCap", cap);
        }
        return e;
    }

    /** @return the {@code heatmaps.json} document of a run (docs/report.md) */
    static Map<String, Object> heatmaps(List<Heatmap> maps) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Heatmap h : maps) {
            Map<String, Object> m = RecordFields.of(h, "name", "level", "unit", "width", "height", "values");
            List<Map<String, Object>> links = new ArrayList<>();
            for (Heatmap.LinkValue l : h.links()) {
                links.add(RecordFields.of(l, "x", "y", "dir", "value"));
            }
            m.put("links", links);
            out.add(m);
        }
        return Map.of("heatmaps", out);
    }

    /** @return one level's row of link utilization: its name, then the usage figures of a {@link LevelUtilization} or {@link MeshLinkUsage} */
    private static Map<String, Object> level(String name, Record usage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", name);
        return RecordFields.put(m, usage, "links", "linksUsed", "bytes", "meanUtilization", "maxUtilization");
    }
}
