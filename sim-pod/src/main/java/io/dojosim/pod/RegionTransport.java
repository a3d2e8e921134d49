package io.dojosim.pod;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.SimulationError;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.ClockDomain;
import io.dojosim.core.util.IntList;
import io.dojosim.core.util.SlotPool;
import io.dojosim.noc.DeliveryListener;
import io.dojosim.noc.MeshNetwork;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import io.dojosim.pod.spec.SystemSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mixed fidelity for one run. The region of interest, one chip ({@code pod.coarse.roiScope = chip},
 * chip {@code pod.coarse.roiChip}) or every live chip of a tile ({@code roiScope = tile}, tile
 * {@code pod.coarse.roiTile}), has its meshes on sim-noc at {@code pod.coarse.chipFidelity} (flit
 * or packet); chips outside it keep the flow model's coarse mesh, or get a packet mesh of their own
 * when they first carry traffic ({@code pod.coarse.otherChipFidelity = packet}); die-to-die,
 * tile-edge, DIP, PCIe and Ethernet links are always the {@link FlowNetwork}'s. All of it runs on
 * one simulator, so the kinds of traffic interleave in simulated time.
 *
 * <p>A transfer follows the flow model's route. Every stretch of that route inside a chip that has
 * a mesh (the coarse hub-to-side links, and a node's own port) becomes a <em>mesh leg</em>: real
 * messages on that chip's mesh, from the source node (or every node, for a chip endpoint) to the
 * edge ports of the side the route leaves by, from edge port to edge port across a chip it passes
 * through, and from the edge ports of the side it enters by to the destination node (or every
 * node). The rest of the route is <em>flow legs</em>. Which edge ports a leg uses follows the
 * dimension-order route of the continued mesh: while moving along x (east or west sides) the
 * source node's row, while moving along y (north or south) the destination node's column; a chip,
 * HBM or host endpoint spreads over every row or column. A port on a harvested edge site is
 * replaced by the nearest usable one.
 *
 * <pre>
 *   node(0:n) ---mesh leg: n -> E ports---> [D2D flow leg] ---mesh leg: W ports -> m---> node(1:m)
 *               chip 0 (region)                                 chip 1 (region)
 * </pre>
 *
 * A transfer with a mesh leg and a flow leg moves in chunks ({@code pod.coarse.boundaryChunkBytes},
 * at most {@code boundaryMaxChunks} of them, and at least one per mesh row or column when an end is
 * spread): each chunk starts its next leg as soon as it has crossed the previous one (cut-through at
 * chunk granularity), a transfer's chunks take each flow leg one after another, and the transfer
 * has arrived when its last chunk has. A transfer that never touches a meshed chip is the flow model's, unchanged,
 * so a run with {@code chipFidelity = flow} (the default) gives exactly the flow model's results.
 *
 * <p>Source: docs/model/tile.md#region-of-interest (issue 5, "fidelity per level") and ADR 0062;
 * the meshes are sim-noc's (docs/model/noc.md), the rest the flow model (ADR 0040).
 *
 * <p>The meshes tick as one two-phase clock (ADR 0071): each cycle's busy meshes on the
 * simulator's threads, their deliveries applied after all of them, in mesh order, so a delivery's
 * consequences take effect from the next mesh cycle and results do not depend on the thread count.
 *
 * <p>Caveats: a chip endpoint's share is split equally over its active nodes; a mesh's edge ports
 * are modeled as links of the mesh's own width (64 B per cycle each), so the die-to-die bandwidth
 * of a chip side is the smaller of the flow model's side link and the sum of its ports; a
 * transfer between two chip endpoints of the same chip moves nothing (as in the flow model).
 * Packet meshes for chips outside the region are built on demand and kept: a pod-wide run with
 * {@code otherChipFidelity = packet} builds one per chip that carries traffic.
 */
public final class RegionTransport implements Transport, EventHandler, TransferListener {
    private static final int FLOW = 0;
    private static final int MESH = 1;
    private static final int KIND_ADVANCE = 1;
    // entry and exit of a mesh leg: a node's site, every node of the chip, or a side's edge ports
    private static final int AT_NODE = 0;
    private static final int AT_ALL = 1;
    private static final int AT_SIDE = 2;

    private final FlowNetwork flow;
    private final Topology topo;
    private final Simulator sim;
    private final SystemSpec cfg;
    private final boolean[] inRegion;
    private final int[] regionChips;
    private final boolean otherPacket;
    private final String regionFidelity;
    private final String fidelity;
    private final int roiChip;
    private final long chunkBytes;
    private final int maxChunks;
    private final MeshNetwork[] meshes;
    private MeshShape shape;
    private int[] site; // active node index -> site id, as sim-d1 numbers them
    private int[] spreadSite; // the active sites in diagonal order: consecutive chunks differ in row and column
    // explicit link -> the chip whose coarse hub-to-side (or side-to-hub) link it is, its side, its direction
    private int[] linkChip;
    private byte[] linkSide;
    private boolean[] linkInbound;
    private final Map<Key, CrossingPlan> plans = new HashMap<>();

    // transfers with at least one mesh leg
    private CrossingPlan[] trPlan = new CrossingPlan[64];
    private TransferListener[] trListener = new TransferListener[64];
    private long[] trTag = new long[64];
    private int[] trChunksLeft = new int[64];
    private int[] trFirstLegLeft = new int[64];
    private int[][] trQueueHead = new int[64][]; // per leg: first chunk waiting for a flow leg, or -1
    private int[][] trQueueTail = new int[64][];
    private boolean[][] trLegBusy = new boolean[64][];
    private final SlotPool transferSlots = new SlotPool(64, this::growTransfers);
    // chunks of those transfers
    private int[] chTransfer = new int[256];
    private int[] chIndex = new int[256];
    private int[] chNext = new int[256];
    private int[] chLeg = new int[256];
    private long[] chBytes = new long[256];
    private final SlotPool chunkSlots = new SlotPool(256, this::growChunks);

    private long meshTransfers;
    private long flowTransfers;
    private long crossingTransfers;
    private long meshMessages;

    /**
     * @param flow the machine's flow model
     * @param c    the system: {@code pod.coarse} for the region, {@code noc} and {@code d1.chip} for the meshes
     * @throws ConfigException when the region names no live chip or tile of the built system
     */
    public RegionTransport(FlowNetwork flow, SystemSpec c) {
        this.flow = flow;
        this.topo = flow.topology();
        this.sim = flow.simulator();
        this.cfg = c;
        SystemSpec.Coarse co = c.coarse();
        this.chunkBytes = co.boundaryChunkBytes();
        this.maxChunks = co.boundaryMaxChunks();
        String f = co.chipFidelity().key();
        this.otherPacket = co.otherChipFidelity() == SystemSpec.ChipFidelity.PACKET;
        this.regionFidelity = f;
        this.inRegion = new boolean[topo.chips()];
        this.meshes = new MeshNetwork[topo.chips()];
        List<Integer> chips = new ArrayList<>();
        String where;
        if (f.equals("flow")) {
            where = "no region";
        } else if (co.roiScope() == SystemSpec.RoiScope.TILE) {
            int tile = co.roiTile();
            if (tile >= topo.tiles()) {
                throw new ConfigException("pod.coarse.roiTile = " + tile + " is not a tile of the built system (tiles 0.."
                        + (topo.tiles() - 1) + ", scope " + topo.config().scope() + ")");
            }
            for (int k = 0; k < topo.chipsPerTile(); k++) {
                int chip = tile * topo.chipsPerTile() + k;
                if (topo.alive(chip)) chips.add(chip);
            }
            if (chips.isEmpty()) throw new ConfigException("pod.coarse.roiTile = " + tile + " has no live chip (pod.system.deadChips)");
            where = f + " in tile " + tile + " (" + chips.size() + " chips)";
        } else {
            int roi = co.roiChip();
            if (roi >= topo.chips() || !topo.alive(roi)) {
                throw new ConfigException("pod.coarse.roiChip = " + roi + " is not a live chip of the built system (chips 0.."
                        + (topo.chips() - 1) + ", scope " + topo.config().scope() + ")");
            }
            chips.add(roi);
            where = f + " in chip " + roi;
        }
        this.regionChips = chips.stream().mapToInt(Integer::intValue).toArray();
        for (int chip : regionChips) inRegion[chip] = true;
        int cfgChip = co.roiChip();
        this.roiChip = regionChips.length == 0 ? -1 : (cfgChip < inRegion.length && inRegion[cfgChip] ? cfgChip : regionChips[0]);
        this.fidelity = regionChips.length == 0 && !otherPacket ? "flow"
                : where + (otherPacket ? ", packet meshes on other chips" : "") + ", flow between chips";
        if (regionChips.length > 0 || otherPacket) {
            shape = ChipMeshTransport.dieShape(c);
            site = shape.activeNodeIds();
            spreadSite = diagonalOrder(shape);
            classifyLinks();
            for (int chip : regionChips) mesh(chip);
        }
    }

    /**
     * @return the active sites diagonal by diagonal (x - y constant modulo the width, y ascending),
     * so that consecutive chunks of a spread transfer cross different rows and different columns
     */
    static int[] diagonalOrder(MeshShape s) {
        int[] out = new int[s.activeNodes()];
        int n = 0;
        for (int o = 0; o < s.width(); o++) {
            for (int y = 0; y < s.height(); y++) {
                int x = Math.floorMod(y + o, s.width());
                if (!s.isDisabled(x, y)) out[n++] = s.node(x, y);
            }
        }
        return out;
    }

    private void classifyLinks() {
        int n = topo.explicitLinks();
        linkChip = new int[n];
        linkSide = new byte[n];
        linkInbound = new boolean[n];
        Arrays.fill(linkChip, -1);
        for (int chip = 0; chip < topo.chips(); chip++) {
            if (!topo.alive(chip)) continue;
            for (int d = 0; d < 4; d++) {
                int out = topo.hubToSideLink(chip, d);
                int in = topo.sideToHubLink(chip, d);
                linkChip[out] = chip;
                linkSide[out] = (byte) d;
                linkChip[in] = chip;
                linkSide[in] = (byte) d;
                linkInbound[in] = true;
            }
        }
    }

    private boolean meshed(int chip) {
        return chip >= 0 && (inRegion[chip] || otherPacket);
    }

    /** @return the mesh of a chip, built on first use */
    private MeshNetwork mesh(int chip) {
        MeshNetwork m = meshes[chip];
        if (m != null) return m;
        String f = inRegion[chip] ? regionFidelity : "packet";
        NocParams np = ChipMeshTransport.nocParams(cfg, f);
        if (meshClock == null) {
            meshClock = new Clock(sim, new ClockDomain("noc", np.clockHz()));
            meshClock.tickMembersInParallel(sim.workers(), this::replayDeliveries);
        } else if (meshClock.domain().frequencyHz() != np.clockHz()) {
            throw new ConfigException("the region's meshes need one noc.clockHz");
        }
        m = new MeshNetwork(sim, meshClock, (inRegion[chip] ? "pod.roi.chip[" : "pod.packet.chip[") + chip + "].noc", shape, np);
        if (regionChips.length > 1 || otherPacket) {
            m.useWorkers(io.dojosim.core.engine.Workers.single()); // the meshes, not their routers, share the threads
        }
        Inbox box = new Inbox();
        m.setDeliveryListener(box);
        inboxes.add(box);
        meshes[chip] = m;
        return m;
    }

    /**
     * A mesh's deliveries of one cycle, kept until every mesh has ticked it: the meshes tick in
     * parallel on the simulator's threads, each into its own inbox, and {@link #replayDeliveries}
     * then applies them in mesh order, so a delivery's consequences (a chunk's next leg) are the
     * same on any number of threads.
     */
    private static final class Inbox implements DeliveryListener {
        long[] time = new long[64];
        long[] tag = new long[64];
        final SlotPool rows = new SlotPool(64, this::grow);

        private void grow(int n) {
            time = Arrays.copyOf(time, n);
            tag = Arrays.copyOf(tag, n);
        }

        @Override
        public void delivered(long nowPs, long t) {
            int i = rows.take();
            time[i] = nowPs;
            tag[i] = t;
        }
    }

    private Clock meshClock;
    private final List<Inbox> inboxes = new ArrayList<>();

    private void replayDeliveries() {
        for (int b = 0; b < inboxes.size(); b++) {
            Inbox box = inboxes.get(b);
            for (int i = 0, n = box.rows.used(); i < n; i++) legDone(box.time[i], (int) box.tag[i]);
            box.rows.clear();
        }
    }

    @Override
    public Simulator simulator() {
        return sim;
    }

    @Override
    public String fidelity() {
        return fidelity;
    }

    @Override
    public void send(long src, long dst, long bytes, TransferListener listener, long tag) {
        if (linkChip == null) {
            flowTransfers++;
            flow.send(src, dst, bytes, listener, tag);
            return;
        }
        Key k = new Key(src, dst);
        CrossingPlan p = plans.get(k);
        if (p == null) {
            p = plan(src, dst);
            plans.put(k, p);
        }
        if (p == null || p.legs == 0) {
            flowTransfers++;
            flow.send(src, dst, bytes, listener, tag);
            return;
        }
        if (p.hasFlow) {
            crossingTransfers++;
        } else {
            meshTransfers++;
        }
        int t = transferSlots.take();
        // chunks: enough to pipeline the legs, and when an end is spread at least one per mesh row
        // or column (the nodes taken diagonal by diagonal, so the first chunks already cross every row)
        long wanted = p.legs == 1 ? 1 : Math.min(maxChunks, (bytes + chunkBytes - 1) / chunkBytes);
        if (p.variants > 1) wanted = Math.max(wanted, Math.max(shape.width(), shape.height()));
        int chunks = (int) Math.max(1, Math.min(wanted, bytes));
        trPlan[t] = p;
        trListener[t] = listener;
        trTag[t] = tag;
        trChunksLeft[t] = chunks;
        trFirstLegLeft[t] = chunks;
        if (trQueueHead[t] == null || trQueueHead[t].length < p.legs) {
            trQueueHead[t] = new int[Math.max(4, p.legs)];
            trQueueTail[t] = new int[Math.max(4, p.legs)];
            trLegBusy[t] = new boolean[Math.max(4, p.legs)];
        }
        Arrays.fill(trQueueHead[t], -1);
        Arrays.fill(trQueueTail[t], -1);
        Arrays.fill(trLegBusy[t], false);
        long base = bytes / chunks;
        long extra = bytes % chunks;
        for (int j = 0; j < chunks; j++) {
            int ch = chunkSlots.take();
            chTransfer[ch] = t;
            chIndex[ch] = j;
            chLeg[ch] = 0;
            chBytes[ch] = base + (j < extra ? 1 : 0);
            enterLeg(ch);
        }
    }

    /**
     * A chunk reaches a leg. On a mesh leg it is sent at once (the mesh orders its messages); on a
     * flow leg the transfer's chunks go one after another, the next starting when the previous one
     * has been injected, as packets follow each other on a wire.
     */
    private void enterLeg(int ch) {
        int t = chTransfer[ch];
        CrossingPlan p = trPlan[t];
        int leg = chLeg[ch];
        if (p.kind[leg] == FLOW) {
            if (trLegBusy[t][leg]) {
                chNext[ch] = -1;
                if (trQueueTail[t][leg] < 0) {
                    trQueueHead[t][leg] = ch;
                } else {
                    chNext[trQueueTail[t][leg]] = ch;
                }
                trQueueTail[t][leg] = ch;
                return;
            }
            trLegBusy[t][leg] = true;
            flow.startOnRoute(p.links[leg], p.latency[leg], chBytes[ch], this, ch);
            return;
        }
        int v = chIndex[ch] % p.variants;
        int s = p.msgSrc[leg][v];
        int d = p.msgDst[leg][v];
        if (chBytes[ch] == 0 || s == d) {
            // nothing to move, or it is already there
            sim.schedule(sim.now(), 0, this, KIND_ADVANCE, ch);
            return;
        }
        meshMessages++;
        mesh(p.chip[leg]).send(s, d, chBytes[ch], ch);
    }

    @Override
    public void transferInjected(long nowPs, long tag) {
        // a chunk's flow leg has left: the next queued chunk of the transfer takes that leg
        int ch = (int) tag;
        int t = chTransfer[ch];
        int leg = chLeg[ch];
        int next = trQueueHead[t][leg];
        if (next < 0) {
            trLegBusy[t][leg] = false;
        } else {
            trQueueHead[t][leg] = chNext[next];
            if (chNext[next] < 0) trQueueTail[t][leg] = -1;
            CrossingPlan p = trPlan[t];
            flow.startOnRoute(p.links[leg], p.latency[leg], chBytes[next], this, next);
        }
    }

    @Override
    public void transferDone(long nowPs, long tag) {
        legDone(nowPs, (int) tag); // a flow leg of a chunk has arrived
    }

    @Override
    public void onEvent(long nowPs, int kind, long arg) {
        if (kind != KIND_ADVANCE) throw new SimulationError("pod.roi", nowPs, "unknown event kind " + kind);
        legDone(nowPs, (int) arg);
    }

    private void legDone(long nowPs, int ch) {
        int t = chTransfer[ch];
        CrossingPlan p = trPlan[t];
        if (chLeg[ch] == 0 && --trFirstLegLeft[t] == 0 && trListener[t] != null) {
            // the last chunk has left the source's first leg: the sender is free
            trListener[t].transferInjected(nowPs, trTag[t]);
        }
        if (++chLeg[ch] < p.legs) {
            enterLeg(ch);
            return;
        }
        chunkSlots.release(ch);
        if (--trChunksLeft[t] > 0) return;
        TransferListener l = trListener[t];
        long tag = trTag[t];
        trListener[t] = null;
        trPlan[t] = null;
        transferSlots.release(t);
        if (l != null) l.transferDone(nowPs, tag);
    }

    // ---- plans -----------------------------------------------------------------------------

    private record Key(long src, long dst) {
    }

    /** The legs of a transfer between two endpoints; the same for every transfer of that pair. */
    private static final class CrossingPlan {
        int legs;
        boolean hasFlow;
        final SlotPool legSlots = new SlotPool(4, this::grow);
        byte[] kind = new byte[4];
        int[][] links = new int[4][];
        long[] latency = new long[4];
        int[] chip = new int[4];
        int variants = 1;                // 1, or one per active node when an end is spread
        int[][] msgSrc = new int[4][];   // [leg][variant]: the message's source terminal
        int[][] msgDst = new int[4][];

        private void grow(int n) {
            kind = Arrays.copyOf(kind, n);
            links = Arrays.copyOf(links, n);
            latency = Arrays.copyOf(latency, n);
            chip = Arrays.copyOf(chip, n);
            msgSrc = Arrays.copyOf(msgSrc, n);
            msgDst = Arrays.copyOf(msgDst, n);
        }

        int add(int k) {
            int leg = legSlots.take();
            kind[leg] = (byte) k;
            if (k == FLOW) hasFlow = true;
            legs = leg + 1;
            return leg;
        }
    }

    private static int chipOf(long e) {
        int k = Endpoint.kind(e);
        return k == Endpoint.KIND_NODE || k == Endpoint.KIND_CHIP ? Endpoint.a(e) : -1;
    }

    /** @return the legs of a transfer from {@code src} to {@code dst}, or null when no meshed chip is on its way */
    private CrossingPlan plan(long src, long dst) {
        int sc = chipOf(src);
        int dc = chipOf(dst);
        int[] route = topo.route(src, dst);
        boolean srcNode = Endpoint.kind(src) == Endpoint.KIND_NODE;
        boolean dstNode = Endpoint.kind(dst) == Endpoint.KIND_NODE;
        int from = srcNode && meshed(sc) ? 1 : 0;     // a meshed chip's node port is its mesh's
        int to = dstNode && meshed(dc) ? route.length - 1 : route.length;
        CrossingPlan p = new CrossingPlan();
        p.variants = srcNode && dstNode ? 1 : site.length;
        if (from >= to) {
            // both ends on one meshed chip, nothing between them
            if (!meshed(sc) || sc != dc || (!srcNode && !dstNode)) return null;
            int leg = p.add(MESH);
            meshLeg(p, leg, sc, srcNode ? AT_NODE : AT_ALL, -1, dstNode ? AT_NODE : AT_ALL, -1, src, dst);
            return p;
        }
        boolean anyMesh = false;
        IntList run = new IntList();
        for (int i = from; i < to; i++) {
            int l = route[i];
            int c = l < linkChip.length ? linkChip[l] : -1;
            if (!meshed(c)) {
                run.add(l);
                continue;
            }
            anyMesh = true;
            flushFlow(p, run);
            int side = linkSide[l];
            if (!linkInbound[l]) {
                // leaves the source chip: from the source node (or every node) to this side's ports
                int leg = p.add(MESH);
                meshLeg(p, leg, c, srcNode ? AT_NODE : AT_ALL, -1, AT_SIDE, side, src, dst);
            } else if (i + 1 < to && route[i + 1] < linkChip.length && linkChip[route[i + 1]] == c) {
                // passes through: in by one side, out by another
                int out = linkSide[route[i + 1]];
                int leg = p.add(MESH);
                meshLeg(p, leg, c, AT_SIDE, side, AT_SIDE, out, src, dst);
                i++;
            } else {
                // enters the destination chip
                int leg = p.add(MESH);
                meshLeg(p, leg, c, AT_SIDE, side, dstNode ? AT_NODE : AT_ALL, -1, src, dst);
            }
        }
        flushFlow(p, run);
        return anyMesh ? p : null;
    }

    private void flushFlow(CrossingPlan p, IntList run) {
        if (run.size() == 0) return;
        int leg = p.add(FLOW);
        p.links[leg] = run.toArray();
        p.latency[leg] = topo.routeLatencyPs(p.links[leg]);
        run.clear();
    }

    /** Topology side (W, E, S, N) to the mesh's side. */
    private static int meshSide(int side) {
        switch (side) {
            case Topology.W: return MeshShape.WEST;
            case Topology.E: return MeshShape.EAST;
            case Topology.S: return MeshShape.SOUTH;
            default: return MeshShape.NORTH;
        }
    }

    private static boolean alongX(int side) {
        return side == Topology.W || side == Topology.E;
    }

    /** @return the usable edge port of {@code meshSide} nearest to {@code index} */
    private int port(int meshSide, int index) {
        int n = shape.edgePorts(meshSide);
        for (int dist = 0; dist < n; dist++) {
            for (int sign = -1; sign <= 1; sign += 2) {
                int i = index + sign * dist;
                if (i < 0 || i >= n) continue;
                int t = shape.edgeTerminal(meshSide, i);
                if (shape.terminalUsable(t)) return t;
            }
        }
        throw new ConfigException("side " + MeshShape.portName(meshSide) + " of the D1 mesh has no usable edge port (d1.chip.disabledSites)");
    }

    /**
     * Builds a mesh leg: one message per chunk. A spread end (a chip, HBM or host endpoint) is
     * spread over the chunks rather than inside each: chunk j belongs to active node k = j mod N,
     * which sends it (a chip source), receives it (a chip destination), and whose row (east and west
     * sides) or column (north and south) it crosses the sides by. So a spread transfer leaves the
     * mesh chunk by chunk, each as soon as it has crossed, and every row and column carries its
     * share.
     */
    private void meshLeg(CrossingPlan p, int leg, int chip, int entry, int inSide, int exit, int outSide, long src, long dst) {
        mesh(chip);
        p.chip[leg] = chip;
        int v = p.variants;
        int[] a = new int[v];
        int[] b = new int[v];
        for (int k = 0; k < v; k++) {
            a[k] = entry == AT_NODE ? site[Endpoint.b(src)] : entry == AT_ALL ? spreadSite[k] : lanePort(inSide, k, src, dst);
            b[k] = exit == AT_NODE ? site[Endpoint.b(dst)] : exit == AT_ALL ? spreadSite[k] : lanePort(outSide, k, src, dst);
        }
        p.msgSrc[leg] = a;
        p.msgDst[leg] = b;
    }

    /**
     * @return the edge port of {@code side} that chunk variant {@code k} crosses: on an east or
     * west side the row of the source node (or of node k for a spread source), on a north or south
     * side the column of the destination node (or of node k)
     */
    private int lanePort(int side, int k, long src, long dst) {
        int ms = meshSide(side);
        boolean node = alongX(side) ? Endpoint.kind(src) == Endpoint.KIND_NODE : Endpoint.kind(dst) == Endpoint.KIND_NODE;
        int n = !node ? spreadSite[k] : alongX(side) ? site[Endpoint.b(src)] : site[Endpoint.b(dst)];
        int index = alongX(side) ? shape.y(n) : shape.x(n);
        int t = shape.edgeTerminal(ms, index);
        if (node || shape.terminalUsable(t)) return port(ms, index);
        // a spread share whose own port sits on a harvested edge site: spread it over the side's usable ports
        int usable = 0;
        for (int i = 0; i < shape.edgePorts(ms); i++) if (shape.terminalUsable(shape.edgeTerminal(ms, i))) usable++;
        int pick = k % Math.max(1, usable);
        for (int i = 0; i < shape.edgePorts(ms); i++) {
            if (shape.terminalUsable(shape.edgeTerminal(ms, i)) && pick-- == 0) return shape.edgeTerminal(ms, i);
        }
        return port(ms, index);
    }

    // ---- slots -----------------------------------------------------------------------------

    private void growTransfers(int n) {
        trPlan = Arrays.copyOf(trPlan, n);
        trListener = Arrays.copyOf(trListener, n);
        trTag = Arrays.copyOf(trTag, n);
        trChunksLeft = Arrays.copyOf(trChunksLeft, n);
        trFirstLegLeft = Arrays.copyOf(trFirstLegLeft, n);
        trQueueHead = Arrays.copyOf(trQueueHead, n);
        trQueueTail = Arrays.copyOf(trQueueTail, n);
        trLegBusy = Arrays.copyOf(trLegBusy, n);
    }

    private void growChunks(int n) {
        chTransfer = Arrays.copyOf(chTransfer, n);
        chIndex = Arrays.copyOf(chIndex, n);
        chNext = Arrays.copyOf(chNext, n);
        chLeg = Arrays.copyOf(chLeg, n);
        chBytes = Arrays.copyOf(chBytes, n);
    }

    // ---- reports ---------------------------------------------------------------------------

    /** @return the region-of-interest chip named by {@code pod.coarse.roiChip} if it is in the region, else the region's first chip; -1 without a region */
    public int roiChip() {
        return roiChip;
    }

    /** @return the chips of the region of interest, ascending */
    public int[] regionChips() {
        return regionChips.clone();
    }

    /** @return the chips that have a mesh so far, ascending */
    public int[] meshedChips() {
        int n = 0;
        for (MeshNetwork m : meshes) if (m != null) n++;
        int[] out = new int[n];
        n = 0;
        for (int c = 0; c < meshes.length; c++) if (meshes[c] != null) out[n++] = c;
        return out;
    }

    /**
     * Utilization of the meshes' router output links (north, east, south, west, edge ports included;
     * not the ejection into a node) over a window.
     *
     * @param windowPs the window, from the start of the simulation
     * @return links, links that carried a flit, mean and max utilization, bytes carried (a byte
     * crossing n links counts n times); all zero without meshes
     */
    public MeshLinkUsage meshLinkUtilization(long windowPs) {
        long links = 0;
        long used = 0;
        double sum = 0;
        double max = 0;
        double flits = 0;
        for (MeshNetwork m : meshes) {
            if (m == null) continue;
            double cycles = Math.max(1.0, (double) windowPs / m.params().periodPs());
            for (int n = 0; n < shape.sites(); n++) {
                if (shape.isDisabled(n)) continue;
                for (int port = MeshShape.NORTH; port <= MeshShape.WEST; port++) {
                    long f = m.linkFlits(n, port);
                    double u = f / cycles;
                    links++;
                    if (f > 0) used++;
                    sum += u;
                    max = Math.max(max, u);
                    flits += (double) f * m.params().flitBytes();
                }
            }
        }
        return new MeshLinkUsage(links, used, links == 0 ? 0 : sum / links, max, flits);
    }

    /** @return transfers that ran entirely on chip meshes */
    public long meshTransfers() {
        return meshTransfers;
    }

    /** @return transfers that ran entirely on the flow model */
    public long flowTransfers() {
        return flowTransfers;
    }

    /** @return transfers with both mesh legs and flow legs (they cross a chip mesh's edge) */
    public long crossingTransfers() {
        return crossingTransfers;
    }

    /** @return messages sent on chip meshes for all transfers */
    public long meshMessages() {
        return meshMessages;
    }
}
