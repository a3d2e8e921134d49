package io.dojosim.pod.step;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.engine.Workers;
import io.dojosim.core.stats.StatDef;
import io.dojosim.core.stats.StatGroup;
import io.dojosim.core.stats.Distribution;
import io.dojosim.core.stats.StatsRegistry;
import io.dojosim.core.stats.Unit;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.chip.ChipComputeModel;
import io.dojosim.pod.FlowNetwork;
import io.dojosim.pod.RegionTransport;
import io.dojosim.pod.LevelUtilization;
import io.dojosim.pod.LinkKind;
import io.dojosim.pod.PodConfig;
import io.dojosim.pod.Topology;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.workload.ComputeOp;
import io.dojosim.workload.Operation;
import io.dojosim.workload.Workload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs training steps of a workload on the machine a config describes: builds the machine, maps
 * the workload ({@link Mapper}), executes the steps ({@link StepExecutor} on a
 * {@link PodStepBackend}) and assembles the summary and statistics of docs/results-format.md.
 * Everything it returns is simulated; the caller adds the {@code host} measurements.
 */
public final class StepRunner {
    /** What a run produced: summary (without {@code host}), statistics tree, the plan, the simulator. */
    public record Report(Map<String, Object> summary, Map<String, Object> stats, Plan plan, long events,
                         List<Map<String, Object>> heatmaps) {
    }

    private StepRunner() {
    }

    /** Runs {@code run.steps} steps of the workload on the calling thread. */
    public static Report run(SystemSpec cfg, Workload w, StepExecutor.TimelineSink timeline) {
        return run(cfg, w, timeline, Workers.single());
    }

    /**
     * Runs {@code run.steps} steps of the workload; the compute operations' chip timings (each a
     * pure function of the operation's shape) are computed on the lanes of {@code workers} before
     * the step starts, and any fine-fidelity mesh splits its routers over them. The result does not
     * depend on the number of threads.
     */
    public static Report run(SystemSpec cfg, Workload w, StepExecutor.TimelineSink timeline, Workers workers) {
        Once first = runOnce(cfg, w, timeline, workers);
        // pod.energy.tilePowerCapWatts: a tile over the cap runs again at the clock the V-f curve allows (docs/model/energy.md#power-cap)
        double cap = cfg.energy().tilePowerCapWatts();
        if (cap <= 0) {
            return first.report();
        }
        long f0 = cfg.node().clockHz();
        io.dojosim.pod.energy.EnergyModel.Breakdown b = first.energy();
        long f = io.dojosim.pod.energy.EnergyModel.throttledClockHz(b.tileWatts(), b.tileDieDynamicWatts(), b.tileDieStaticWatts(),
                cfg.d1Energy(), cfg.energy(), f0, cap);
        Once last = f < f0 ? runOnce(cfg.withNode(cfg.node().withClockHz(f)), w, StepExecutor.TimelineSink.NONE, workers) : first;
        Map<String, Object> pcap = new LinkedHashMap<>();
        pcap.put("tileCapWatts", cap);
        pcap.put("unthrottledTileWatts", b.tileWatts());
        pcap.put("unthrottledClockHz", f0);
        pcap.put("unthrottledStepTimeSeconds", first.report().summary().get("stepTimeSeconds"));
        pcap.put("throttled", f < f0);
        pcap.put("clockHz", f);
        pcap.put("tileWatts", last.energy().tileWatts());
        last.energyBlock().put("powerCap", pcap);
        return last.report();
    }

    /** One simulated run: its report, its energy breakdown and the summary's {@code energy} block (where the power cap adds its record). */
    private record Once(Report report, io.dojosim.pod.energy.EnergyModel.Breakdown energy, Map<String, Object> energyBlock) {
    }

