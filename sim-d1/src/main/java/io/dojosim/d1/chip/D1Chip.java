package io.dojosim.d1.chip;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.SimulationError;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.util.SlotPool;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.node.ChipSync;
import io.dojosim.d1.node.D1Node;
import io.dojosim.d1.node.NodeNetwork;
import io.dojosim.d1.node.NodeProgram;
import io.dojosim.noc.MeshNetwork;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import java.util.Arrays;

/**
 * A D1 die: one {@link D1Node} per active site of an {@code meshWidth x meshHeight} array, joined by
 * the sim-noc {@link MeshNetwork} (flit or packet fidelity), with chip-wide barriers.
 *
 * <pre>
 *  active index i  --(row-major over enabled sites)-->  mesh node id y * W + x
 *  node SEND/DMA   --> MeshNetwork.send(src id, dst id, bytes, tag)
 *  delivery (tag)  --> D1Node.deliver(src, bytes, semaphore) on the destination
 * </pre>
 *
 * <p>Edge ports: the mesh exposes one edge terminal per boundary router
 * ({@link MeshNetwork#edgePort}); sim-pod joins facing edge ports of neighbouring dies with a link of
 * {@link ChipParams#dieToDieLatencyPs()} and a share of {@link ChipParams#edgeBytesPerSecondPerDirection()}
 * per edge router ({@link #edgeRouterBytesPerSecond}). A message entering from an edge port is given
 * to a node with {@link #injectFromEdge}.
 *
 * <p>Source: dojo-facts 3-4; docs/model/d1-chip.md. Caveats: with disabled sites and
 * {@code noc.routing = xy}, a message whose XY path crosses a disabled site is ejected at a midpoint
 * router (two clean XY legs, shortest total) and re-injected there towards its destination: the
 * software-programmed route-around of dojo-facts s10, at the cost of one ejection and injection.
 * {@link #routingNote()} says so. ADR 0031 records why (sim-noc's table routing is the intended
 * replacement).
 */
public final class D1Chip implements NodeNetwork, ChipSync, EventHandler {
    private static final int K_BARRIER = 0;

    private final Simulator sim;
    private final String path;
    private final ChipParams cp;
    private final NodeParams np;
    private final MeshShape shape;
    private final MeshNetwork mesh;
    private final D1Node[] nodes;
    private final int[] meshId;
    private final String routingNote;
    private final long periodPs;
    private final boolean relay;
    private int[] mHop = new int[256];
    private int[] mSide = new int[256];
    private long[] mTag = new long[256];
    private EdgeListener edgeListener;
    private long edgeMessagesOut, edgeMessagesIn;
    private int[] mAt = new int[256];
    private long relayedMessages;

    // in-flight message pool: destination index, source index, bytes, semaphore
    private int[] mDst = new int[256];
    private int[] mSrc = new int[256];
    private int[] mBytes = new int[256];
    private int[] mSem = new int[256];
    private final SlotPool messages = new SlotPool(256, this::growMessages);

    // barriers: per id, arrivals and the waiting (node, thread) pairs
    private final int[] barrierArrivals = new int[64];
    private final int[][] barrierWaiters = new int[64][];

    /**
     * @param programs one program per active node (index = active index); null entries run nothing
     * @throws ConfigException for a bad shape, mismatched clocks or a program that does not fit
     */
    public D1Chip(Simulator sim, String path, ChipParams cp, NodeParams np, NocParams noc, NodeProgram[] programs) {
        this.sim = sim;
        this.path = path;
        this.cp = cp;
        this.np = np;
        this.shape = cp.shape();
        if (noc.clockHz() != np.clockHz()) {
            throw new ConfigException("noc.clockHz (" + noc.clockHz() + ") must equal d1.node.clockHz (" + np.clockHz()
                    + "): the node router and the core share the D1 clock");
        }
        // with dead links (noc.deadLinks) every pair has an up*/down* route: no relay is needed
        relay = noc.routing() == NocParams.Routing.XY && shape.activeNodes() != shape.sites() && noc.deadLinks().isEmpty();
        if (!noc.deadLinks().isEmpty()) {
            routingNote = "up*/down* around " + noc.deadLinks().size() + " dead link(s) " + noc.deadLinks() + " (noc.deadLinks)";
        } else if (relay) {
            routingNote = "xy, relayed at one midpoint router where the XY path crosses one of the "
                    + (shape.sites() - shape.activeNodes()) + " disabled sites";
        } else {
            routingNote = noc.routing().name().toLowerCase(java.util.Locale.ROOT);
        }
        NocParams eff = noc;
        this.periodPs = np.clock().periodPs();
        Clock clock = new Clock(sim, np.clock());
        this.mesh = new MeshNetwork(sim, clock, path + ".noc", shape, eff);
        mesh.setDeliveryListener(this::delivered);
        this.meshId = shape.activeNodeIds();
        if (programs.length != meshId.length) {
            throw new ConfigException(path + ": " + programs.length + " node programs for " + meshId.length + " active nodes");
        }
        nodes = new D1Node[meshId.length];
        for (int i = 0; i < meshId.length; i++) {
            NodeProgram prog = programs[i] == null ? NodeProgram.builder("idle", 1).build() : programs[i];
            nodes[i] = new D1Node(sim, path + ".node[" + shape.x(meshId[i]) + "," + shape.y(meshId[i]) + "]", np, i, prog, this, this);
        }
    }

