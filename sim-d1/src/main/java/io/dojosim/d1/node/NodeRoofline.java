package io.dojosim.d1.node;

import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;

/**
 * The {@code roofline} node fidelity: a closed-form time for a node program with no event queue.
 * Time = max(work of each resource / its lanes, the longest thread's own serial time) plus one
 * pipeline fill (the largest load + pipe latency of any operation), plus DMA set-up per DMA.
 *
 * <p>Caveats: ignores semaphores, barriers and message arrival times (it times a node in
 * isolation), and assumes threads overlap perfectly; {@code D1NodeRooflineTest} bounds its error
 * against {@code cycle} on the same programs.
 */
public final class NodeRoofline {
    private NodeRoofline() {
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    public static NodeResult estimate(NodeParams p, NodeProgram prog) {
        prog.checkFits("node", p.sramBytes(), p.codeReserveBytes());
        int[] lanes = {p.vectorIssueWidth(), 1, 1, p.sramLoadPorts(), p.sramStorePorts(), 1, 1};
        long[] busy = new long[D1Node.RESOURCES];
        long[] flops = new long[DType.count()];
        long serialMax = 0;
        long fill = 0;
        long dmaEngine = 0;
        long loadB = 0, storeB = 0, rr = 0, rw = 0;
        for (int t = 0; t < prog.threads(); t++) {
            long serial = 0;
            for (int i = 0; i < prog.length(t); i++) {
                byte o = prog.op(t, i);
                int n = prog.n(t, i);
                switch (o) {
                    case NodeProgram.MATRIX:
                    case NodeProgram.VECTOR:
                    case NodeProgram.LOAD:
                    case NodeProgram.STORE: {
                        int pipe = o == NodeProgram.MATRIX ? D1Node.R_MATRIX : o == NodeProgram.VECTOR ? D1Node.R_SIMD : -1;
                        long pc = pipe == D1Node.R_MATRIX ? ceilDiv(n, p.matrixBlocksPerCycle()) : pipe == D1Node.R_SIMD ? n : 0;
                        long ls = ceilDiv(prog.x(t, i), p.sramPortBytes());
                        long ss = ceilDiv(prog.y(t, i), p.sramPortBytes());
                        int kl = ls == 0 ? 0 : (int) Math.min(lanes[D1Node.R_LOAD], ceilDiv(ls, Math.max(1, pc)));
                        int ks = ss == 0 ? 0 : (int) Math.min(lanes[D1Node.R_STORE], ceilDiv(ss, Math.max(1, pc)));
                        long dur = Math.max(1, pc);
                        if (kl > 0) dur = Math.max(dur, ceilDiv(ls, kl));
                        if (ks > 0) dur = Math.max(dur, ceilDiv(ss, ks));
                        serial += dur;
                        long lat = 0;
                        if (pipe >= 0) {
                            busy[pipe] += pc;
                            busy[D1Node.R_ISSUE] += pc;
                            lat = pipe == D1Node.R_MATRIX ? p.matrixLatencyCycles() : p.simdLatencyCycles();
                            DType dt = prog.dtype(t, i);
                            flops[dt.ordinal()] += pipe == D1Node.R_MATRIX ? 2L * p.macsPerMatrixBlock() * n
                                    : 2L * p.simdFmaPerInstruction(dt) * n;
                        }
                        if (ls > 0) {
                            lat += p.sramLatencyCycles();
                        }
                        busy[D1Node.R_LOAD] += ls;
                        busy[D1Node.R_STORE] += ss;
                        loadB += prog.x(t, i);
                        storeB += prog.y(t, i);
                        fill = Math.max(fill, lat);
                        break;
                    }
                    case NodeProgram.SEND: {
                        long s = ceilDiv(n, p.routerReadBytesPerCycle());
                        busy[D1Node.R_RREAD] += s;
                        rr += n;
                        serial += s;
                        break;
                    }
                    case NodeProgram.DMA: {
                        long s = ceilDiv(n, p.routerReadBytesPerCycle());
                        busy[D1Node.R_RREAD] += s;
                        rr += n;
                        dmaEngine += p.dmaSetupCycles() + s;
                        serial += 1;
                        break;
                    }
                    default:
                        serial += p.semaphoreCycles();
                        break;
                }
            }
            serialMax = Math.max(serialMax, serial);
        }
        long bound = serialMax;
        for (int r = 0; r < D1Node.RESOURCES; r++) {
            bound = Math.max(bound, ceilDiv(busy[r], lanes[r]));
        }
        bound = Math.max(bound, dmaEngine);
        long cycles = bound + fill;
        String limiter = serialMax >= bound ? "threadSerial" : NodeResult.busiest(busy, lanes, cycles);
        return new NodeResult(cycles, busy, lanes, flops, new long[prog.threads()][D1Node.REASONS], loadB, storeB, rr, rw, 0, limiter);
    }
}
