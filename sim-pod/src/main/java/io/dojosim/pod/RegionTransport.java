package io.dojosim.pod;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Simulator;

/**
 * Mixed fidelity for one run: the region of interest, the nodes of one chip
 * ({@code pod.coarse.roiChip}), on sim-noc's flit or packet mesh ({@code pod.coarse.chipFidelity}),
 * and everything else on the machine's flow model. A transfer whose two endpoints are nodes of the
 * region-of-interest chip is a message on that chip's {@link ChipMeshTransport}; every other
 * transfer (between chips, to HBM or hosts, or between nodes of other chips) is a flow on the
 * {@link FlowNetwork}. Both run on the same simulator, so the two kinds of traffic interleave in
 * simulated time.
 *
 * <p>Source: docs/model/tile.md#region-of-interest (issue 5, "fidelity per level"); the mesh is
 * sim-noc's (docs/model/noc.md), the rest the flow model (ADR 0040).
 *
 * <p>Caveats: the two models do not share links. A transfer between a node of the region and
 * anything outside it runs entirely on the flow model (it does not cross the region's mesh to the
 * chip edge), and mesh traffic does not load the flow model's node ports of that chip. With
 * {@code chipFidelity = flow} there is no region: every transfer is a flow.
 */
public final class RegionTransport implements Transport {
    private final FlowNetwork flow;
    private final ChipMeshTransport mesh;
    private final int roiChip;
    private final String fidelity;
    private long meshTransfers;
    private long flowTransfers;

    /**
     * @param flow the machine's flow model
     * @param c    the config: {@code pod.coarse.chipFidelity} and {@code pod.coarse.roiChip}, and
     *             {@code noc.*} / {@code d1.chip.*} for the mesh
     * @throws ConfigException when the region-of-interest chip is not a live chip of the built system
     */
    public RegionTransport(FlowNetwork flow, ResolvedConfig c) {
        this.flow = flow;
        String f = c.getString("pod.coarse.chipFidelity");
        int roi = c.getInt("pod.coarse.roiChip");
        Topology t = flow.topology();
        if (f.equals("flow")) {
            this.mesh = null;
            this.roiChip = -1;
            this.fidelity = "flow";
        } else {
            if (roi >= t.chips() || !t.alive(roi)) {
                throw new ConfigException("pod.coarse.roiChip = " + roi + " is not a live chip of the built system (chips 0.."
                        + (t.chips() - 1) + ", scope " + t.config().scope() + ")");
            }
            this.mesh = new ChipMeshTransport(flow.simulator(), c, roi, f);
            this.roiChip = roi;
            this.fidelity = f + " in chip " + roi + ", flow elsewhere";
        }
    }

    @Override
    public Simulator simulator() {
        return flow.simulator();
    }

    @Override
    public void send(long src, long dst, long bytes, TransferListener listener, long tag) {
        if (mesh != null && inRegion(src) && inRegion(dst)) {
            meshTransfers++;
            mesh.send(src, dst, bytes, listener, tag);
        } else {
            flowTransfers++;
            flow.send(src, dst, bytes, listener, tag);
        }
    }

    private boolean inRegion(long e) {
        return Endpoint.kind(e) == Endpoint.KIND_NODE && Endpoint.a(e) == roiChip;
    }

    @Override
    public String fidelity() {
        return fidelity;
    }

    /** @return the region-of-interest chip, or -1 when every transfer is a flow */
    public int roiChip() {
        return roiChip;
    }

    /** @return the mesh of the region, or null */
    public ChipMeshTransport mesh() {
        return mesh;
    }

    /** @return transfers sent on the region's mesh so far */
    public long meshTransfers() {
        return meshTransfers;
    }

    /** @return transfers sent on the flow model so far */
    public long flowTransfers() {
        return flowTransfers;
    }
}