    public int activeNodes() {
        return nodes.length;
    }

    public D1Node node(int activeIndex) {
        return nodes[activeIndex];
    }

    /** @return mesh node id (y * W + x) of an active node */
    public int meshId(int activeIndex) {
        return meshId[activeIndex];
    }

    public MeshNetwork mesh() {
        return mesh;
    }

    public MeshShape shape() {
        return shape;
    }

    public ChipParams chipParams() {
        return cp;
    }

    /** @return the routing in use, with the reason when it differs from noc.routing */
    public String routingNote() {
        return routingNote;
    }

    /** @return the share of one die edge's payload bandwidth per direction that one edge router carries */
    public double edgeRouterBytesPerSecond(int side) {
        int routers = side == MeshShape.NORTH || side == MeshShape.SOUTH ? shape.width() : shape.height();
        return cp.edgeBytesPerSecondPerDirection() / routers;
    }

    /** Starts every node's program at the current time. */
    public void start() {
        for (D1Node n : nodes) {
            n.start();
        }
    }

    /** @return true when every node has finished its program */
    public boolean finished() {
        for (D1Node n : nodes) {
            if (!n.finished()) return false;
        }
        return true;
    }

    /** @return the cycle at which the last node finished */
    public long finishCycle() {
        long m = 0;
        for (D1Node n : nodes) m = Math.max(m, n.finishCycle());
        return m;
    }

    /** @return what unfinished nodes wait for (deadlock reports), at most a few nodes */
    public String blockedDescription() {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (D1Node n : nodes) {
            if (!n.finished() && shown++ < 4) sb.append(n.blockedDescription());
        }
        return sb.toString();
    }

    @Override
    public void send(int srcNode, int dstNode, int bytes, int semaphore) {
        if (dstNode < 0 || dstNode >= nodes.length) {
            throw new ConfigException(path + ": node " + srcNode + " sends to node " + dstNode + " but the chip has active nodes 0.."
                    + (nodes.length - 1));
        }
        int m = messages.take();
        mDst[m] = dstNode;
        mSrc[m] = srcNode;
        mBytes[m] = bytes;
        mSem[m] = semaphore;
        route(meshId[srcNode], meshId[dstNode], bytes, m);
    }

    /** Sends directly, or to a midpoint first when the XY path crosses a disabled site. */
    private void route(int srcId, int dstId, int bytes, int m) {
        mHop[m] = -1;
        if (relay && !xyClean(srcId, dstId)) {
            int mid = midpoint(srcId, dstId);
            mHop[m] = dstId;
            mAt[m] = mid;
            relayedMessages++;
            mesh.send(srcId, mid, bytes, m);
            return;
        }
        mesh.send(srcId, dstId, bytes, m);
    }

    /** @return true when the XY path from a to b crosses no disabled site */
    boolean xyClean(int a, int b) {
        int x = shape.x(a), y = shape.y(a), tx = shape.x(b), ty = shape.y(b);
        while (x != tx) {
            x += tx > x ? 1 : -1;
            if (shape.isDisabled(x, y)) return false;
        }
        while (y != ty) {
            y += ty > y ? 1 : -1;
            if (shape.isDisabled(x, y)) return false;
        }
        return true;
    }

    private int midpoint(int a, int b) {
        int best = -1;
        int bestLen = Integer.MAX_VALUE;
        for (int id : meshId) {
            if (id == a || id == b) continue;
            int len = Math.abs(shape.x(a) - shape.x(id)) + Math.abs(shape.y(a) - shape.y(id))
                    + Math.abs(shape.x(id) - shape.x(b)) + Math.abs(shape.y(id) - shape.y(b));
            if (len < bestLen && xyClean(a, id) && xyClean(id, b)) {
                best = id;
                bestLen = len;
            }
        }
        if (best < 0) {
            throw new ConfigException(path + ": no route from mesh node " + a + " to " + b + " around the disabled sites");
        }
        return best;
    }

