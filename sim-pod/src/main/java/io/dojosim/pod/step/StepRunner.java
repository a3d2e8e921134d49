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
    /**
     * What a run produced: the summary (without {@code host}), the statistics tree, the plan, the
     * events the simulator executed and the run's heatmaps.
     */
    /** @param timeline the step's streams as busy intervals (timeline.json, not summary.json) */
    public record Report(StepSummary summary, io.dojosim.core.stats.StatsSnapshot stats, Plan plan, long events, List<Heatmap> heatmaps,
                         RooflineBlock.Timeline timeline) {
        public Report {
            heatmaps = List.copyOf(heatmaps);
        }
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
        io.dojosim.pod.energy.EnergyBlock.PowerCap pcap = new io.dojosim.pod.energy.EnergyBlock.PowerCap(cap, b.tileWatts(), f0,
                first.report().summary().stepTimeSeconds(), f < f0, f, last.energy().tileWatts());
        Report r = last.report();
        return new Report(r.summary().withEnergy(r.summary().energy().withPowerCap(pcap)), r.stats(), r.plan(), r.events(), r.heatmaps(), r.timeline());
    }

    /** One simulated run: its report and its energy breakdown. */
    private record Once(Report report, io.dojosim.pod.energy.EnergyModel.Breakdown energy) {
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
                : new D1RegionCompute(new ChipComputeModel(cfg.chipSim(), cfg.run().simulateCalibrationMisses(),
                        io.dojosim.d1.bind.D1Binding.defaultChipSim()), dieFidelity);
        // the region of interest (pod.coarse.chipFidelity = packet or flit): its chips' meshes on
        // sim-noc, every transfer that touches them crossing them; with the default (flow) every
        // transfer goes to the flow model unchanged
        RegionTransport transport = new RegionTransport(net, cfg);
        RankMapper.Options ranks = rankOptions(cfg, topo, pc);
        boolean rankFaithful = RankMapper.applies(w, ranks);
        PodStepBackend podBackend = new PodStepBackend(transport, topo, rankFaithful ? RankMapper.podPlan(plan, ranks) : plan, stepCompute, algorithm,
                cfg.collective().chunks(), cfg.collective().pipelineDepth());
        StepBackend backend;
        if (rankFaithful) {
            // slow chips (and chips that lost nodes) pace the ranks placed on them
            RankStepBackend rb = new RankStepBackend(podBackend, transport, topo, plan, algorithm,
                    cfg.collective().chunks(), cfg.collective().pipelineDepth(), stepCompute, ranks);
            backend = PacedBackend.of(rb, rb.laneSlowdowns(chipSlowdowns(cfg, topo)));
        } else {
            backend = PacedBackend.of(podBackend, podBackend.stageSlowdowns(chipSlowdowns(cfg, topo)));
        }
        if (!rankFaithful) checkDeadNodeSram(cfg, topo, np, plan, podBackend);
        timeComputeInParallel(computeToTime(mapping), backend, workers);
        PowerProfile.Recorder power = new PowerProfile.Recorder(timeline); // peak power
        timeline.placement(TimelinePlacement.of(topo, podBackend, rankFaithful ? RankMapper.podPlan(plan, ranks) : plan)); // tracks per tile and chip
        StepExecutor exec = new StepExecutor(sim, mapping.graph(), backend, cfg.run().commStreams(), cfg.run().memoryStreams(),
                0, power, plan.pipelineStages(), mapping.stageOf(), mapping.parts());

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
        StepSummary t = summary(cfg, w, topo, pc, np, plan, r, stepTimes, exec.communicationLatency(), net, sim, steps);
        t = rankSummary(w, ranks, rankFaithful, plan, t);
        io.dojosim.pod.energy.EnergyModel.Breakdown energy = io.dojosim.pod.energy.StepEnergy.breakdown(
                io.dojosim.pod.energy.StepEnergy.Params.from(cfg), pc, topo.aliveChips(), topo.tiles(), pc.trayTilesX() * pc.trayTilesY(),
                usableDips(topo), t.stepTimeSeconds(), t.utilization().nodeMatrixPipe(), t.utilization().nodeSimdPipe(),
                t.utilization().nodeSram(), net.levelUtilization(), steps, plan.dataParallel(), DType.parse(t.workload().dataType()));
        StepSummary.Region region = null;
        if (!transport.fidelity().equals("flow")) {
            io.dojosim.pod.MeshLinkUsage u = transport.meshLinkUtilization(sim.now());
            region = new StepSummary.Region(transport.fidelity(), java.util.Arrays.stream(transport.regionChips()).boxed().toList(),
                    transport.meshedChips().length, transport.meshTransfers(), transport.crossingTransfers(), transport.flowTransfers(),
                    transport.meshMessages(), u.links(), u.meanUtilization(), u.maxUtilization(), u.bytes());
        }
        t = t.withRoofline(RooflineBlock.of(exec.computeWorkByType(), r.timeByTypePs(), steps, plan.stageChips(), pc.nodesPerChip(), np,
                D1RegionCompute.dtype(w.metadata().dataTypes().isEmpty() ? io.dojosim.workload.DataType.BF16 : w.metadata().dataTypes().get(0))));
        RooflineBlock.Timeline streams = RooflineBlock.timeline(exec.streamIntervals(RooflineBlock.TIMELINE_INTERVALS), exec.stepTimePs());
        StepSummary summary = t.withModels(ComputeModelReport.of(stepCompute),
                peakPower(power.profile(), io.dojosim.pod.energy.EnergyBlock.of(energy, t.workload().samplesPerStep(), t.modeledFlops(), np.clockHz()),
                        t.stepTimeSeconds(), topo, plan, steps), region);
        double matrixUtil = summary.utilization().nodeMatrixPipe()
                * topo.aliveChips() / Math.max(1, (double) plan.dataParallel() * plan.stageChips() * plan.pipelineStages());
        List<Heatmap> heat = Heatmaps.of(topo, net, podBackend, rankFaithful ? RankMapper.podPlan(plan, ranks) : plan, matrixUtil, pc.meshWidth(), pc.meshHeight(),
                cfg.chip().disabledSites().stream().map(io.dojosim.noc.Site::toString).toList(), sim.now());
        return new Once(new Report(summary, io.dojosim.core.stats.StatsSnapshot.of(sim.stats(), sim.now()), plan, sim.eventsExecuted(), heat, streams), energy);
    }

    /** @return the step's {@code energy} block with its peak powers (system, perTile, perChip; docs/model/energy.md#power) */
    private static io.dojosim.pod.energy.EnergyBlock peakPower(PowerProfile profile, io.dojosim.pod.energy.EnergyBlock e, double stepSeconds,
                                                              Topology topo, Plan plan, int steps) {
        PowerProfile.Track[] t = profile.levels(e, stepSeconds, steps, topo.tiles(), topo.aliveChips(), plan.dataParallel() * plan.replicaChips());
        return e.withPeak(new io.dojosim.pod.energy.EnergyBlock.Peak(t[0].peakWatts(), t[1].peakWatts(), t[2].peakWatts()));
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
            int chip = aliveChip(topo, "pod.system.slowChips", entry, c.tile(), c.x(), c.y());
            s[chip] = Math.max(s[chip], c.slowdown());
        }
        int nodes = p.nodesPerChip();
        int[] dead = deadNodes(cfg, topo);
        for (int chip = 0; chip < s.length; chip++) {
            if (dead[chip] > 0) s[chip] *= nodes / (double) (nodes - dead[chip]);   // its share of the stage's work on fewer nodes
        }
        return s;
    }

    /**
     * @return the global index of chip (x, y) of tile {@code tile}, named by {@code entry} of the list {@code key}
     * @throws ConfigException when it names no chip of the machine, or a dead one
     */
    private static int aliveChip(Topology topo, String key, String entry, int tile, int x, int y) {
        PodConfig p = topo.config();
        if (tile >= topo.tiles() || x >= p.chipsX() || y >= p.chipsY()) {
            throw new ConfigException("key '" + key + "': entry '" + entry + "' names no chip; tiles are 0.." + (topo.tiles() - 1)
                    + ", x 0.." + (p.chipsX() - 1) + ", y 0.." + (p.chipsY() - 1));
        }
        int chip = tile * topo.chipsPerTile() + y * p.chipsX() + x;
        if (!topo.alive(chip)) {
            throw new ConfigException("key '" + key + "': entry '" + entry + "' names a dead chip (pod.system.deadChips)");
        }
        return chip;
    }

    /**
     * @return per global chip index the nodes {@code pod.system.deadNodes} takes from it beyond the harvested ones (0 elsewhere)
     * @throws ConfigException when an entry names no chip, a dead one, or leaves a chip no node
     */
    static int[] deadNodes(SystemSpec cfg, Topology topo) {
        int[] d = new int[topo.chips()];
        PodConfig p = topo.config();
        for (SystemSpec.DeadNodes c : cfg.system().deadNodes()) {
            String entry = c.tile() + "," + c.x() + "," + c.y() + "," + c.nodes();
            int chip = aliveChip(topo, "pod.system.deadNodes", entry, c.tile(), c.x(), c.y());
            d[chip] += c.nodes();
            if (d[chip] >= p.nodesPerChip()) {
                throw new ConfigException("key 'pod.system.deadNodes': entry '" + entry + "' leaves chip " + c.tile() + "," + c.x() + "," + c.y()
                        + " no node (" + d[chip] + " dead of d1.chip.activeNodes = " + p.nodesPerChip() + "); allowed: 1 to "
                        + (p.nodesPerChip() - 1) + " in all per chip (a chip with none is pod.system.deadChips)");
            }
        }
        return d;
    }

    /**
     * Refuses a plan whose resident bytes per chip (the replica's footprint less what it streams
     * from HBM, spread evenly over its chips) no longer fit the usable SRAM of a plan chip that
     * lost nodes ({@code pod.system.deadNodes}); the plan is fixed, so it is not re-planned.
     */
    static void checkDeadNodeSram(SystemSpec cfg, Topology topo, NodeParams np, Plan plan, PodStepBackend b) {
        int[] dead = deadNodes(cfg, topo);
        int nodes = topo.config().nodesPerChip();
        long resident = (long) Math.ceil((plan.footprintBytes() - plan.streamedBytes()) / (double) plan.replicaChips());
        for (int r = 0; r < plan.dataParallel(); r++) {
            for (int st = 0; st < plan.pipelineStages(); st++) {
                for (int j = 0; j < plan.stageChips(); j++) {
                    int chip = b.chip(r, st, j);
                    if (dead[chip] == 0) continue;
                    long cap = (long) ((nodes - dead[chip]) * (double) np.sramBytes() * cfg.run().mapping().sramUsableFraction());
                    if (resident > cap) {
                        throw new ConfigException("key 'pod.system.deadNodes': chip " + topo.tileOf(chip) + "," + topo.chipX(chip) + "," + topo.chipY(chip)
                                + " keeps " + (nodes - dead[chip]) + " of " + nodes + " nodes, " + cap + " bytes of usable SRAM, but the plan keeps "
                                + resident + " bytes resident on each of its chips; allowed: dead nodes that leave the plan's chips room");
                    }
                }
            }
        }
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
    private static StepSummary rankSummary(Workload w, RankMapper.Options ranks, boolean rankFaithful, Plan plan, StepSummary s) {
        StepSummary.Workload wl = s.workload();
        List<String> warnings = RankStages.checkPointToPoint(w, ranks.warnUnmatched());
        if (!rankFaithful) {
            return s.withWorkload(wl.withRanks(wl.rankNote(), null, warnings));
        }
        StepSummary.Utilization util = s.utilization();
        if (ranks.nodesPerRank() > 0) {
            // each operation ran on the region's nodes, not a whole chip: the node-level utilizations scale by that share
            util = util.scaleNodes((double) ranks.nodesPerRank() / ranks.nodesPerChip());
        }
        // ranks whose graphs do the same work are data-parallel replicas of each other (a DDP
        // or FSDP trace): each processes its own batch, so a step's samples are ranks x batch.
        // Ranks that differ (pipeline stages, tensor shards) share one batch.
        boolean dataParallelRanks = w.ranks().size() > 1 && TraceRanks.firstDifference(w) == null;
        StepSummary.RankPlacement rp = new StepSummary.RankPlacement(ranks.name(), w.ranks().size(), ranks.chipsPerRank(),
                ranks.nodesPerRank(), ranks.replicate(), plan.dataParallel(), plan.idleChips(), dataParallelRanks);
        wl = wl.withRanks(RankMapper.note(w, ranks, plan), rp, warnings);
        double samplesPerSecond = s.samplesPerSecond();
        double tokensPerSecond = s.tokensPerSecond();
        if (dataParallelRanks) {
            int n = w.ranks().size();
            wl = wl.withSamples(wl.samplesPerStep() * n, wl.tokensPerStep() * n);
            samplesPerSecond *= n;
            tokensPerSecond *= n;
        }
        return s.withWorkload(wl).withRates(samplesPerSecond, tokensPerSecond).withUtilization(util);
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
     * operation, so the executor later reads the same values whatever thread computed them. Operations
     * alike in the key of the backend's cache ({@link D1RegionCompute#opKey}) and in where they run are
     * handed out once: sorted by FLOPs they would sit side by side, and the second lane would only wait for
     * the first one's chip simulation of the same shape (the others read the cache during the step).
     */
    static void timeComputeInParallel(List<Operation> ops, StepBackend backend, Workers workers) {
        List<ComputeOp> compute = new java.util.ArrayList<>();
        java.util.Set<String> alike = new java.util.HashSet<>();
        for (Operation o : ops) {
            if (o instanceof ComputeOp c && alike.add(D1RegionCompute.opKey(c) + c.onHost())) {
                compute.add(c);
            }
        }
        // largest first (by FLOPs, a proxy of the cost), so no lane is left with a big one at the end
        compute.sort(java.util.Comparator.comparingLong(ComputeOp::flops).reversed());
        // each item is a whole formula or chip simulation, not a cycle: no barrier per item to weigh
        int lanes = Math.max(1, Math.min(workers.threads(), compute.size()));
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

    private static StepSummary summary(SystemSpec cfg, Workload w, Topology topo, PodConfig pc, NodeParams np,
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

        io.dojosim.workload.ImportCosting trace = io.dojosim.workload.ImportCosting.of(w.metadata());
        StepSummary.Workload wl = new StepSummary.Workload(w.metadata().name(), w.metadata().source(), replicaBatch, samplesPerStep,
                tokensPerStep, w.metadata().parameterCount(), dtype.key(), w.ranks().size(), TraceRanks.note(w, cfg.run().traceRanks()),
                null, List.of(), null);
        StepSummary.SystemInfo sys = new StepSummary.SystemInfo(pc.scope(), topo.tiles(), topo.aliveChips(),
                (long) topo.aliveChips() * pc.nodesPerChip(), peak / 1e12);
        StepSummary.PlanInfo pl = new StepSummary.PlanInfo(plan.dataParallel(), plan.replicaChips(), plan.stageChips(),
                plan.tensorParallel(), plan.sequenceParallel(), plan.virtualStages(), plan.pipelineStages(),
                plan.stageChips(), plan.microBatches(), plan.schedule(), plan.estimatedStepSeconds(),
                // share of the stages' time without compute: the pipeline bubble and any stall, as simulated
                1.0 - (double) r.stageComputePs() / ((double) r.stages() * stepTimes.mean() * steps),
                plan.idleChips(), Math.max(0, plan.dataParallel() - 1), plan.footprintBytes(), plan.regionSramBytes(), plan.streamedBytes(),
                plan.gradientBuckets(), plan.reason(), null);
        Map<String, Double> byType = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : r.timeByTypePs().entrySet()) {
            byType.put(e.getKey(), e.getValue() / 1e12 / steps);
        }
        Map<String, Double> lim = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : r.limiterPs().entrySet()) {
            lim.put(e.getKey(), e.getValue() / 1e12 / steps);
        }
        Map<LinkKind, LevelUtilization> levels = new LinkedHashMap<>();
        for (LevelUtilization u : net.levelUtilization()) {
            levels.put(u.kind(), u);
        }
        StepSummary.Utilization util = new StepSummary.Utilization(r.matrixBusyPs() / window * busyNodesFraction,
                r.simdBusyPs() / window * busyNodesFraction, r.sramBusyPs() / window * busyNodesFraction, mean(levels, LinkKind.MESH),
                mean(levels, LinkKind.DIE_TO_DIE), mean(levels, LinkKind.TILE_EDGE), mean(levels, LinkKind.DIP_LINK),
                mean(levels, LinkKind.HBM), mean(levels, LinkKind.ETHERNET));
        StepSummary.MessageLatency lat = new StepSummary.MessageLatency(latency.count(), latency.mean() / 1e12,
                latency.percentile(50) / 1e12, latency.percentile(99) / 1e12, latency.max() / 1e12);
        // what the trace importer re-costed and replayed, over all rank graphs of the trace
        StepSummary.Operations ops = new StepSummary.Operations(r.modeledOps() / steps, r.replayedOps() / steps, trace == null ? null
                : new StepSummary.TraceCosting(trace.recosted(), trace.replayed(), trace.replayedShare(), trace.line()));
        registerLevelStats(sim.stats(), levels);
        return new StepSummary(wl, sys, pl, steps, stepSeconds, samplesPerStep / stepSeconds, tokensPerStep / stepSeconds, flopsPerStep,
                achieved / 1e12, peak / 1e12, achieved / peak, r.computePs() / 1e12 / steps, r.communicationPs() / 1e12 / steps,
                r.exposedCommunicationPs() / 1e12 / steps, r.memoryPs() / 1e12 / steps, byType, lim, util, lat, ops, null, null, null, null);
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