    private static Once runOnce(SystemSpec cfg, Workload w, StepExecutor.TimelineSink timeline, Workers workers) {
        PodConfig pc = PodConfig.of(cfg);
        Topology topo = new Topology(pc);
        NodeParams np = cfg.node();
        Simulator sim = cfg.sim().newSimulator();
        sim.useWorkers(workers);
        FlowNetwork net = new FlowNetwork(sim, topo);

        ChipComputeModel.Fidelity dieFidelity = dieFidelity(cfg);
        // the mapper's estimates use the roofline whatever run.computeFidelity says (they time hundreds of shapes)
        D1RegionCompute roofline = new D1RegionCompute(new ChipComputeModel(cfg.chipSim()));
        Mapper.Mapping mapping = map(cfg, w, topo, pc, np, roofline);
        Plan plan = mapping.plan();
        CollectiveAlgorithm algorithm = cfg.collective().algorithm();
        D1RegionCompute stepCompute = dieFidelity == ChipComputeModel.Fidelity.ROOFLINE ? roofline
                : new D1RegionCompute(new ChipComputeModel(cfg.chipSim(), cfg.run().simulateCalibrationMisses()), dieFidelity);
        // the region of interest (pod.coarse.chipFidelity = packet or flit): its chips' meshes on
        // sim-noc, every transfer that touches them crossing them; with the default (flow) every
        // transfer goes to the flow model unchanged
        RegionTransport transport = new RegionTransport(net, cfg);
        RankMapper.Options ranks = rankOptions(cfg, topo, pc);
        boolean rankFaithful = RankMapper.applies(w, ranks);
        PodStepBackend podBackend = new PodStepBackend(transport, topo, rankFaithful ? RankMapper.podPlan(plan, ranks) : plan, stepCompute, algorithm,
                cfg.collective().chunks(), cfg.collective().pipelineDepth());
        StepBackend backend = rankFaithful ? new RankStepBackend(podBackend, transport, topo, plan, algorithm,
                cfg.collective().chunks(), cfg.collective().pipelineDepth(), stepCompute, ranks)
                : PacedBackend.of(podBackend, podBackend.stageSlowdowns(chipSlowdowns(cfg, topo)));
        if (rankFaithful && !cfg.system().slowChips().isEmpty()) {
            throw new ConfigException("key 'pod.system.slowChips': slow chips are modeled for the mapper's plans, not for a trace's ranks"
                    + " placed on chips (run.traceRanks); leave pod.system.slowChips empty");
        }
        timeComputeInParallel(computeToTime(mapping), backend, workers);
        StepExecutor exec = new StepExecutor(sim, mapping.graph(), backend, cfg.run().commStreams(), cfg.run().memoryStreams(),
                0, timeline, plan.pipelineStages(), mapping.stageOf(), mapping.parts());

        int steps = cfg.run().steps();
        Distribution stepTimes = sim.stats().distribution(STAT_STEP_TIME, STAT_STEP_TIME.name());
        for (int s = 0; s < steps; s++) {
            exec.start();
            sim.run();
            if (!exec.finished()) {
                throw new io.dojosim.core.engine.SimulationError("run", sim.now(), "step " + s
                        + " did not finish: the event queue emptied with operations outstanding");
            }
            stepTimes.record(exec.stepTimePs());
        }
        StepResult r = exec.result();
        Map<String, Object> summary = summary(cfg, w, topo, pc, np, plan, r, stepTimes, exec.communicationLatency(), net, sim, steps);
        summary.put("computeModel", ComputeModelReport.of(stepCompute));
        rankSummary(w, ranks, rankFaithful, plan, summary);
        io.dojosim.pod.energy.EnergyModel.Breakdown energy = energySummary(cfg, topo, pc, plan, summary, net, steps);
        if (!transport.fidelity().equals("flow")) {
            Map<String, Object> region = new LinkedHashMap<>();
            region.put("fidelity", transport.fidelity());
            region.put("chips", java.util.Arrays.stream(transport.regionChips()).boxed().toList());
            region.put("meshedChips", transport.meshedChips().length);
            region.put("meshTransfers", transport.meshTransfers());
            region.put("crossingTransfers", transport.crossingTransfers());
            region.put("flowTransfers", transport.flowTransfers());
            region.put("meshMessages", transport.meshMessages());
            io.dojosim.pod.MeshLinkUsage u = transport.meshLinkUtilization(sim.now());
            region.put("meshLinks", u.links());
            region.put("meshLinkMeanUtilization", u.meanUtilization());
            region.put("meshLinkMaxUtilization", u.maxUtilization());
            region.put("meshLinkBytes", u.bytes());
            summary.put("region", region);
        }
        @SuppressWarnings("unchecked")
        double matrixUtil = (Double) ((Map<String, Object>) summary.get("utilization")).get("nodeMatrixPipe")
                * topo.aliveChips() / Math.max(1, (double) plan.dataParallel() * plan.stageChips() * plan.pipelineStages());
        List<Map<String, Object>> heat = Heatmaps.of(topo, net, podBackend, rankFaithful ? RankMapper.podPlan(plan, ranks) : plan, matrixUtil, pc.meshWidth(), pc.meshHeight(),
                cfg.chip().disabledSites().stream().map(io.dojosim.noc.Site::toString).toList(), sim.now());
        @SuppressWarnings("unchecked")
        Map<String, Object> energyBlock = (Map<String, Object>) summary.get("energy");
        return new Once(new Report(summary, sim.stats().snapshot(sim.now()), plan, sim.eventsExecuted(), heat), energy, energyBlock);
    }

