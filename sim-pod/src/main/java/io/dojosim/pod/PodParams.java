package io.dojosim.pod;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamSource;
import java.util.List;

/**
 * Declared parameters of the machine above the D1 die: the training tile ({@code pod.tile}), the
 * Dojo Interface Processor with its HBM ({@code pod.dip}), the tray ({@code pod.tray}), the system
 * size and what-if switches ({@code pod.system}), the Ethernet Z-plane ({@code pod.ethernet}), the
 * coarse on-chip mesh used by the flow model ({@code pod.coarse}) and the collective defaults
 * ({@code pod.collective}). Published figures cite dojo-facts keys; unpublished ones are assumptions
 * argued in docs/model/tile.md, dip.md, pod.md and collectives.md.
 */
public final class PodParams {
    private PodParams() {
    }

    public static final ParamGroup SYSTEM = ParamGroup.builder("pod.system",
                    "system size and what-if switches: scope, cabinets, dead chips, tile mesh across trays",
                    "docs/model/pod.md")
            .enumParam("scope", "pod", List.of("tile", "tray", "cabinet", "pod"),
                    ParamSource.simulator("docs/model/pod.md#parameters"),
                    "how much of the machine is built: one tile, one tray, one cabinet or the whole ExaPOD")
            .intParam("cabinets", 10, 1, 1000, "cabinets", ParamSource.published("AID21, AID22: 10 cabinets per ExaPOD"),
                    "cabinets in the ExaPOD (pod scope only)")
            .intParam("traysPerCabinet", 2, 1, 100, "trays", ParamSource.published("AID22: 2 trays per cabinet"),
                    "system trays per cabinet")
            .boolParam("tileMeshAcrossTrays", false, ParamSource.assumed("docs/model/pod.md#assumptions (dojo-facts 7.1: not published)"),
                    "true: tile-to-tile links continue across trays (trays stacked along y); false: only the Ethernet Z-plane joins trays")
            .stringListParam("deadChips", List.of(), "tile,x,y", ParamSource.simulator("docs/model/pod.md#parameters"),
                    "what-if: chips that are switched off, as \"tile,x,y\" (tile index in the system, chip column and row in the tile)")
            .stringListParam("deadLinks", List.of(), "tile,x,y,side", ParamSource.simulator("docs/model/pod.md#parameters"),
                    "what-if: failed links between neighbouring chips (die-to-die, or a tile edge at a tile's border), as \"tile,x,y,side\""
                            + " with side W, E, S (y - 1) or N (y + 1) of that chip; both directions fail and traffic routes around them")
            .stringListParam("slowChips", List.of(), "tile,x,y,slowdown", ParamSource.simulator("docs/model/energy.md#stragglers"),
                    "what-if: chips whose compute takes slowdown (>= 1) times longer, as \"tile,x,y,slowdown\"; the compute of every pipeline"
                            + " stage that holds one, in any replica, is stretched so its collectives wait for it (dojosim montecarlo sets it)")
            .stringListParam("deadNodes", List.of(), "tile,x,y,nodes", ParamSource.simulator("docs/model/energy.md#dead-nodes"),
                    "what-if: nodes of a chip that failed beyond the harvested ones, as \"tile,x,y,nodes\"; the chip keeps d1.chip.activeNodes - nodes"
                            + " nodes, so it computes activeNodes / (activeNodes - nodes) times slower (paced like a slow chip) and holds that much less SRAM"
                            + " (dojosim montecarlo sets it)")
            .build();

    public static final ParamGroup TRAY = ParamGroup.builder("pod.tray",
                    "system tray: a 2 x 3 array of training tiles, its DIPs and its host",
                    "docs/model/pod.md")
            .intParam("tilesX", 3, 1, 64, "tiles", ParamSource.published("AID21 'two sets of three tiles', AID22"), "tiles per tray row")
            .intParam("tilesY", 2, 1, 64, "tiles", ParamSource.published("AID21, AID22"), "tile rows per tray")
            .build();

