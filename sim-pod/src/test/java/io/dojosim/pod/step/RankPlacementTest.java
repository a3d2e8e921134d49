package io.dojosim.pod.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.Endpoint;
import io.dojosim.pod.PodConfig;
import io.dojosim.pod.Topology;
import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.ComputeKind;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Operation;
import io.dojosim.workload.ParallelDim;
import io.dojosim.workload.ParallelismHint;
import io.dojosim.workload.Phase;
import io.dojosim.workload.PointToPointOp;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import io.dojosim.workload.WorkloadMetadata;
import io.dojosim.workload.io.ChakraWriter;
import io.dojosim.workload.io.WorkloadLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rank-faithful placement (run.rankPlacement, run.replicateRanks) and matched point-to-point
 * messages (run.unmatchedPointToPoint): an N-rank trace runs on N ranks, a SEND and its RECV are
 * one transfer, collectives run over their group's ranks' chips.
 */
class RankPlacementTest {
    /** A tile of 4 x 2 chips: 8 chips in snake order, each ring neighbour one die-to-die hop away. */
    static final String[] EIGHT_CHIPS = {"pod.system.scope=tile", "pod.tile.chipsX=4", "pod.tile.chipsY=2", "pod.dip.perTileEdge=2"};
    static final int N = 8;
    static final long CHUNK = 131_072;

    static String[] with(String[] base, String... more) {
        String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }

    static WorkloadMetadata meta(String name) {
        return new WorkloadMetadata(name, "test", 0, 0, 0, List.of(DataType.BF16), 0, ParallelismHint.NONE, Map.of());
    }

