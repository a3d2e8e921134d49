package io.dojosim.pod.bind;

import io.dojosim.core.bind.CoreBinding;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.d1.bind.D1Binding;
import io.dojosim.noc.bind.NocBinding;
import io.dojosim.pod.PodConfig;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.pod.step.PlanSearch;

/**
 * Binds a resolved config into the {@link SystemSpec} tree, once, at the edge: the commands call
 * {@link #bind(ResolvedConfig)} and hand the records on. Every {@code pod.*} and {@code run.*} key is
 * read here and nowhere else; the {@code sim}, {@code noc} and {@code d1} groups are read by their
 * own modules' binders ({@link CoreBinding}, {@link NocBinding}, {@link D1Binding}), which this one
 * calls (docs/adr/0082-typed-system-spec.md).
 */
public final class SpecBinder {
    private SpecBinder() {
    }

    /**
     * @return the system the config describes
     * @throws ConfigException when values contradict each other (the machine's checks run here, once)
     */
    public static SystemSpec bind(ResolvedConfig c) {
        SystemSpec s = new SystemSpec(CoreBinding.sim(c), NocBinding.noc(c), NocBinding.routingExplicit(c), D1Binding.node(c), D1Binding.chip(c),
                tile(c), tray(c), dip(c), ethernet(c), size(c), coarse(c), collective(c), run(c), D1Binding.energy(c), podEnergy(c));
        PodConfig.of(s); // the machine's cross-group checks (DIPs per edge, active sites), before any model sees the spec
        return s;
    }

    /** @return the enum constant an enum key names (the catalog has already checked the key is one of its words) */
    static <E extends Enum<E>> E named(Class<E> type, String key) {
        return Enum.valueOf(type, key.toUpperCase(java.util.Locale.ROOT));
    }

    static SystemSpec.Tile tile(ResolvedConfig c) {
        return new SystemSpec.Tile(c.getInt("pod.tile.chipsX"), c.getInt("pod.tile.chipsY"), c.getDouble("pod.tile.edgeBytesPerSecond"),
                c.getBool("pod.tile.edgeRateCountsBothDirections"), c.getLong("pod.tile.tileToTileLatencyPs"));
    }

    static SystemSpec.Tray tray(ResolvedConfig c) {
        return new SystemSpec.Tray(c.getInt("pod.tray.tilesX"), c.getInt("pod.tray.tilesY"));
    }

    static SystemSpec.Dip dip(ResolvedConfig c) {
        return new SystemSpec.Dip(c.getInt("pod.dip.perTileEdge"), c.getLong("pod.dip.hbmBytes"), c.getDouble("pod.dip.hbmBytesPerSecond"),
                c.getLong("pod.dip.hbmLatencyPs"), c.getDouble("pod.dip.tileLinkBytesPerSecond"), c.getLong("pod.dip.tileLinkLatencyPs"),
                c.getDouble("pod.dip.ethernetBytesPerSecond"), c.getDouble("pod.dip.pcieBytesPerSecond"), c.getLong("pod.dip.pcieLatencyPs"));
    }

    static SystemSpec.Ethernet ethernet(ResolvedConfig c) {
        return new SystemSpec.Ethernet(c.getLong("pod.ethernet.oneWayLatencyPs"), c.getDouble("pod.ethernet.efficiency"));
    }

    static SystemSpec.Size size(ResolvedConfig c) {
        return new SystemSpec.Size(named(SystemSpec.Scope.class, c.getString("pod.system.scope")), c.getInt("pod.system.cabinets"),
                c.getInt("pod.system.traysPerCabinet"), c.getBool("pod.system.tileMeshAcrossTrays"), c.getStringList("pod.system.deadChips"),
                c.getStringList("pod.system.deadLinks"), slowChips(c), deadNodes(c));
    }

    /** @return the {@code pod.system.deadNodes} entries "tile,x,y,nodes", parsed (chips and node counts are checked against the machine by the step runner) */
    static java.util.List<SystemSpec.DeadNodes> deadNodes(ResolvedConfig c) {
        return chipEntries(c, "pod.system.deadNodes", "is not \"tile,x,y,nodes\" (four integers)", (e, where) -> {
            int n = Integer.parseInt(e.value());
            if (e.tile() < 0 || e.x() < 0 || e.y() < 0 || n < 1) {
                throw new ConfigException(where + "is not allowed: tile, x and y must be >= 0 and nodes >= 1");
            }
            return new SystemSpec.DeadNodes(e.tile(), e.x(), e.y(), n);
        });
    }

