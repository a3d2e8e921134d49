package io.dojosim.noc.internal;

/**
 * The grant phase of the separable (iSLIP) switch allocator that the flit and packet engines share:
 * each requested output picks the first requesting input at or after its round-robin pointer.
 * Primitive arrays only, nothing allocated; the accept phase stays with each engine, which
 * knows what a grant carries (a VC or a packet).
 */
final class SwitchGrant {
    private SwitchGrant() {
    }

    /**
     * @param outMask    outputs with at least one request
     * @param inMask     per output, the requesting inputs
     * @param gptr       grant pointers, per router and output, at {@code rp + output}
     * @param rp         the router's offset into {@code gptr}
     * @param grantOut   per input, the outputs granting it (or-ed into; cleared by the accept phase)
     * @return the inputs that received at least one grant
     */
    static int grant(int outMask, int[] inMask, int[] gptr, int rp, int[] grantOut) {
        int grantIn = 0;
        for (int om = outMask; om != 0; om &= om - 1) {
            int o = Integer.numberOfTrailingZeros(om);
            int ins = inMask[o];
            int hi = ins & (-1 << gptr[rp + o]);
            int pick = Integer.numberOfTrailingZeros(hi != 0 ? hi : ins);
            grantOut[pick] |= 1 << o;
            grantIn |= 1 << pick;
        }
        return grantIn;
    }
}
