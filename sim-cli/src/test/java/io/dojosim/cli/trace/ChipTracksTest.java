package io.dojosim.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.cli.Catalog;
import io.dojosim.cli.ConfigLoader;
import io.dojosim.cli.RunService;
import io.dojosim.core.config.ResolvedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's Perfetto trace read back with the project's protobuf reader: a track per tile and per
 * chip, every chip of a replica showing every operation of its stage, and counter histories that
 * integrate to the run's own figures (compute busy time, the stages' idle share).
 */
class ChipTracksTest {
    @TempDir
    Path dir;

    /** A track: its name, parent, slices begun on it and its counter points (time in ns, value). */
    static final class Track {
        String name;
        long parent;
        int slices;
        final List<double[]> points = new ArrayList<>();
    }

    /** @return tracks by uuid, in the order declared */
    static Map<Long, Track> read(Path file) throws IOException {
        Map<Long, Track> tracks = new LinkedHashMap<>();
        for (ProtoWire.Field packet : ProtoWire.read(Files.readAllBytes(file))) {
            long ts = 0;
            for (ProtoWire.Field f : ProtoWire.read(packet.bytes())) {
                if (f.number() == 8) ts = f.value();
                if (f.number() == 60) {
                    Track t = new Track();
                    long uuid = 0;
                    for (ProtoWire.Field d : ProtoWire.read(f.bytes())) {
                        if (d.number() == 1) uuid = d.value();
                        if (d.number() == 2) t.name = d.text();
                        if (d.number() == 5) t.parent = d.value();
                    }
                    tracks.put(uuid, t);
                }
                if (f.number() == 11) {
                    long track = 0;
                    long type = 0;
                    double value = Double.NaN;
                    for (ProtoWire.Field e : ProtoWire.read(f.bytes())) {
                        if (e.number() == 9) type = e.value();
                        if (e.number() == 11) track = e.value();
                        if (e.number() == 44) value = Double.longBitsToDouble(e.value());
                    }
                    Track t = tracks.get(track);
                    if (type == 1) t.slices++;
                    if (type == 4) t.points.add(new double[] {ts, value});
                }
            }
        }
        return tracks;
    }

    /** @return the counter's time average over [0, endNs): each value holds until the next point */
    static double average(Track t, double endNs) {
        double integral = 0;
        for (int i = 0; i < t.points.size(); i++) {
            double next = i + 1 < t.points.size() ? t.points.get(i + 1)[0] : endNs;
            integral += t.points.get(i)[1] * (next - t.points.get(i)[0]);
        }
        return integral / endNs;
    }

    private static List<Track> children(Map<Long, Track> tracks, long parent) {
        List<Track> out = new ArrayList<>();
        for (Track t : tracks.values()) if (t.parent == parent) out.add(t);
        return out;
    }

    private static long uuidOf(Map<Long, Track> tracks, String name) {
        for (Map.Entry<Long, Track> e : tracks.entrySet()) if (e.getValue().name.equals(name)) return e.getKey();
        throw new AssertionError("no track '" + name + "' among " + tracks.size());
    }