    /**
     * The ASTRA-sim custom-collective form of a ring all-reduce of N x CHUNK bytes, as SEND/RECV:
     * rank r sends to r + 1 and receives from r - 1 in 2 (N - 1) steps of one chunk each (tag = step
     * + 1); in the N - 1 reduce-scatter steps the received chunk is reduced (a compute node) and the
     * reduction is what the next step sends; in the all-gather steps the received chunk is sent on.
     * Receives are posted in order (each waits for the previous one). 14 SEND, 14 RECV, 7 reduce
     * nodes per rank.
     */
    static Workload ringAllReduce() {
        List<RankGraph> ranks = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            List<Operation> ops = new ArrayList<>();
            long id = 1;
            long last = -1;
            long prevRecv = -1;
            for (int s = 0; s < 2 * (N - 1); s++) {
                long send = id++;
                ops.add(new PointToPointOp(send, "send." + s, PointToPointOp.Direction.SEND, (r + 1) % N, s + 1, CHUNK,
                        last < 0 ? List.of() : List.of(last), "", Phase.UNSPECIFIED, -1));
                long recv = id++;
                ops.add(new PointToPointOp(recv, "recv." + s, PointToPointOp.Direction.RECV, (r + N - 1) % N, s + 1, CHUNK,
                        prevRecv < 0 ? List.of() : List.of(prevRecv), "", Phase.UNSPECIFIED, -1));
                prevRecv = recv;
                if (s < N - 1) {
                    long reduce = id++;
                    // one BF16 add per element of the chunk, reading both operands
                    ops.add(ComputeOp.builder(reduce, "reduce." + s, ComputeKind.OTHER).dataType(DataType.BF16).flops(CHUNK / 2)
                            .inputBytes(2 * CHUNK).deps(List.of(recv)).build());
                    last = reduce;
                } else {
                    last = recv;
                }
            }
            ranks.add(new RankGraph(r, ops));
        }
        return new Workload(meta("ring-allreduce-sendrecv"), ranks);
    }

    static Workload allReduceSet(int n, long bytes) {
        List<RankGraph> ranks = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            ranks.add(new RankGraph(r, List.of(new CollectiveOp(r, "all_reduce", CollectiveKind.ALL_REDUCE, bytes, CommGroup.of(ParallelDim.ALL),
                    0, List.of(), "", Phase.UNSPECIFIED, -1))));
        }
        return new Workload(meta("allreduce-" + n), ranks);
    }

    static StepRunner.Report run(Workload w, String... sets) {
        return StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(StepRunnerTest.config(sets)), w, StepExecutor.TimelineSink.NONE);
    }

    @Test
    void aSendRecvRingAllReduceWrittenAsChakraRunsWithinTenPercentOfTheRingBound(@TempDir Path dir) throws Exception {
        Workload written = ringAllReduce();
        for (RankGraph g : written.ranks()) {
            assertEquals(14, g.ops().stream().filter(o -> o.type() == io.dojosim.workload.OpType.SEND).count());
            assertEquals(14, g.ops().stream().filter(o -> o.type() == io.dojosim.workload.OpType.RECV).count());
            assertEquals(7, g.ops().stream().filter(o -> o instanceof ComputeOp).count());
        }
        Path prefix = dir.resolve("ring");
        ChakraWriter.write(written, prefix, false);
        Workload w = WorkloadLoader.load(prefix.toString());
        assertEquals(N, w.ranks().size());
        ResolvedConfig cfg = StepRunnerTest.config(EIGHT_CHIPS);
        StepRunner.Report r = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(cfg), w, StepExecutor.TimelineSink.NONE);

        // the ring bound from the modeled links: the ring visits the ranks' chips in order, and in each
        // of its 2 (N - 1) steps every rank sends one chunk to the next over its own route, so a step
        // takes the slowest hop's latency + CHUNK / (its route's narrowest link):
        //   bound = 2 (N - 1) x max_i ( L(chip_i -> chip_i+1) + CHUNK / B(chip_i -> chip_i+1) )
        Topology topo = new Topology(PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(cfg)));
        int[] order = PodStepBackend.chipOrder(topo);
        long slowestHopPs = 0;
        for (int i = 0; i < N; i++) {
            int[] route = topo.route(Endpoint.chip(order[i]), Endpoint.chip(order[(i + 1) % N]));
            double narrowest = Double.MAX_VALUE;
            for (int l : route) {
                narrowest = Math.min(narrowest, topo.capacity(l));
            }
            slowestHopPs = Math.max(slowestHopPs, topo.routeLatencyPs(route) + (long) Math.ceil(CHUNK * 1e12 / narrowest));
        }
        double boundSeconds = 2 * (N - 1) * slowestHopPs / 1e12;
        double comm = r.summary().communicationSeconds();
        assertTrue(comm >= boundSeconds * (1 - 1e-9), "communication " + comm + " s cannot beat the ring bound " + boundSeconds + " s");
        assertTrue(comm <= boundSeconds * 1.10, "communication " + comm + " s within 10 % of the ring bound " + boundSeconds + " s");
        // one transfer per matched pair: 8 ranks x 14 messages, each one hop long
        assertEquals(112L, ((Number) r.summary().messageLatency().count()).longValue());
        assertEquals(8, r.plan().replicaChips());
        assertEquals(1, r.plan().dataParallel());
    }

    @Test
    void aRecvCompletesWhenTheDataOfItsSendArrivesAndSendsOfDifferentRanksOverlap() {
        // two ranks swap one chunk: both sends start at once, so the step is one transfer, not two in a row
        List<RankGraph> ranks = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            ranks.add(new RankGraph(r, List.of(
                    new PointToPointOp(1, "send", PointToPointOp.Direction.SEND, 1 - r, 0, CHUNK, List.of(), "", Phase.UNSPECIFIED, -1),
                    new PointToPointOp(2, "recv", PointToPointOp.Direction.RECV, 1 - r, 0, CHUNK, List.of(), "", Phase.UNSPECIFIED, -1))));
        }
        Workload swap = new Workload(meta("swap"), ranks);
        String[] twoChips = {"pod.system.scope=tile", "pod.tile.chipsX=2", "pod.tile.chipsY=1", "pod.dip.perTileEdge=1"};
        StepRunner.Report r = run(swap, twoChips);
        var lat = r.summary().messageLatency();
        assertEquals(2L, ((Number) lat.count()).longValue(), "one transfer per matched pair");
        // both transfers run side by side on the two directions of the link: the step is one transfer's time
        assertEquals(lat.maxSeconds(), r.summary().stepTimeSeconds(), 1e-12);
        assertEquals(lat.maxSeconds(), r.summary().communicationSeconds(), 1e-12);
    }

    @Test
    void eagerSendsStartWhenIssuedRendezvousSendsWhenTheReceiveIsPostedToo() {
        // rank 0 sends at once; rank 1 posts its receive after 1 us of replayed work
        long workPs = 1_000_000;
        Workload w = new Workload(meta("late-receive"), List.of(
                new RankGraph(0, List.of(new PointToPointOp(1, "send", PointToPointOp.Direction.SEND, 1, 0, CHUNK, List.of(), "",
                        Phase.UNSPECIFIED, -1))),
                new RankGraph(1, List.of(
                        ComputeOp.builder(1, "work", ComputeKind.OTHER).measuredDurationPs(workPs).build(),
                        new PointToPointOp(2, "recv", PointToPointOp.Direction.RECV, 0, 0, CHUNK, List.of(1L), "", Phase.UNSPECIFIED, -1)))));
        String[] twoChips = {"pod.system.scope=tile", "pod.tile.chipsX=2", "pod.tile.chipsY=1", "pod.dip.perTileEdge=1"};
        StepRunner.Report eager = run(w, twoChips);
        StepRunner.Report rendezvous = run(w, with(twoChips, "run.pointToPointProtocol=rendezvous"));
        double transfer = eager.summary().messageLatency().maxSeconds();
        assertTrue(transfer > 0 && transfer < workPs / 1e12, "the transfer is shorter than the work: " + transfer);
        // eager: the data arrived during the work, the receive completes when it is posted
        assertEquals(workPs / 1e12, eager.summary().stepTimeSeconds(), 1e-15);
        // rendezvous: the transfer starts when the receive is posted
        assertEquals(workPs / 1e12 + transfer, rendezvous.summary().stepTimeSeconds(), 1e-15);
        // two ranks that each send before they receive: fine eager, a deadlock with rendezvous
        List<RankGraph> both = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            both.add(new RankGraph(r, List.of(
                    new PointToPointOp(1, "send", PointToPointOp.Direction.SEND, 1 - r, 0, CHUNK, List.of(), "", Phase.UNSPECIFIED, -1),
                    new PointToPointOp(2, "recv", PointToPointOp.Direction.RECV, 1 - r, 0, CHUNK, List.of(1L), "", Phase.UNSPECIFIED, -1))));
        }
        Workload sendFirst = new Workload(meta("send-first"), both);
        assertTrue(run(sendFirst, twoChips).summary().stepTimeSeconds() > 0);
        ConfigException dead = assertThrows(ConfigException.class, () -> run(sendFirst, with(twoChips, "run.pointToPointProtocol=rendezvous")));
        assertTrue(dead.getMessage().contains("deadlock"), dead.getMessage());
    }

    @Test
    void anUnmatchedSendOfAOneRankTraceExitsNamingItsNodeAndRankUnlessWarned(@TempDir Path dir) throws Exception {
        Workload one = new Workload(meta("lonely"), List.of(new RankGraph(0, List.of(
                ComputeOp.builder(1, "work", ComputeKind.OTHER).dataType(DataType.BF16).flops(65_536).inputBytes(262_144).build(),
                new PointToPointOp(2, "send.a", PointToPointOp.Direction.SEND, 1, 7, CHUNK, List.of(1L), "", Phase.UNSPECIFIED, -1)))));
        Path prefix = dir.resolve("one");
        ChakraWriter.write(one, prefix, false);
        Workload w = WorkloadLoader.load(prefix.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> run(w, "pod.system.scope=tile"));
        assertTrue(e.getMessage().contains("rank 0 node 2") && e.getMessage().contains("tag 7")
                && e.getMessage().contains("run.unmatchedPointToPoint"), e.getMessage());
        StepRunner.Report r = run(w, "pod.system.scope=tile", "run.unmatchedPointToPoint=warn");
        List<String> warnings = r.summary().workload().warnings();
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("rank 0 node 2"), warnings.get(0));
    }

    @Test
    void anUnmatchedRecvBetweenRanksIsRefusedNamingItsNodeAndRank() {
        Workload w = new Workload(meta("orphan-recv"), List.of(
                new RankGraph(0, List.of(new PointToPointOp(5, "recv.x", PointToPointOp.Direction.RECV, 1, 3, CHUNK, List.of(), "",
                        Phase.UNSPECIFIED, -1))),
                new RankGraph(1, List.of(new PointToPointOp(9, "send.x", PointToPointOp.Direction.SEND, 0, 4, CHUNK, List.of(), "",
                        Phase.UNSPECIFIED, -1)))));
        ConfigException e = assertThrows(ConfigException.class, () -> run(w, EIGHT_CHIPS));
        // tags differ (3 against 4): neither matches; the first in rank order is named
        assertTrue(e.getMessage().contains("rank 0 node 5") && e.getMessage().contains("tag 3"), e.getMessage());
        StepRunner.Report r = run(w, with(EIGHT_CHIPS, "run.unmatchedPointToPoint=warn"));
        List<String> warnings = r.summary().workload().warnings();
        assertEquals(2, warnings.size(), warnings.toString());
    }

    @Test
    void anEightRankAllReduceSetRunsOnEightChipsByDefaultAndSaysSo() {
        Workload w = allReduceSet(8, 1L << 20);
        StepRunner.Report tile = run(w, "pod.system.scope=tile");
        assertEquals(8, tile.plan().replicaChips());
        assertEquals(1, tile.plan().dataParallel());
        assertEquals(17, tile.plan().idleChips());
        var wl = tile.summary().workload();
        assertTrue((wl.rankNote()).startsWith("8 ranks on 8 chips"), wl.toString());
        var rp = wl.rankPlacement();
        assertEquals("chip", rp.placement());
        assertEquals(false, rp.replicated());
        assertEquals(17, rp.idleChips());
        // on an 8-chip machine the one all-reduce over the 8 ranks' chips is the data-parallel
        // all-reduce of 8 one-chip replicas of the folded mapping: the same ring on the same chips
        StepRunner.Report ranks = run(w, EIGHT_CHIPS);
        StepRunner.Report folded = run(w, with(EIGHT_CHIPS, "run.rankPlacement=replica"));
        assertEquals(8, folded.plan().dataParallel());
        assertEquals(folded.summary().communicationSeconds(), ranks.summary().communicationSeconds(), 1e-15);
        assertTrue(ranks.summary().communicationSeconds() > 0);
    }

    @Test
    void replicateRanksRepeatsTheSetDataParallelAndSaysSo() {
        // a 6 x 4 tile of 24 chips: 3 copies of the 8-rank set fill it; the whole-set all-reduce spans
        // the 24 chips in the chip order, as the folded mapping's all-reduce of 24 one-chip replicas does
        String[] chips24 = {"pod.system.scope=tile", "pod.tile.chipsX=6", "pod.tile.chipsY=4", "pod.dip.perTileEdge=2"};
        Workload w = allReduceSet(8, 1L << 20);
        StepRunner.Report rep = run(w, with(chips24, "run.replicateRanks=true"));
        assertEquals(3, rep.plan().dataParallel());
        assertEquals(0, rep.plan().idleChips());
        var wl = rep.summary().workload();
        assertTrue((wl.rankNote()).contains("replicated data parallel: 3 copies"), wl.toString());
        assertEquals(true, (wl.rankPlacement()).replicated());
        assertEquals(3, rep.summary().plan().dataParallel());
        StepRunner.Report folded = run(w, with(chips24, "run.rankPlacement=replica"));
        assertEquals(24, folded.plan().dataParallel());
        assertEquals(folded.summary().communicationSeconds(), rep.summary().communicationSeconds(), 1e-15);
        StepRunner.Report foldedRing = run(w, with(chips24, "run.rankPlacement=replica", "pod.collective.algorithm=ring"));
        StepRunner.Report repRing = run(w, with(chips24, "run.replicateRanks=true", "pod.collective.algorithm=ring"));
        assertEquals(foldedRing.summary().communicationSeconds(), repRing.summary().communicationSeconds(), 1e-15);
        // not replicated, 16 of the 24 chips are idle and the all-reduce spans 8: row 0 and two
        // chips of row 1, whose ring closes through a turn (ADR 0106), while the 24 chips fill the
        // 6 x 4 tile and close as a cycle of neighbours (RingOrderTest): the 24-chip ring is the
        // faster (6.76 us against 10.57 us; before that ring order the 8 chips were the faster)
        StepRunner.Report alone = run(w, chips24);
        assertEquals(16, alone.plan().idleChips());
        assertTrue(repRing.summary().communicationSeconds() < alone.summary().communicationSeconds(),
                "alone " + alone.summary().communicationSeconds() + " s, replicated ring " + repRing.summary().communicationSeconds()
                        + " s, replicated " + rep.summary().communicationSeconds() + " s");
    }

    @Test
    void tooManyRanksForTheMachineExitNamingTheKeyAndWhatIsAllowed() {
        String[] fourChips = {"pod.system.scope=tile", "pod.tile.chipsX=2", "pod.tile.chipsY=2", "pod.dip.perTileEdge=1"};
        ConfigException e = assertThrows(ConfigException.class, () -> run(allReduceSet(8, 1024), fourChips));
        assertTrue(e.getMessage().contains("run.rankPlacement") && e.getMessage().contains("4 alive chips")
                && e.getMessage().contains("replica"), e.getMessage());
        ConfigException tiles = assertThrows(ConfigException.class, () -> run(allReduceSet(2, 1024), with(EIGHT_CHIPS, "run.rankPlacement=tile")));
        assertTrue(tiles.getMessage().contains("2 ranks of 8 chips"), tiles.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> run(allReduceSet(2, 1024), with(EIGHT_CHIPS, "run.rankPlacement=node")));
        assertTrue(bad.getMessage().contains("'run.rankPlacement' = 'node'") && bad.getMessage().contains("chips:N"), bad.getMessage());
    }

    @Test
    void chipsPerRankSplitEachRanksMessagesOverItsChips() {
        // 2 ranks of 4 chips: a 1 MiB send is 4 transfers of 256 KiB, chip j to chip j
        List<RankGraph> ranks = List.of(
                new RankGraph(0, List.of(new PointToPointOp(1, "send", PointToPointOp.Direction.SEND, 1, 0, 1L << 20, List.of(), "",
                        Phase.UNSPECIFIED, -1))),
                new RankGraph(1, List.of(new PointToPointOp(1, "recv", PointToPointOp.Direction.RECV, 0, 0, 1L << 20, List.of(), "",
                        Phase.UNSPECIFIED, -1))));
        StepRunner.Report r = run(new Workload(meta("pair"), ranks), with(EIGHT_CHIPS, "run.rankPlacement=chips:4"));
        assertEquals(4, r.plan().stageChips());
        assertEquals(2, r.plan().pipelineStages());
        assertEquals(0, r.plan().idleChips());
        assertTrue(r.summary().communicationSeconds() > 0);
    }

    @Test
    void nodeRegionRanksShareAChipTimeTheirComputeOnTheirNodesAndTalkOnChip() {
        // two ranks of 177 nodes: both on chip 0; each runs an elementwise op, then rank 0 sends to rank 1
        List<RankGraph> ranks = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            ComputeOp work = ComputeOp.builder(1, "work", ComputeKind.ELEMENTWISE).dataType(DataType.BF16).flops(1L << 24)
                    .inputBytes(1L << 22).outputBytes(1L << 21).build();
            PointToPointOp msg = new PointToPointOp(2, r == 0 ? "send" : "recv", r == 0 ? PointToPointOp.Direction.SEND : PointToPointOp.Direction.RECV,
                    1 - r, 0, CHUNK, List.of(1L), "", Phase.UNSPECIFIED, -1);
            ranks.add(new RankGraph(r, List.of(work, msg)));
        }
        Workload w = new Workload(meta("halves"), ranks);
        ResolvedConfig cfg = StepRunnerTest.config(with(EIGHT_CHIPS, "run.rankPlacement=nodes:177"));
        StepRunner.Report r = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(cfg), w, StepExecutor.TimelineSink.NONE);
        assertEquals(1, r.plan().replicaChips());
        assertEquals(7, r.plan().idleChips());
        var rp = r.summary().workload().rankPlacement();
        assertEquals(177, rp.nodesPerRank());
        // the compute ran on 177 nodes: D1RegionCompute's node-region time, slower than on the whole chip
        D1RegionCompute d1 = new D1RegionCompute(new io.dojosim.d1.chip.ChipComputeModel(io.dojosim.d1.bind.D1Binding.chipSim(cfg)));
        ComputeOp work = (ComputeOp) ranks.get(0).op(0);
        long onNodes = d1.timeOnNodes(work, 177, 354).busyPs();
        assertEquals(onNodes / 1e12, r.summary().computeSeconds(), 1e-15);
        assertTrue(onNodes > d1.time(work, 1).busyPs(), "half a chip is slower than a chip");
        // the message stayed on the chip: no die-to-die byte
        assertEquals(0.0, r.summary().utilization().dieToDie());
        assertTrue(r.summary().communicationSeconds() > 0);
        // a node region's HBM traffic goes between its nodes and its chip's tile's DIPs
        List<RankGraph> withLoad = new ArrayList<>(ranks);
        withLoad.set(0, new RankGraph(0, List.of(new io.dojosim.workload.MemoryOp(1, "load", io.dojosim.workload.MemoryOp.Direction.HBM_TO_SRAM,
                1L << 20, "w", List.of(), "", Phase.UNSPECIFIED, -1), ranks.get(0).op(1))));
        StepRunner.Report loaded = StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(cfg), new Workload(meta("halves-load"), withLoad), StepExecutor.TimelineSink.NONE);
        assertTrue(loaded.summary().memorySeconds() > 0 && loaded.summary().utilization().dipHbm() > 0);
        ConfigException bad = assertThrows(ConfigException.class, () -> run(w, with(EIGHT_CHIPS, "run.rankPlacement=nodes:400")));
        assertTrue(bad.getMessage().contains("from 1 to 354"), bad.getMessage());
    }

    @Test
    void collectivesRunOverTheirProcessGroupsRanksOnly() {
        // ranks 0, 1 all-reduce on process group "a", ranks 2, 3 on "b": on a 4 x 1 row of chips the two
        // run side by side on disjoint links, each taking what one all-reduce over two chips takes
        List<RankGraph> four = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            four.add(new RankGraph(r, List.of(new CollectiveOp(1, "ar", CollectiveKind.ALL_REDUCE, 1L << 20,
                    new CommGroup(ParallelDim.ALL, r < 2 ? "a" : "b", List.of(), List.of()), 0, List.of(), "", Phase.UNSPECIFIED, -1))));
        }
        String[] row4 = {"pod.system.scope=tile", "pod.tile.chipsX=4", "pod.tile.chipsY=1", "pod.dip.perTileEdge=1"};
        StepRunner.Report groups = run(new Workload(meta("two-groups"), four), row4);
        StepRunner.Report pair = run(allReduceSet(2, 1L << 20), row4);
        assertEquals(pair.summary().communicationSeconds(), groups.summary().communicationSeconds(), 1e-15);
        // the same with the groups' ranks listed explicitly
        List<RankGraph> listed = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            listed.add(new RankGraph(r, List.of(new CollectiveOp(1, "ar", CollectiveKind.ALL_REDUCE, 1L << 20,
                    new CommGroup(ParallelDim.DATA, "", r < 2 ? List.of(0, 1) : List.of(2, 3), List.of()), 0, List.of(), "", Phase.UNSPECIFIED, -1))));
        }
        assertEquals(pair.summary().communicationSeconds(), run(new Workload(meta("listed"), listed), row4).summary().communicationSeconds(), 1e-15);
        // a whole-set all-reduce over the four is slower than either pair's
        assertTrue(run(allReduceSet(4, 1L << 20), row4).summary().communicationSeconds() > pair.summary().communicationSeconds());
    }

    @Test
    void aMemberThatSkipsACollectiveOfItsGroupIsRefusedNamingRankAndNode() {
        Workload w = new Workload(meta("skip"), List.of(
                new RankGraph(0, List.of(
                        new CollectiveOp(1, "ar1", CollectiveKind.ALL_REDUCE, 1024, CommGroup.of(ParallelDim.ALL), 0, List.of(), "", Phase.UNSPECIFIED, -1),
                        new CollectiveOp(2, "ar2", CollectiveKind.ALL_REDUCE, 1024, CommGroup.of(ParallelDim.ALL), 0, List.of(1L), "", Phase.UNSPECIFIED, -1))),
                new RankGraph(1, List.of(
                        new CollectiveOp(1, "ar1", CollectiveKind.ALL_REDUCE, 1024, CommGroup.of(ParallelDim.ALL), 0, List.of(), "", Phase.UNSPECIFIED, -1)))));
        ConfigException e = assertThrows(ConfigException.class, () -> run(w, EIGHT_CHIPS));
        assertTrue(e.getMessage().contains("rank 0 node 2") && e.getMessage().contains("rank 1 issues only 1"), e.getMessage());
    }
}
