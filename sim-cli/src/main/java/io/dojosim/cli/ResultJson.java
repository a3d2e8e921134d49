package io.dojosim.cli;

import io.dojosim.pod.LevelUtilization;
import io.dojosim.pod.MeshLinkUsage;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveResult;
import io.dojosim.d1.node.NodeSimulation;
import io.dojosim.noc.traffic.ExperimentResult;
import io.dojosim.pod.scenario.CollectiveScenario;
import io.dojosim.pod.scenario.KernelScenario;
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
        m.put("scope", r.scope());
        m.put("memberKind", r.memberKind());
        m.put("systemScope", r.systemScope());
        m.put("fidelity", r.regionFidelity());
        m.put("roiChip", r.roiChip());
        m.put("regionChips", r.regionChips());
        m.put("meshTransfers", r.meshTransfers());
        m.put("crossingTransfers", r.crossingTransfers());
        m.put("flowTransfers", r.flowTransfers());
        m.put("meshMessages", r.meshMessages());
        m.put("members", cr.members());
        m.put("bytes", r.bytes());
        m.put("chunks", r.chunks());
        m.put("pipelineDepth", r.pipelineDepth());
        m.put("timeSeconds", cr.timeSeconds());
        m.put("algBandwidthGBps", cr.algBandwidthGBps());
        m.put("busBandwidthGBps", cr.busBandwidthGBps());
        m.put("alphaBetaBoundSeconds", cr.alphaBetaBoundSeconds());
        m.put("timeOverBound", cr.ratioToBound());
        m.put("transfers", cr.transfers());
        List<Map<String, Object>> levels = new ArrayList<>();
        for (LevelUtilization u : r.levels()) {
            if (u.linksUsed() == 0) continue;
            levels.add(level(u.kind().name().toLowerCase(Locale.ROOT), u.links(), u.linksUsed(), u.bytes(), u.meanUtilization(), u.maxUtilization()));
        }
        MeshLinkUsage mesh = r.mesh();
        if (mesh.links() > 0) {
            levels.add(level("region_mesh", mesh.links(), mesh.linksUsed(), mesh.bytes(), mesh.meanUtilization(), mesh.maxUtilization()));
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
            Map<String, Object> shape = new LinkedHashMap<>();
            shape.put("m", q.m());
            shape.put("n", q.n());
            shape.put("k", q.k());
            o.put("shape", shape);
        } else {
            o.put(q.kernel() == KernelScenario.Kernel.VECTOR ? "elements" : "bytesPerPair", q.m());
        }
        o.put("cycles", r.cycles());
        o.put("timeSeconds", r.timeSeconds());
        o.put("achievedTflops", r.achievedTflops());
        o.put("peakTflops", r.peakTflops());
        o.put("fractionOfPeak", r.fractionOfPeak());
        o.put("utilization", r.utilization());
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
        if (chipCycle) o.put("notes", r.notes());
        return o;
    }

    /** @return one offered load's row of the noc document, without {@code host} (the command adds the host's figures) */
    static Map<String, Object> noc(double rate, ExperimentResult e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", NOC_SCHEMA);
        m.put("rate", rate);
        m.put("avgPacketLatencyCycles", e.avgPacketLatencyCycles());
        m.put("avgNetworkLatencyCycles", e.avgNetworkLatencyCycles());
        m.put("p50PacketLatencyCycles", e.p50PacketLatencyCycles());
        m.put("p99PacketLatencyCycles", e.p99PacketLatencyCycles());
        m.put("maxPacketLatencyCycles", e.maxPacketLatencyCycles());
        m.put("acceptedFlitsPerNodePerCycle", e.acceptedFlitsPerNodePerCycle());
        m.put("avgHops", e.avgHops());
        m.put("saturated", e.saturated());
        m.put("measuredPackets", e.measuredPackets());
        m.put("samplePeriods", e.samplePeriods());
        m.put("simulatedCycles", e.simulatedCycles());
        m.put("maxLinkUtilization", e.maxLinkUtilization());
        m.put("avgBufferOccupancyFlits", e.avgBufferOccupancyFlits());
        return m;
    }

    private static Map<String, Object> level(String name, long links, long used, double bytes, double mean, double max) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", name);
        m.put("links", links);
        m.put("linksUsed", used);
        m.put("bytes", bytes);
        m.put("meanUtilization", mean);
        m.put("maxUtilization", max);
        return m;
    }
}
