package io.dojosim.noc.internal;

import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import java.util.BitSet;

/**
 * The channel dependency graph (Dally and Seitz, 1987) of a routing on a mesh: one vertex per
 * router-to-router link and VC class, one edge from the channel a packet arrives on to the channel
 * it leaves on, over the routes of every pair of active nodes. Wormhole routing with these routes
 * is deadlock-free if the graph is acyclic.
 */
public final class ChannelDependencyGraph {
    private final int channels;
    private final BitSet adj;
    private final int pairs;

    private ChannelDependencyGraph(int channels, BitSet adj, int pairs) {
        this.channels = channels;
        this.adj = adj;
        this.pairs = pairs;
    }

    /**
     * @param ignoreClasses true to merge the VC classes (all traffic on shared VCs), for showing
     *                      that the classes are what breaks the cycles
     */
    public static ChannelDependencyGraph build(MeshShape shape, NocParams p, boolean ignoreClasses) {
        FlitEngine e = new FlitEngine(shape, p);
        int links = shape.sites() * MeshShape.PORTS;
        int channels = links * 2;
        BitSet adj = new BitSet();
        int max = Math.max(4 * (shape.width() + shape.height()), 2 * shape.sites()) + 8; // up*/down* routes visit a (router, phase) once
        int[] ports = new int[max];
        int[] routers = new int[max];
        boolean[] ph = new boolean[max];
        int[] nodes = shape.activeNodeIds();
        int pairs = 0;
        for (int s : nodes) {
            for (int d : nodes) {
                int n = e.traceRoute(s, d, ports, routers, ph);
                pairs++;
                int prev = -1;
                for (int i = 0; i < n; i++) {
                    if (ports[i] == MeshShape.LOCAL) break;
                    int ch = (routers[i] * MeshShape.PORTS + ports[i]) * 2 + (ph[i] && !ignoreClasses ? 1 : 0);
                    if (prev >= 0) adj.set((int) ((long) prev * channels + ch));
                    prev = ch;
                }
            }
        }
        return new ChannelDependencyGraph(channels, adj, pairs);
    }

    /** @return routes enumerated */
    public int pairs() {
        return pairs;
    }

    /** @return dependency edges */
    public int edges() {
        return adj.cardinality();
    }

    /** @return true when the graph has no cycle (iterative three-colour depth-first search) */
    public boolean isAcyclic() {
        byte[] colour = new byte[channels];
        int[] stack = new int[channels];
        int[] next = new int[channels];
        for (int root = 0; root < channels; root++) {
            if (colour[root] != 0) continue;
            int sp = 0;
            stack[sp++] = root;
            colour[root] = 1;
            next[root] = 0;
            while (sp > 0) {
                int v = stack[sp - 1];
                int from = v * channels;
                int w = adj.nextSetBit(from + next[v]);
                if (w >= 0 && w < from + channels) {
                    int u = w - from;
                    next[v] = u + 1;
                    if (colour[u] == 1) return false;
                    if (colour[u] == 0) {
                        colour[u] = 1;
                        next[u] = 0;
                        stack[sp++] = u;
                    }
                } else {
                    colour[v] = 2;
                    sp--;
                }
            }
        }
        return true;
    }
}
