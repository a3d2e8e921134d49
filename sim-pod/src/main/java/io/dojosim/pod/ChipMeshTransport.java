package io.dojosim.pod;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Clock;
import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.Simulator;
import io.dojosim.core.time.ClockDomain;
import io.dojosim.core.util.SlotPool;
import io.dojosim.noc.MeshNetwork;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import io.dojosim.pod.spec.SystemSpec;
import java.util.Arrays;

/**
 * The region of interest at fine fidelity: the nodes of one chip on sim-noc's {@link MeshNetwork}
 * (flit level: router pipeline, virtual channels, credits; or packet level), so that transfers
 * between them see real mesh contention instead of the flow model's node ports. Node endpoint
 * {@code (chip, i)} is the i-th active site of the chip's site array (ascending site id), the
 * same numbering sim-d1 uses.
 *
 * <p>Source: sim-noc (docs/model/noc.md); this class only maps endpoints and listeners.
 *
 * <p>Caveats: only node endpoints of the chosen chip; a transfer to or from anything else is
 * refused. A zero-byte transfer arrives at once.
 */
public final class ChipMeshTransport implements Transport, EventHandler {
    private final Simulator sim;
    private final MeshNetwork mesh;
    private final int chip;
    private final int[] site;
    private final String fidelity;
    private TransferListener[] listener = new TransferListener[64];
    private long[] tag = new long[64];
    private final SlotPool slots = new SlotPool(64, this::grow);

    /**
     * @param fidelity {@code flit} or {@code packet}
     * @param c        the system: its {@code noc} for the mesh ({@link SystemSpec#podMeshNoc}) and its
     *                 {@code d1.chip} for the site array
     */
    public ChipMeshTransport(Simulator sim, SystemSpec c, int chip, String fidelity) {
        this.sim = sim;
        this.chip = chip;
        this.fidelity = fidelity;
        NocParams np = nocParams(c, fidelity);
        MeshShape shape = dieShape(c);
        this.site = shape.activeNodeIds();
        Clock clock = new Clock(sim, new ClockDomain("noc", np.clockHz()));
        this.mesh = new MeshNetwork(sim, clock, "pod.roi.chip[" + chip + "].noc", shape, np);
        mesh.setDeliveryListener(this::delivered);
        mesh.setInjectionListener(this::injected);
    }

    /** @return the D1 die's site array ({@code d1.chip}: its count of active sites is checked when it is bound) */
    static MeshShape dieShape(SystemSpec c) {
        return c.chip().shape();
    }

    /** @throws ConfigException for a fidelity other than flit or packet */
    static NocParams nocParams(SystemSpec c, String fidelity) {
        if (!fidelity.equals("flit") && !fidelity.equals("packet")) {
            throw new ConfigException("mesh fidelity '" + fidelity + "' is not allowed; allowed: flit, packet");
        }
        return c.podMeshNoc(fidelity.equals("flit") ? SystemSpec.ChipFidelity.FLIT : SystemSpec.ChipFidelity.PACKET);
    }

    public MeshNetwork mesh() {
        return mesh;
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
    public void send(long src, long dst, long bytes, TransferListener l, long callerTag) {
        int s = terminal(src);
        int d = terminal(dst);
        int m = slots.take();
        listener[m] = l;
        tag[m] = callerTag;
        if (bytes == 0 || s == d) {
            sim.schedule(sim.now(), 0, this, 0, m);
        } else {
            mesh.send(s, d, bytes, m);
        }
    }

    private int terminal(long e) {
        if (Endpoint.kind(e) != Endpoint.KIND_NODE || Endpoint.a(e) != chip) {
            throw new ConfigException("the fine mesh of chip " + chip + " carries only its own nodes' traffic, not "
                    + Endpoint.toString(e));
        }
        int i = Endpoint.b(e);
        if (i < 0 || i >= site.length) throw new ConfigException("node " + i + " is not an active node of chip " + chip);
        return site[i];
    }

    @Override
    public void onEvent(long nowPs, int kind, long arg) {
        injected(nowPs, arg);
        delivered(nowPs, arg);
    }

    private void injected(long nowPs, long m) {
        TransferListener l = listener[(int) m];
        if (l != null) l.transferInjected(nowPs, tag[(int) m]);
    }

    private void delivered(long nowPs, long m) {
        int i = (int) m;
        TransferListener l = listener[i];
        long t = tag[i];
        listener[i] = null;
        slots.release(i);
        if (l != null) l.transferDone(nowPs, t);
    }

    private void grow(int n) {
        listener = Arrays.copyOf(listener, n);
        tag = Arrays.copyOf(tag, n);
    }
}