    /** @return the {@code pod.system.slowChips} entries "tile,x,y,slowdown", parsed (chip ranges are checked against the machine by the step runner) */
    static java.util.List<SystemSpec.SlowChip> slowChips(ResolvedConfig c) {
        return chipEntries(c, "pod.system.slowChips", "is not \"tile,x,y,slowdown\" (three integers and a number >= 1)", (e, where) -> {
            double s = Double.parseDouble(e.value());
            if (e.tile() < 0 || e.x() < 0 || e.y() < 0 || !(s >= 1.0) || Double.isInfinite(s)) {
                throw new ConfigException(where + "is not allowed: tile, x and y must be >= 0 and the slowdown a finite number >= 1");
            }
            return new SystemSpec.SlowChip(e.tile(), e.x(), e.y(), s);
        });
    }

    /** One "tile,x,y,value" entry of a per-chip list key, its value not yet parsed. */
    private record ChipEntry(int tile, int x, int y, String value) {
    }

    /**
     * @param malformed what the message says when an entry is not four comma-separated fields or a
     *                  field does not parse
     * @param parse     the value parsed and checked; it may throw NumberFormatException (reported as malformed)
     * @return the list key's entries, parsed
     */
    private static <T> java.util.List<T> chipEntries(ResolvedConfig c, String key, String malformed,
                                                     java.util.function.BiFunction<ChipEntry, String, T> parse) {
        java.util.List<T> out = new java.util.ArrayList<>();
        for (String e : c.getStringList(key)) {
            String[] f = e.split(",");
            String where = c.origins().get(key) + ": key '" + key + "': entry '" + e + "' ";
            try {
                if (f.length != 4) throw new NumberFormatException();
                out.add(parse.apply(new ChipEntry(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()),
                        Integer.parseInt(f[2].trim()), f[3].trim()), where));
            } catch (NumberFormatException ex) {
                throw new ConfigException(where + malformed);
            }
        }
        return out;
    }

    static SystemSpec.Coarse coarse(ResolvedConfig c) {
        return new SystemSpec.Coarse(c.getInt("pod.coarse.meshLinkBytesPerCycle"), c.getInt("pod.coarse.meshHopCycles"),
                named(SystemSpec.ChipFidelity.class, c.getString("pod.coarse.chipFidelity")), c.getInt("pod.coarse.roiChip"),
                named(SystemSpec.RoiScope.class, c.getString("pod.coarse.roiScope")),
                c.getInt("pod.coarse.roiTile"), named(SystemSpec.ChipFidelity.class, c.getString("pod.coarse.otherChipFidelity")),
                c.getInt("pod.coarse.boundaryChunkBytes"), c.getInt("pod.coarse.boundaryMaxChunks"));
    }

    /** @return the {@code pod.energy.*} keys (docs/model/energy.md), or their defaults when the catalog lacks the group */
    public static io.dojosim.pod.spec.PodEnergy podEnergy(ResolvedConfig c) {
        if (c.catalog().group("pod.energy") == null) {
            c = new io.dojosim.core.config.ParamCatalog(java.util.List.of(io.dojosim.pod.energy.PodEnergyParams.GROUP)).defaults();
        }
        String p = "pod.energy.";
        return new io.dojosim.pod.spec.PodEnergy(c.getDouble(p + "dieToDiePjPerByte"), c.getDouble(p + "tileEdgePjPerByte"), c.getDouble(p + "dipLinkPjPerByte"),
                c.getDouble(p + "hbmPjPerByte"), c.getDouble(p + "ethernetPjPerByte"), c.getDouble(p + "pciePjPerByte"),
                c.getInt(p + "ioDiesPerTile"), c.getDouble(p + "ioDieWatts"), c.getDouble(p + "dipWatts"), c.getDouble(p + "hostWattsPerTray"),
                c.getDouble(p + "deliveryOverhead"), c.getDouble(p + "tilePowerCapWatts"));
    }

    /** @return the {@code pod.defects.*} rates the Monte Carlo draws defect maps from */
    public static io.dojosim.pod.defect.DefectMap.Rates defectRates(ResolvedConfig c) {
        return new io.dojosim.pod.defect.DefectMap.Rates(c.getDouble("pod.defects.deadChipsPerTile"), c.getDouble("pod.defects.deadLinksPerTile"), c.getDouble("pod.defects.slowChipFraction"),
                c.getDouble("pod.defects.slowdownMax"), c.getDouble("pod.defects.deadNodesPerChip"));
    }

    static SystemSpec.Collective collective(ResolvedConfig c) {
        String a = c.getString("pod.collective.algorithm");
        CollectiveAlgorithm algorithm = null;
        for (CollectiveAlgorithm x : CollectiveAlgorithm.values()) {
            if (x.cliName().equals(a)) algorithm = x;
        }
        if (algorithm == null) {
            throw new ConfigException(c.origins().get("pod.collective.algorithm") + ": key 'pod.collective.algorithm': '" + a
                    + "' is not allowed; allowed: ring, 2d, hierarchical, auto");
        }
        return new SystemSpec.Collective(algorithm, c.getInt("pod.collective.chunks"), c.getInt("pod.collective.pipelineDepth"));
    }

    /** @return the {@code run.*} keys, or their defaults when the catalog lacks the group (tests of the pod model alone) */
    static SystemSpec.Run run(ResolvedConfig c) {
        if (c.catalog().group("run") == null) {
            c = new io.dojosim.core.config.ParamCatalog(java.util.List.of(io.dojosim.pod.step.StepParams.GROUP)).defaults();
        }
        SystemSpec.Mapping m = new SystemSpec.Mapping(c.getInt("run.mapping.replicaChips"), c.getInt("run.mapping.pipelineStages"),
                c.getInt("run.mapping.microBatches"), SystemSpec.PipelineSchedule.of(c.getString("run.mapping.pipelineSchedule")),
                c.getString("run.mapping.activationRecompute").equals("stage"), c.getLong("run.mapping.maxPipelineFlows"),
                c.getInt("run.mapping.maxPipelineSlots"), c.getDouble("run.mapping.optimizerBytesPerParam"), c.getInt("run.mapping.zeroStage"),
                c.getLong("run.mapping.fsdpUnitBytes"), c.getInt("run.mapping.fsdpPrefetchUnits"), c.getDouble("run.mapping.sramUsableFraction"),
                c.getLong("run.mapping.gradientBucketBytes"), c.getInt("run.mapping.tensorParallel"), c.getBool("run.mapping.sequenceParallel"),
                c.getInt("run.mapping.virtualStages"));
        SystemSpec.Plan plan = new SystemSpec.Plan(named(SystemSpec.PlanSearchMode.class, c.getString("run.plan.search")),
                c.getInt("run.plan.simulate"), c.getDouble("run.plan.simulateWithin"), c.getLong("run.plan.maxSimulatedSize"));
        return new SystemSpec.Run(c.getString("run.workload"), c.getLong("run.batchPerReplica"), c.getLong("run.globalBatch"),
                c.getString("run.batchScaling").equals("weak"), plan, c.getString("run.dataType"), c.getInt("run.steps"), m,
                c.getString("run.traceRanks"), c.getString("run.rankPlacement"), c.getBool("run.replicateRanks"), c.getString("run.commGroups"),
                c.getString("run.unmatchedPointToPoint"), c.getString("run.pointToPointProtocol"),
                named(SystemSpec.ComputeFidelity.class, c.getString("run.computeFidelity")),
                c.getString("run.calibrationMisses").equals("simulate"), c.getInt("run.commStreams"), c.getInt("run.memoryStreams"));
    }

    /**
     * @return the config with a plan-search candidate's choices fixed (and the global batch the
     * search used), so the resolved config written beside the results reproduces the chosen run;
     * the spec's counterpart is {@link PlanSearch#fix}
     */
    public static ResolvedConfig fixPlan(ResolvedConfig c, PlanSearch.Candidate k, long globalBatch) {
        String origin = "plan search";
        return c.with("run.mapping.tensorParallel", k.tensorParallel(), origin)
                .with("run.mapping.virtualStages", k.virtualStages(), origin)
                .with("run.mapping.replicaChips", k.replicaChips(), origin)
                .with("run.mapping.pipelineStages", k.pipelineStages(), origin)
                .with("run.mapping.microBatches", k.microBatches(), origin)
                .with("run.batchPerReplica", k.replicaBatch(), origin)
                .with("run.globalBatch", globalBatch, origin);
    }
}