    /** Adds the {@code energy} block (docs/model/energy.md) from the run's utilizations and link bytes; @return its breakdown */
    @SuppressWarnings("unchecked")
    private static io.dojosim.pod.energy.EnergyModel.Breakdown energySummary(SystemSpec cfg, Topology topo, PodConfig pc, Plan plan,
                                                                             Map<String, Object> summary, FlowNetwork net, int steps) {
        io.dojosim.pod.energy.StepEnergy.Params ep = io.dojosim.pod.energy.StepEnergy.Params.from(cfg);
        double stepSeconds = (Double) summary.get("stepTimeSeconds");
        Map<String, Object> wl = (Map<String, Object>) summary.get("workload");
        io.dojosim.pod.energy.EnergyModel.Breakdown b = io.dojosim.pod.energy.StepEnergy.breakdown(ep, pc, topo.aliveChips(), topo.tiles(),
                pc.trayTilesX() * pc.trayTilesY(), usableDips(topo), stepSeconds, (Map<String, Object>) summary.get("utilization"), net.levelUtilization(),
                steps, plan.dataParallel(), DType.parse((String) wl.get("dataType")));
        summary.put("energy", io.dojosim.pod.energy.StepEnergy.block(b, stepSeconds, ((Number) wl.get("samplesPerStep")).longValue(),
                ((Number) summary.get("modeledFlops")).doubleValue(), ep.node().clockHz()));
        return b;
    }

    /** @return how {@code run.computeFidelity} times a whole die's share of matrix work */
    /**
     * @return per global chip index the compute slowdown {@code pod.system.slowChips} gives it (1 elsewhere)
     * @throws ConfigException when an entry names no chip of the machine, or a dead one
     */
    static double[] chipSlowdowns(SystemSpec cfg, Topology topo) {
        double[] s = new double[topo.chips()];
        java.util.Arrays.fill(s, 1.0);
        PodConfig p = topo.config();
        for (SystemSpec.SlowChip c : cfg.system().slowChips()) {
            String entry = c.tile() + "," + c.x() + "," + c.y() + "," + c.slowdown();
            if (c.tile() >= topo.tiles() || c.x() >= p.chipsX() || c.y() >= p.chipsY()) {
                throw new ConfigException("key 'pod.system.slowChips': entry '" + entry + "' names no chip; tiles are 0.." + (topo.tiles() - 1)
                        + ", x 0.." + (p.chipsX() - 1) + ", y 0.." + (p.chipsY() - 1));
            }
            int chip = c.tile() * topo.chipsPerTile() + c.y() * p.chipsX() + c.x();
            if (!topo.alive(chip)) {
                throw new ConfigException("key 'pod.system.slowChips': entry '" + entry + "' names a dead chip (pod.system.deadChips)");
            }
            s[chip] = Math.max(s[chip], c.slowdown());
        }
        return s;
    }