    private static int slicesUnder(Map<Long, Track> tracks, long uuid) {
        int n = tracks.get(uuid).slices;
        for (Map.Entry<Long, Track> e : tracks.entrySet()) if (e.getValue().parent == uuid) n += slicesUnder(tracks, e.getKey());
        return n;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyChipOfTheTileHasATrackWithItsStagesOperationsAndAMeasuredComputeHistory() throws IOException {
        // five replicas of five chips (one tile row each): 25 chips, no pipeline
        ResolvedConfig c = new ConfigLoader(Catalog.get()).resolve(null, List.of("pod.system.scope=tile", "run.workload=resnet50",
                "run.plan.search=off", "run.batchPerReplica=4", "run.mapping.replicaChips=5"));
        Path pf = dir.resolve("t.pftrace");
        Map<String, Object> summary = RunService.run(c, null, pf).summary();
        Map<String, Object> plan = (Map<String, Object>) summary.get("plan");
        assertEquals(5, ((Number) plan.get("dataParallel")).intValue());
        Map<Long, Track> tracks = read(pf);

        long tile = uuidOf(tracks, "tile[0]");
        List<Track> chips = children(tracks, tile);
        chips.removeIf(t -> !t.name.startsWith("tile[0].chip["));
        assertEquals(25, chips.size(), "a track per chip of the tile, under the tile's track");
        TreeSet<String> coords = new TreeSet<>();
        for (Track t : chips) coords.add(t.name.substring(0, t.name.indexOf(']', t.name.indexOf("chip[")) + 1));
        assertEquals(25, coords.size(), "each chip once");

        Map<String, Object> ops = (Map<String, Object>) summary.get("operations");
        long operations = ((Number) ops.get("modeled")).longValue() + ((Number) ops.get("replayed")).longValue();
        int total = 0;
        for (Map.Entry<Long, Track> e : tracks.entrySet()) {
            if (e.getValue().parent != tile || !e.getValue().name.startsWith("tile[0].chip[")) continue;
            assertEquals(operations, slicesUnder(tracks, e.getKey()), e.getValue().name + ": every operation of the replica once");
            total += slicesUnder(tracks, e.getKey());
        }
        assertEquals(25 * operations, total, "5 replicas x 5 chips x the replica's operations");

        // the compute history of every chip integrates to the replica's compute busy time
        double stepNs = ((Number) summary.get("stepTimeSeconds")).doubleValue() * 1e9;
        double computeShare = ((Number) summary.get("computeSeconds")).doubleValue() * 1e9 / stepNs;
        assertTrue(computeShare > 0.5, "ResNet-50 computes most of the step: " + computeShare);
        int histories = 0;
        for (Map.Entry<Long, Track> e : tracks.entrySet()) {
            if (!e.getValue().name.equals("compute busy")) continue;
            Track t = e.getValue();
            assertTrue(tracks.get(t.parent).name.startsWith("tile[0].chip["), "a chip's counter");
            assertTrue(t.points.size() > 2, "a history, not one placed value: " + t.points.size());
            assertEquals(computeShare, average(t, stepNs), 1e-4, "the counter's time average is the run's compute busy share");
            for (double[] p : t.points) assertTrue(p[1] >= 0 && p[1] <= 1 + 1e-12, "a busy share: " + p[1]);
            histories++;
        }
        assertEquals(25, histories, "one compute history per chip");
        Track tileMean = tracks.get(uuidOf(tracks, "compute busy (tile mean)"));
        assertEquals(computeShare, average(tileMean, stepNs), 1e-4, "every chip of the tile works: the tile's mean is the chips'");

        // the summary's roofline block conserves the step's work: its types' FLOPs (recomputation
        // aside) times the replicas are modeledFlops, and their busy seconds are timeByOpType's
        Map<String, Object> roofline = (Map<String, Object>) summary.get("roofline");
        Map<String, Object> byType = (Map<String, Object>) summary.get("timeByOpType");
        double flops = 0;
        for (Object o : (List<Object>) roofline.get("types")) {
            Map<String, Object> t = (Map<String, Object>) o;
            if (!t.get("type").equals("recompute")) flops += ((Number) t.get("flops")).doubleValue();
            assertEquals(((Number) byType.get(t.get("type"))).doubleValue(), ((Number) t.get("seconds")).doubleValue(), 0.0, t.get("type") + " seconds");
            assertTrue(((Number) t.get("bytes")).doubleValue() > 0, t.get("type") + " has operands");
        }
        assertEquals(((Number) summary.get("modeledFlops")).doubleValue(), flops * 5, 0.0, "5 replicas x the replica's FLOPs");
        assertEquals(5, ((Number) roofline.get("regionChips")).intValue(), "an operation runs on the replica's 5 chips");
        // 5 chips x 354 nodes x 2 x 8 x 8 x 4 x 2 GHz (the default D1 node: an 8 x 8 x 4 matrix block per cycle)
        assertEquals(5 * 354 * 2.0 * 256 * 2e9, ((Number) roofline.get("matrixPeakFlopsPerSecond")).doubleValue(), 0.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPipelinesChipsComputeForTheShareOfTheStepTheStagesAreNotIdle() throws IOException {
        ResolvedConfig c = new ConfigLoader(Catalog.get()).resolve(null, List.of("pod.system.scope=tile", "run.workload=resnet50",
                "run.plan.search=off", "run.mapping.replicaChips=2", "run.mapping.pipelineStages=2", "run.mapping.microBatches=4",
                "run.batchPerReplica=24"));
        Path pf = dir.resolve("p.pftrace");
        Map<String, Object> summary = RunService.run(c, null, pf).summary();
        Map<String, Object> plan = (Map<String, Object>) summary.get("plan");
        int replicas = ((Number) plan.get("dataParallel")).intValue();
        assertEquals(12, replicas);
        assertEquals(1, ((Number) plan.get("idleChips")).intValue());
        Map<Long, Track> tracks = read(pf);
        long tile = uuidOf(tracks, "tile[0]");
        Map<String, Integer> roles = new HashMap<>();
        for (Track t : children(tracks, tile)) {
            if (t.name.endsWith("(idle)")) roles.merge("idle", 1, Integer::sum);
            if (t.name.endsWith("stage 0)")) roles.merge("stage 0", 1, Integer::sum);
            if (t.name.endsWith("stage 1)")) roles.merge("stage 1", 1, Integer::sum);
        }
        assertEquals(Map.of("idle", 1, "stage 0", 12, "stage 1", 12), roles, "24 chips of 12 two-stage replicas and the chip the plan leaves idle");
        double stepNs = ((Number) summary.get("stepTimeSeconds")).doubleValue() * 1e9;
        double busy = 1 - ((Number) plan.get("stageIdleFraction")).doubleValue();
        double sum = 0;
        int n = 0;
        for (Track t : tracks.values()) {
            if (t.name.equals("compute busy")) {
                sum += average(t, stepNs);
                n++;
            }
        }
        assertEquals(24, n);
        assertEquals(busy, sum / n, 1e-4, "the chips' mean compute share is 1 - plan.stageIdleFraction");
        Track tileMean = tracks.get(uuidOf(tracks, "compute busy (tile mean)"));
        assertEquals(busy * 24 / 25, average(tileMean, stepNs), 1e-4, "the idle chip counts in its tile's mean");
    }
}
