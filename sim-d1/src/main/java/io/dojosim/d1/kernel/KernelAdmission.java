package io.dojosim.d1.kernel;

import io.dojosim.core.config.Check;
import io.dojosim.core.config.ConfigException;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;

/**
 * Admission of a synthetic kernel before its programs are built: the bytes of SRAM its operands
 * need on the busiest node, computed from the shape alone with overflow-checked arithmetic, against
 * the node's data SRAM ({@code d1.node.sramBytes} minus {@code d1.node.codeReserveBytes}). A kernel
 * that cannot fit is refused here, in microseconds, instead of after building millions of
 * micro-operations (issue 17, case 2).
 *
 * <p>Caveats: at chip scope the estimate is the even share (operands divided over the active
 * nodes, rounded up), a lower bound of the busiest node's need; the exact per-node check still runs
 * when the node is built ({@code NodeProgram.checkFits}).
 */
public final class KernelAdmission {
    private KernelAdmission() {
    }

    /**
     * @param kernel      gemm, vector or alltoall
     * @param activeNodes nodes the operands are spread over (1 for a lone node)
     * @throws ConfigException naming the options and the estimate when the operands cannot fit
     */
    public static void check(NodeParams p, String kernel, int activeNodes, long m, long n, long k, DType t) {
        long e = t.bytes();
        long need;
        String what;
        switch (kernel) {
            case "gemm" -> {
                long a = Check.multiplyExact(Check.multiplyExact(m, k, "--m x --k"), e, "--m x --k x element bytes");
                long b = Check.multiplyExact(Check.multiplyExact(k, n, "--k x --n"), e, "--k x --n x element bytes");
                long c = Check.multiplyExact(Check.multiplyExact(m, n, "--m x --n"), activeNodes > 1 ? 4 : GemmTiling.outBytes(t),
                        "--m x --n x output bytes");
                need = ceilDiv(Check.addExact(Check.addExact(a, b, "gemm operand bytes"), c, "gemm operand bytes"), activeNodes);
                what = "gemm " + m + " x " + n + " x " + k + " " + t.key() + " needs A, B and C in SRAM: " + need + " bytes";
            }
            case "vector" -> {
                need = ceilDiv(Check.multiplyExact(Check.multiplyExact(m, 2, "--m"), e, "--m x element bytes"), activeNodes);
                what = "vector over --m " + m + " " + t.key() + " elements needs x and y in SRAM: " + need + " bytes";
            }
            case "alltoall" -> {
                // every node sends m bytes to each peer and receives m bytes from each (ChipKernels)
                need = Check.multiplyExact(Check.multiplyExact(m, Math.max(1, activeNodes - 1), "--m x (nodes - 1)"), 2,
                        "--m x (nodes - 1) x 2");
                what = "alltoall of --m " + m + " bytes per pair needs its send and receive buffers in SRAM: " + need + " bytes";
            }
            default -> throw new ConfigException("--kernel '" + kernel + "' is not known; allowed: gemm, vector, alltoall");
        }
        long avail = p.dataBytes();
        if (need > avail) {
            throw new ConfigException(what + (activeNodes > 1 ? " per node (an even share over " + activeNodes + " active nodes)" : "")
                    + ", but a node holds " + avail + " bytes of data (d1.node.sramBytes minus d1.node.codeReserveBytes);"
                    + " allowed: shapes whose operands fit; use smaller --m, --n, --k");
        }
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }
}