    static ChipComputeModel.Fidelity dieFidelity(SystemSpec cfg) {
        switch (cfg.run().computeFidelity()) {
            case CYCLE: return ChipComputeModel.Fidelity.CYCLE;
            case CALIBRATED: return ChipComputeModel.Fidelity.CALIBRATED;
            default: return ChipComputeModel.Fidelity.ROOFLINE;
        }
    }

    /** @return the plan the mapper chooses for the workload on the configured machine, without simulating it */
    public static Mapper.Mapping map(SystemSpec cfg, Workload w) {
        PodConfig pc = PodConfig.of(cfg);
        return map(cfg, w, new Topology(pc), pc, cfg.node(), new D1RegionCompute(new io.dojosim.d1.chip.ChipComputeModel(cfg.chipSim())));
    }

    static Mapper.Mapping map(SystemSpec cfg, Workload w, Topology topo, PodConfig pc, NodeParams np, RegionComputeModel regionCompute) {
        return map(cfg, w, topo, pc, np, regionCompute, true);
    }

    /** @param buildGraph false to estimate a pipelined plan without building its graph (see {@link Mapper#map}) */
    static Mapper.Mapping map(SystemSpec cfg, Workload w, Topology topo, PodConfig pc, NodeParams np, RegionComputeModel regionCompute,
                              boolean buildGraph) {
        RankMapper.Options ranks = rankOptions(cfg, topo, pc);
        if (!RankMapper.applies(w, ranks)) {
            RankStages.checkPointToPoint(w, ranks.warnUnmatched());
            TraceRanks.check(w, cfg.run().traceRanks());
        }
        Mapper.SystemShape shape = shape(topo, pc, np);
        if (RankMapper.applies(w, ranks)) {
            return RankMapper.map(w, shape, ranks, cfg.run().mapping().optimizerBytesPerParam(),
                    cfg.run().mapping().sramUsableFraction()).mapping();
        }
        // tensor parallelism (docs/model/step.md#tensor-parallelism): one rank's graph on a machine whose chips are groups of t
        SystemSpec.Mapping mp = cfg.run().mapping();
        int tp = mp.tensorParallelOrOne();
        boolean sp = tp > 1 && mp.sequenceParallel();
        TensorParallel.check(w, tp, topo.chipsPerTile());
        int replicaChips = mp.replicaChips();
        if (replicaChips % tp != 0) {
            throw new ConfigException("key 'run.mapping.replicaChips': " + replicaChips + " chips do not divide into tensor-parallel groups of "
                    + tp + " (run.mapping.tensorParallel); allowed: 0 (choose) or a multiple of " + tp);
        }
        w = TensorParallel.shard(w, tp, sp);
        shape = TensorParallel.virtualShape(shape, tp);
        Mapper.Options options = new Mapper.Options(replicaChips / tp, mp.pipelineStages(),
                mp.microBatches(), mp.pipelineSchedule().key(), mp.maxPipelineSlots(),
                mp.optimizerBytesPerParam(), mp.sramUsableFraction(),
                mp.gradientBucketBytes(), mp.activationRecompute(),
                mp.maxPipelineFlows(), cfg.run().batchPerReplica() > 0,
                cfg.run().traceRanks(), mp.zeroStage(), mp.fsdpUnitBytes(),
                mp.fsdpPrefetchUnits(), mp.virtualStagesOrOne());
        Mapper.Mapping m = Mapper.map(w, shape, options, regionCompute, buildGraph);
        return tp == 1 ? m : new Mapper.Mapping(TensorParallel.realPlan(m.plan(), tp, sp, topo.aliveChips()), m.graph(), m.stageOf(), m.parts());
    }

