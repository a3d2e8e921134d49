package io.dojosim.workload.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dojosim.workload.TraceReport;
import io.dojosim.workload.WorkloadSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renders a {@link WorkloadSummary} and a {@link TraceReport} as JSON trees, keys in a fixed order
 * (the {@code --json FILE} of {@code workload inspect}). The summaries are records; this is the one
 * place their JSON shape is written.
 */
public final class SummaryJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SummaryJson() {
    }

    public static String toJson(WorkloadSummary s) {
        try {
            return WorkloadFormat.jsonMapper().writeValueAsString(tree(s)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(WorkloadSummary s, Path file) throws IOException {
        Files.writeString(file, toJson(s), StandardCharsets.UTF_8);
    }

    /** @return the summary as a JSON tree */
    public static ObjectNode tree(WorkloadSummary s) {
        ObjectNode m = F.objectNode();
        m.put("name", s.name());
        m.put("source", s.source());
        m.put("ranks", s.rankCount());
        m.put("operations", s.operations());
        ObjectNode t = m.putObject("operationsByType");
        s.opsByType().forEach((k, v) -> t.put(k.name(), v));
        ObjectNode kinds = m.putObject("computeByKind");
        s.computeByKind().forEach((k, v) -> JsonRecords.put(kinds.putObject(k.name()), v));
        m.put("totalFlops", s.totalFlops());
        m.put("computeBytes", s.computeBytes());
        m.put("memoryBytes", s.memoryBytes());
        ObjectNode c = m.putObject("collectiveBytes");
        s.collectiveBytes().forEach((k, v) -> c.put(k.name(), v));
        m.put("sendBytes", s.sendBytes());
        m.put("recvBytes", s.recvBytes());
        m.put("communicationBytes", s.communicationBytes());
        ObjectNode cost = m.putObject("computeCosting");
        cost.put("modeled", s.modeledCompute());
        cost.put("replayed", s.replayedCompute());
        cost.put("free", s.freeCompute());
        m.put("measuredDurationPs", s.measuredDurationPs());
        ObjectNode cp = m.putObject("criticalPath");
        cp.put("operations", s.criticalPathOps());
        cp.put("flops", s.criticalPathFlops());
        ArrayNode ranks = m.putArray("perRank");
        for (WorkloadSummary.RankSummary r : s.perRank()) {
            ObjectNode e = ranks.addObject();
            e.put("rank", r.rank());
            e.put("operations", r.operations());
            e.put("compute", r.compute());
            e.put("communication", r.communication());
            e.put("flops", r.flops());
            e.put("communicationBytes", r.commBytes());
            e.put("criticalPathOperations", r.criticalPathOps());
            e.put("criticalPathFlops", r.criticalPathFlops());
        }
        ArrayNode warnings = m.putArray("warnings");
        for (String w : s.warnings()) warnings.add(w);
        return m;
    }

    /** @return the trace report as a JSON tree */
    public static ObjectNode tree(TraceReport r) {
        ObjectNode m = F.objectNode();
        ArrayNode ranks = m.putArray("ranks");
        for (int k : r.ranks()) ranks.add(k);
        ObjectNode g = m.putObject("communicatorGroups");
        r.groups().forEach((k, v) -> JsonRecords.put(g.putObject(k), v));
        if (!r.processGroups().isEmpty()) {
            m.put("processGroups", r.processGroups());
        }
        if (r.costing() != null) {
            ObjectNode c = m.putObject("import");
            c.put("recosted", r.costing().recosted());
            c.put("replayed", r.costing().replayed());
            c.put("hostOperations", r.costing().host());
            c.put("recordedDevicePs", r.costing().recordedDevicePs());
            c.put("replayedDevicePs", r.costing().replayedDevicePs());
            c.put("replayedShare", r.costing().replayedShare());
            c.put("replayScale", r.costing().replayScale());
        }
        rows(m.putObject("recostedByName"), r.recosted(), "flops");
        rows(m.putObject("replayedByName"), r.replayed(), "recordedPs");
        m.put("hostOperations", r.hostOps());
        m.put("hostRecordedPs", r.hostPs());
        return m;
    }

    private static void rows(ObjectNode out, Map<String, long[]> m, String second) {
        m.forEach((k, v) -> {
            ObjectNode e = out.putObject(k);
            e.put("count", v[0]);
            e.put(second, v[1]);
        });
    }
}