    public static final ParamGroup TILE = ParamGroup.builder("pod.tile",
                    "training tile: 5 x 5 D1 dies on a wafer, die-to-die links, tile edges",
                    "docs/model/tile.md")
            .intParam("chipsX", 5, 1, 64, "chips", ParamSource.published("HC34-S: 5 x 5 D1"), "chips per tile row")
            .intParam("chipsY", 5, 1, 64, "chips", ParamSource.published("HC34-S: 5 x 5 D1"), "chip rows per tile")
            .doubleParam("edgeBytesPerSecond", 9.0e12, 1e6, 1e15, "B/s",
                    ParamSource.published("AID21, HC34-S: 36 TB/s off-tile = 9 TB/s per tile edge (dojo-facts C5)"),
                    "tile-to-tile bandwidth of one tile edge per direction, split evenly over the chips on that edge")
            .boolParam("edgeRateCountsBothDirections", false,
                    ParamSource.assumed("docs/model/pod.md#tray-bisection (AID22's 13.4 TB/s tray bisection and TNP22's 4.5 TB/s per edge read this way)"),
                    "true: edgeBytesPerSecond counts both directions (half of it per direction); the default reads it per direction")
            .longParam("tileToTileLatencyPs", 175_000L, 1, 100_000_000L, "ps",
                    ParamSource.assumed("docs/model/tile.md#assumptions (dojo-facts s10: 150-200 ns)"),
                    "latency of one tile-edge crossing (die-to-die plus connector)")
            .build();

    public static final ParamGroup DIP = ParamGroup.builder("pod.dip",
                    "Dojo Interface Processor: HBM, TTP link into a tile edge, PCIe to the host, TTPoE port",
                    "docs/model/dip.md")
            .intParam("perTileEdge", 5, 0, 64, "DIPs", ParamSource.published("HC34-S: up to 5 DIPs per tile edge"),
                    "DIPs on each tile edge that carries DIPs (the west and east sides of a tray: 4 edges x 5 = 20 per tray)")
            .bytesParam("hbmBytes", 32_000_000_000L, 1, 1L << 50, ParamSource.published("HC34-S, AID22: 32 GB HBM"), "HBM capacity per DIP")
            .doubleParam("hbmBytesPerSecond", 800e9, 1e6, 1e15, "B/s", ParamSource.published("HC34-S, AID22: 800 GB/s"),
                    "HBM bandwidth per DIP, shared by reads and writes")
            .longParam("hbmLatencyPs", 500_000L, 0, 100_000_000L, "ps",
                    ParamSource.assumed("docs/model/dip.md#assumptions (dojo-facts s10: tile-HBM round trip 1-2 us)"),
                    "added latency of an HBM access inside the DIP, one way")
            .doubleParam("tileLinkBytesPerSecond", 900e9, 1e6, 1e15, "B/s", ParamSource.published("HC34-S, AID22: 900 GB/s TTP"),
                    "DIP to tile link bandwidth per direction")
            .longParam("tileLinkLatencyPs", 200_000L, 0, 100_000_000L, "ps",
                    ParamSource.assumed("docs/model/dip.md#assumptions"), "latency of the DIP-to-tile TTP link")
            .doubleParam("ethernetBytesPerSecond", 50e9, 1e6, 1e15, "B/s", ParamSource.published("HC34-S: 50 GB/s TTPoE"),
                    "TTPoE port bandwidth per direction")
            .doubleParam("pcieBytesPerSecond", 32e9, 1e6, 1e15, "B/s", ParamSource.published("HC34-S: PCIe Gen4 x16 per DIP"),
                    "PCIe link to the host per direction")
            .longParam("pcieLatencyPs", 1_000_000L, 0, 100_000_000L, "ps", ParamSource.assumed("docs/model/dip.md#assumptions"),
                    "latency of the PCIe link to the host")
            .build();

    public static final ParamGroup ETHERNET = ParamGroup.builder("pod.ethernet",
                    "the switched Ethernet Z-plane joining DIPs (TTPoE)",
                    "docs/model/pod.md")
            .longParam("oneWayLatencyPs", 1_300_000L, 0, 1_000_000_000L, "ps",
                    ParamSource.published("HC36 via attendee notes (weak, dojo-facts 7.2): ~1.3 us one way"),
                    "DIP port to DIP port latency through the switches")
            .doubleParam("efficiency", 1.0, 0.01, 1.0, "ratio",
                    ParamSource.assumed("docs/model/pod.md#assumptions (HC36 weak: 70-80 % in multipath)"),
                    "fraction of the port rate available to payload")
            .build();