    /** @return the DIPs of the system whose HBM and links are usable */
    static int usableDips(Topology topo) {
        int n = 0;
        for (int d = 0; d < topo.dips(); d++) {
            if (topo.dipUsable(d)) n++;
        }
        return n;
    }

    /** @return the machine as the mapper sees it */
    static Mapper.SystemShape shape(Topology topo, PodConfig pc, NodeParams np) {
        int usableDips = usableDips(topo);
        return new Mapper.SystemShape(topo.aliveChips(), topo.chipsPerTile(), pc.nodesPerChip(), np.sramBytes(),
                usableDips * pc.hbmBytes(), usableDips * Math.min(pc.hbmBps(), pc.dipLinkBps()), pc.dieToDieBps(),
                Math.min(pc.dieToDieBps(), pc.tileEdgeBps() / pc.chipsY()), topo.tilesPerTray());
    }

    /** @return what run.rankPlacement, run.replicateRanks and run.unmatchedPointToPoint say */
    static RankMapper.Options rankOptions(SystemSpec cfg, Topology topo, PodConfig pc) {
        return RankMapper.options(cfg.run().rankPlacement(), cfg.run().replicateRanks(),
                cfg.run().unmatchedPointToPoint(), cfg.run().pointToPointProtocol(), topo.chipsPerTile(), pc.nodesPerChip());
    }

    /**
     * What summary.json says about the ranks: {@code workload.rankPlacement} (placement, chips per
     * rank, copies, idle chips), the note printed on the terminal, and the warnings of unmatched
     * sends and receives ({@code workload.warnings}).
     */
    private static void rankSummary(Workload w, RankMapper.Options ranks, boolean rankFaithful, Plan plan,
                                    Map<String, Object> summary) {
        @SuppressWarnings("unchecked")
        Map<String, Object> wl = (Map<String, Object>) summary.get("workload");
        if (rankFaithful) {
            wl.put("rankNote", RankMapper.note(w, ranks, plan));
            Map<String, Object> rp = new LinkedHashMap<>();
            rp.put("placement", ranks.name());
            rp.put("ranks", w.ranks().size());
            rp.put("chipsPerRank", ranks.chipsPerRank());
            if (ranks.nodesPerRank() > 0) {
                rp.put("nodesPerRank", ranks.nodesPerRank());
                // each operation ran on the region's nodes, not a whole chip: the node-level utilizations scale by that share
                @SuppressWarnings("unchecked")
                Map<String, Object> util = (Map<String, Object>) summary.get("utilization");
                double share = (double) ranks.nodesPerRank() / ranks.nodesPerChip();
                for (String k : List.of("nodeMatrixPipe", "nodeSimdPipe", "nodeSram")) {
                    util.put(k, (Double) util.get(k) * share);
                }
            }
            rp.put("replicated", ranks.replicate());
            rp.put("copies", plan.dataParallel());
            rp.put("idleChips", plan.idleChips());
            // ranks whose graphs do the same work are data-parallel replicas of each other (a DDP
            // or FSDP trace): each processes its own batch, so a step's samples are ranks x batch.
            // Ranks that differ (pipeline stages, tensor shards) share one batch.
            boolean dataParallelRanks = w.ranks().size() > 1 && TraceRanks.firstDifference(w) == null;
            rp.put("dataParallelRanks", dataParallelRanks);
            if (dataParallelRanks) {
                int n = w.ranks().size();
                for (String k : List.of("samplesPerStep", "tokensPerStep")) {
                    wl.put(k, ((Number) wl.get(k)).longValue() * n);
                }
                for (String k : List.of("samplesPerSecond", "tokensPerSecond")) {
                    summary.put(k, ((Number) summary.get(k)).doubleValue() * n);
                }
            }
            wl.put("rankPlacement", rp);
        }
        List<String> warnings = RankStages.checkPointToPoint(w, ranks.warnUnmatched());
        if (!warnings.isEmpty()) {
            wl.put("warnings", warnings);
        }
    }