    /** @return messages that took a relay at a midpoint router */
    public long relayedMessages() {
        return relayedMessages;
    }

    /** Sets who is told of messages leaving through edge ports (sim-pod's die-to-die links). */
    public void setEdgeListener(EdgeListener l) {
        this.edgeListener = l;
    }

    /**
     * Sends a message from a node to an edge port of this die (the first leg of a die-to-die
     * transfer); the {@link EdgeListener} is told when its last byte has left the mesh. Caveats: the
     * source node's router read port is not charged here (a node program cannot address an edge).
     *
     * @param side  {@code MeshShape.NORTH}, {@code EAST}, {@code SOUTH} or {@code WEST}
     * @param index x along north and south, y along east and west
     */
    public void sendToEdge(int srcNode, int side, int index, int bytes, long tag) {
        if (edgeListener == null) {
            throw new ConfigException(path + ": a message to an edge port needs an edge listener (sim-pod's die-to-die link)");
        }
        int m = messages.take();
        mDst[m] = -2 - index;
        mSide[m] = side;
        mSrc[m] = srcNode;
        mBytes[m] = bytes;
        mTag[m] = tag;
        mHop[m] = -1;
        edgeMessagesOut++;
        mesh.send(meshId[srcNode], mesh.edgePort(side, index), bytes, m);
    }

    /** @return messages sent out through edge ports and received from them */
    public long edgeMessagesOut() {
        return edgeMessagesOut;
    }

    public long edgeMessagesIn() {
        return edgeMessagesIn;
    }

    /** A message that entered the mesh from an edge port: sent from that port to a node's semaphore. */
    public void injectFromEdge(int side, int index, int dstNode, int bytes, int semaphore) {
        int m = messages.take();
        mDst[m] = dstNode;
        mSrc[m] = -1;
        mBytes[m] = bytes;
        mSem[m] = semaphore;
        mHop[m] = -1;
        edgeMessagesIn++;
        mesh.send(mesh.edgePort(side, index), meshId[dstNode], bytes, m);
    }

    private void delivered(long nowPs, long tag) {
        int m = (int) tag;
        if (mHop[m] >= 0) {
            int next = mHop[m];
            mHop[m] = -1;
            mesh.send(mAt[m], next, mBytes[m], m);
            return;
        }
        int dst = mDst[m];
        if (dst <= -2) {
            messages.release(m);
            edgeListener.leftChip(nowPs, mSide[m], -2 - dst, mBytes[m], mTag[m]);
            return;
        }
        nodes[dst].deliver(mSrc[m], mBytes[m], mSem[m]);
        messages.release(m);
    }

    private void growMessages(int c) {
        mDst = Arrays.copyOf(mDst, c);
        mSrc = Arrays.copyOf(mSrc, c);
        mBytes = Arrays.copyOf(mBytes, c);
        mSem = Arrays.copyOf(mSem, c);
        mHop = Arrays.copyOf(mHop, c);
        mAt = Arrays.copyOf(mAt, c);
        mSide = Arrays.copyOf(mSide, c);
        mTag = Arrays.copyOf(mTag, c);
    }

    @Override
    public void arrive(int node, int thread, int barrierId, int participants) {
        int[] w = barrierWaiters[barrierId];
        if (w == null || w.length < participants) {
            w = barrierWaiters[barrierId] = w == null ? new int[participants] : Arrays.copyOf(w, participants);
        }
        w[barrierArrivals[barrierId]++] = node << 8 | thread;
        if (barrierArrivals[barrierId] == participants) {
            long c = (sim.now() + periodPs - 1) / periodPs;
            sim.schedule((c + cp.barrierCycles()) * periodPs, 0, this, K_BARRIER, (long) barrierId << 32 | participants);
            barrierArrivals[barrierId] = 0;
        } else if (barrierArrivals[barrierId] > participants) {
            throw new SimulationError(path, sim.now(), "barrier " + barrierId + " over-subscribed");
        }
    }

    @Override
    public void onEvent(long nowPs, int kind, long arg) {
        int id = (int) (arg >>> 32);
        int n = (int) arg;
        int[] w = barrierWaiters[id];
        for (int i = 0; i < n; i++) {
            nodes[w[i] >>> 8].releaseBarrier(w[i] & 0xff);
        }
    }
}