    public static final ParamGroup COARSE = ParamGroup.builder("pod.coarse",
                    "coarse flow model of a D1 chip's mesh: row and column bundles, node ports",
                    "docs/model/tile.md")
            .intParam("meshLinkBytesPerCycle", 64, 1, 4096, "bytes",
                    ParamSource.published("HC34-U via TNP22: 64 B per cycle per direction (dojo-facts C3 baseline)"),
                    "bytes per cycle of one mesh link per direction")
            .intParam("meshHopCycles", 2, 1, 100, "cycles",
                    ParamSource.assumed("docs/model/tile.md#assumptions (sim-noc's zero-load hop: speculative VA + SA 1 + link 1 cycle; dojo-facts s10: 1-3)"),
                    "cycles per mesh hop: latency of crossing half a chip, and between two nodes of one chip")
            .enumParam("chipFidelity", "flow", List.of("flow", "packet", "flit"), ParamSource.simulator("docs/model/tile.md#scope-and-limitations"),
                    "fidelity of the region of interest (chip roiChip, or tile roiTile: see roiScope): the coarse flow model, or sim-noc's packet or flit meshes")
            .intParam("roiChip", 0, 0, 1_000_000, "chip", ParamSource.simulator("docs/model/tile.md#region-of-interest"),
                    "global index of the region-of-interest chip (roiScope = chip): its mesh runs on sim-noc when chipFidelity is packet or flit")
            .enumParam("roiScope", "chip", List.of("chip", "tile"), ParamSource.simulator("docs/model/tile.md#region-of-interest"),
                    "extent of the region of interest: the chip roiChip, or every live chip of the tile roiTile")
            .intParam("roiTile", 0, 0, 100_000, "tile", ParamSource.simulator("docs/model/tile.md#region-of-interest"),
                    "global index of the region-of-interest tile (roiScope = tile)")
            .enumParam("otherChipFidelity", "flow", List.of("flow", "packet"), ParamSource.simulator("docs/model/tile.md#region-of-interest"),
                    "on-chip traffic of chips outside the region: the coarse flow model, or sim-noc's packet mesh (built for a chip when it first has traffic)")
            .intParam("boundaryChunkBytes", 2048, 64, 1 << 30, "bytes",
                    ParamSource.assumed("docs/model/tile.md#region-of-interest (granularity of the cut-through between a chip mesh and the links beyond it; 2 KiB keeps neighbour transfers within 4 % of the flow model, ADR 0065)"),
                    "a transfer that crosses a modeled chip mesh and the flow model moves in chunks of this size, each forwarded as soon as it has crossed a leg")
            .intParam("boundaryMaxChunks", 4096, 1, 65536, "chunks", ParamSource.simulator("docs/model/tile.md#region-of-interest"),
                    "upper bound on the chunks of one crossing transfer (larger transfers get larger chunks), to bound the events per transfer; a transfer with a chip, HBM or host end has at least one chunk per mesh row or column")
            .build();

    public static final ParamGroup COLLECTIVE = ParamGroup.builder("pod.collective",
                    "defaults of collective operations: algorithm, chunking, pipelining",
                    "docs/model/collectives.md")
            .enumParam("algorithm", "auto", List.of("ring", "2d", "hierarchical", "auto"),
                    ParamSource.simulator("docs/model/collectives.md#algorithm-choice (ADR 0072; dojo-facts s10: hierarchical)"),
                    "how every collective (dojosim collective, and each one inside a run) is decomposed: ring over all members; "
                            + "2d (mesh rows, then columns); hierarchical (tile rows, tiles, trays, then across trays); auto (default): "
                            + "per collective the one of the three with the smallest alpha-beta estimate for its group, primitive and size")
            .intParam("chunks", 1, 1, 1024, "chunks", ParamSource.simulator("docs/model/collectives.md#parameters"),
                    "each step's transfer is split into this many chunks that move independently")
            .intParam("pipelineDepth", 1, 1, 1024, "chunks", ParamSource.simulator("docs/model/collectives.md#parameters"),
                    "chunks a member may have in flight at once")
            .build();

    /**
     * @return a catalog of the kernel, D1 and pod groups alone, for tests and benchmarks that run
     * without the command line (the command line's catalog lists every module's groups)
     */
    public static io.dojosim.core.config.ParamCatalog standaloneCatalog() {
        List<ParamGroup> g = new java.util.ArrayList<>();
        g.add(io.dojosim.core.config.CoreParams.GROUP);
        g.add(io.dojosim.d1.D1Params.NODE);
        g.add(io.dojosim.d1.D1Params.CHIP);
        g.addAll(ALL);
        return new io.dojosim.core.config.ParamCatalog(g);
    }

    /** Every group of this module, in the order {@code dojosim describe} prints them. */
    public static final List<ParamGroup> ALL = List.of(SYSTEM, TRAY, TILE, DIP, ETHERNET, COARSE, COLLECTIVE);
}