    /** @return the compute operations the executor will time: the graph's, or the parts of its fused pipeline operations */
    static List<Operation> computeToTime(Mapper.Mapping mapping) {
        if (mapping.parts().isEmpty()) {
            return mapping.graph().ops();
        }
        java.util.Map<List<ComputeOp>, Boolean> seen = new java.util.IdentityHashMap<>();
        List<Operation> out = new java.util.ArrayList<>();
        for (List<ComputeOp> p : mapping.parts().values()) {
            if (seen.put(p, Boolean.TRUE) == null) out.addAll(p);
        }
        return out;
    }

    /**
     * Times every compute operation once, spread over the team's lanes: each lane takes the next
     * untimed operation, largest first, until none is left. The backend caches each answer, a pure function of the
     * operation, so the executor later reads the same values whatever thread computed them.
     */
    static void timeComputeInParallel(List<Operation> ops, StepBackend backend, Workers workers) {
        List<ComputeOp> compute = new java.util.ArrayList<>();
        for (Operation o : ops) {
            if (o instanceof ComputeOp c) compute.add(c);
        }
        // largest first (by FLOPs, a proxy of the cost), so no lane is left with a big one at the end
        compute.sort(java.util.Comparator.comparingLong(ComputeOp::flops).reversed());
        int lanes = workers.lanesFor(Math.min(workers.threads(), compute.size()));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        workers.run((lane, k) -> {
            long timed = 0;
            for (int i = next.getAndIncrement(); i < compute.size(); i = next.getAndIncrement()) {
                backend.compute(compute.get(i));
                timed++;
            }
            workers.countItems(lane, timed);
        }, lanes);
    }

    private static Map<String, Object> summary(SystemSpec cfg, Workload w, Topology topo, PodConfig pc, NodeParams np,
                                               Plan plan, StepResult r, Distribution stepTimes, Distribution latency,
                                               FlowNetwork net, Simulator sim, int steps) {
        DType dtype = D1RegionCompute.dtype(w.metadata().dataTypes().isEmpty()
                ? io.dojosim.workload.DataType.BF16 : w.metadata().dataTypes().get(0));
        double stepSeconds = stepTimes.mean() / 1e12;
        if (stepSeconds <= 0) {
            throw new ConfigException("workload '" + w.metadata().name() + "' has no operation that takes time; nothing to simulate");
        }
        int d = plan.dataParallel();
        long replicaBatch = plan.samplesPerReplica(w.metadata().batchSize());
        long samplesPerStep = (long) d * replicaBatch;
        long tokensPerStep = replicaBatch == w.metadata().batchSize() ? (long) d * w.metadata().tokensPerStep()
                : (long) d * w.metadata().tokensPerStep() / w.metadata().batchSize() * replicaBatch;
        // each of a tensor-parallel group's ranks ran the simulated graph's FLOPs
        double flopsPerStep = (double) r.modeledFlops() / steps * d * plan.tensorParallel();
        double peak = (double) topo.aliveChips() * pc.nodesPerChip() * np.peakFlopsPerSecond(dtype);
        double achieved = flopsPerStep / stepSeconds;
        // every operation runs on one stage's chips; summed over the stages' operations this is the node busy time
        double busyNodesFraction = (double) d * plan.stageChips() / topo.aliveChips();
        double window = stepSeconds * steps * 1e12;

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schemaVersion", 1);
        Map<String, Object> wl = new LinkedHashMap<>();
        wl.put("name", w.metadata().name());
        wl.put("source", w.metadata().source());
        wl.put("batchPerReplica", replicaBatch);
        wl.put("samplesPerStep", samplesPerStep);
        wl.put("tokensPerStep", tokensPerStep);
        wl.put("parameters", w.metadata().parameterCount());
        wl.put("dataType", dtype.key());
        wl.put("ranks", w.ranks().size());
        String rankNote = TraceRanks.note(w, cfg.run().traceRanks());
        if (rankNote != null) {
            wl.put("rankNote", rankNote);
        }
        s.put("workload", wl);
        Map<String, Object> sys = new LinkedHashMap<>();
        sys.put("scope", pc.scope());
        sys.put("tiles", topo.tiles());
        sys.put("chips", topo.aliveChips());
        sys.put("nodes", (long) topo.aliveChips() * pc.nodesPerChip());
        sys.put("peakTflops", peak / 1e12);
        s.put("system", sys);
        Map<String, Object> pl = new LinkedHashMap<>();
        pl.put("dataParallel", plan.dataParallel());
        pl.put("replicaChips", plan.replicaChips());
        pl.put("tensorParallelChips", plan.stageChips());
        pl.put("tensorParallel", plan.tensorParallel());
        pl.put("sequenceParallel", plan.sequenceParallel());
        pl.put("virtualStages", plan.virtualStages());
        pl.put("pipelineStages", plan.pipelineStages());
        pl.put("stageChips", plan.stageChips());
        pl.put("microBatches", plan.microBatches());
        pl.put("pipelineSchedule", plan.schedule());
        pl.put("estimatedStepSeconds", plan.estimatedStepSeconds());
        // share of the stages' time without compute: the pipeline bubble and any stall, as simulated
        pl.put("stageIdleFraction", 1.0 - (double) r.stageComputePs() / ((double) r.stages() * stepTimes.mean() * steps));
        pl.put("idleChips", plan.idleChips());
        pl.put("foldedReplicas", Math.max(0, plan.dataParallel() - 1));
        pl.put("footprintBytes", plan.footprintBytes());
        pl.put("regionSramBytes", plan.regionSramBytes());
        pl.put("streamedFromHbmBytes", plan.streamedBytes());
        pl.put("gradientBuckets", plan.gradientBuckets());
        pl.put("reason", plan.reason());
        s.put("plan", pl);
        s.put("steps", steps);
        s.put("stepTimeSeconds", stepSeconds);
        s.put("samplesPerSecond", samplesPerStep / stepSeconds);
        s.put("tokensPerSecond", tokensPerStep / stepSeconds);
        s.put("modeledFlops", flopsPerStep);
        s.put("achievedTflops", achieved / 1e12);
        s.put("peakTflops", peak / 1e12);
        s.put("mfu", achieved / peak);
        s.put("computeSeconds", r.computePs() / 1e12 / steps);
        s.put("communicationSeconds", r.communicationPs() / 1e12 / steps);
        s.put("exposedCommunicationSeconds", r.exposedCommunicationPs() / 1e12 / steps);
        s.put("memorySeconds", r.memoryPs() / 1e12 / steps);
        Map<String, Object> byType = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : r.timeByTypePs().entrySet()) {
            byType.put(e.getKey(), e.getValue() / 1e12 / steps);
        }
        s.put("timeByOpType", byType);
        Map<String, Object> lim = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : r.limiterPs().entrySet()) {
            lim.put(e.getKey(), e.getValue() / 1e12 / steps);
        }
        s.put("computeLimitedBy", lim);
        Map<String, Object> util = new LinkedHashMap<>();
        util.put("nodeMatrixPipe", r.matrixBusyPs() / window * busyNodesFraction);
        util.put("nodeSimdPipe", r.simdBusyPs() / window * busyNodesFraction);
        util.put("nodeSram", r.sramBusyPs() / window * busyNodesFraction);
        Map<LinkKind, LevelUtilization> levels = new LinkedHashMap<>();
        for (LevelUtilization u : net.levelUtilization()) {
            levels.put(u.kind(), u);
        }
        util.put("meshLinks", mean(levels, LinkKind.MESH));
        util.put("dieToDie", mean(levels, LinkKind.DIE_TO_DIE));
        util.put("tileToTile", mean(levels, LinkKind.TILE_EDGE));
        util.put("dipLinks", mean(levels, LinkKind.DIP_LINK));
        util.put("dipHbm", mean(levels, LinkKind.HBM));
        util.put("ethernet", mean(levels, LinkKind.ETHERNET));
        s.put("utilization", util);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("count", latency.count());
        lat.put("meanSeconds", latency.mean() / 1e12);
        lat.put("p50Seconds", latency.percentile(50) / 1e12);
        lat.put("p99Seconds", latency.percentile(99) / 1e12);
        lat.put("maxSeconds", latency.max() / 1e12);
        s.put("messageLatency", lat);
        Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("modeled", r.modeledOps() / steps);
        ops.put("replayed", r.replayedOps() / steps);
        io.dojosim.workload.ImportCosting trace = io.dojosim.workload.ImportCosting.of(w.metadata());
        if (trace != null) { // what the trace importer re-costed and replayed, over all rank graphs of the trace
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("recosted", trace.recosted());
            t.put("replayed", trace.replayed());
            t.put("replayedShareOfRecordedTime", trace.replayedShare());
            t.put("summary", trace.line());
            ops.put("trace", t);
        }
        s.put("operations", ops);
        registerLevelStats(sim.stats(), levels);
        return s;
    }

    private static double mean(Map<LinkKind, LevelUtilization> levels, LinkKind k) {
        LevelUtilization u = levels.get(k);
        return u == null ? 0.0 : u.meanUtilization();
    }

    private static void registerLevelStats(StatsRegistry stats, Map<LinkKind, LevelUtilization> levels) {
        for (LevelUtilization u : levels.values()) {
            String level = u.kind().name().toLowerCase(Locale.ROOT).replace("_", "");
            stats.gauge(STAT_LINK_MEAN, STAT_LINK_MEAN.name(level), u::meanUtilization);
            stats.gauge(STAT_LINK_MAX, STAT_LINK_MAX.name(level), u::maxUtilization);
            stats.gauge(STAT_LINK_BYTES, STAT_LINK_BYTES.name(level), u::bytes);
            stats.gauge(STAT_LINKS_USED, STAT_LINKS_USED.name(level), () -> u.linksUsed());
        }
    }

    private static final StatDef STAT_STEP_TIME = StatDef.distribution("run.stepTimePs", Unit.PS, "simulated time of each training step");
    private static final StatDef STAT_LINK_MEAN = StatDef.gauge("run.links.{level}.meanUtilization", Unit.RATIO,
            "mean utilization of the level's links over the run");
    private static final StatDef STAT_LINK_MAX = StatDef.gauge("run.links.{level}.maxUtilization", Unit.RATIO,
            "utilization of the level's busiest link over the run");
    private static final StatDef STAT_LINK_BYTES = StatDef.gauge("run.links.{level}.bytes", Unit.BYTES,
            "bytes carried by the level's links (a byte crossing n links counts n times)");
    private static final StatDef STAT_LINKS_USED = StatDef.gauge("run.links.{level}.linksUsed", Unit.COUNT,
            "links of the level that carried any byte");

    /** The run's own statistics; {@code {level}} is a link level in lower case without underscores (mesh, dietodie, ...). */
    public static final StatGroup STATS = new StatGroup("StepRunner",
            "the training run: step times and the links each level used (dojosim run)",
            java.util.List.of(STAT_STEP_TIME, STAT_LINK_MEAN, STAT_LINK_MAX, STAT_LINK_BYTES, STAT_LINKS_USED));
}
