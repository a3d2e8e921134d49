package io.dojosim.noc.internal;

/**
 * The phases of the separable (iSLIP) switch allocator that the flit and packet engines share:
 * the round-robin choice of one VC per (input, output) pair, the grant (each requested output
 * picks the first requesting input at or after its pointer), the accept (each input takes the first
 * granting output at or after its pointer). Primitive arrays only, nothing allocated; each engine
 * keeps what a grant carries (a VC or a packet) and resets its own request slots.
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

    /**
     * @return true when VC {@code a} comes before VC {@code b} in round-robin order starting at
     * {@code off}, of {@code n} VCs
     */
    static boolean roundRobinBefore(int a, int b, int off, int n) {
        int da = a - off;
        if (da < 0) da += n;
        int db = b - off;
        if (db < 0) db += n;
        return da < db;
    }

    /**
     * Accept phase of input {@code in}: takes the first output of {@code grantOut[in]} at or after
     * its accept pointer, clears {@code grantOut[in]}, and moves the output's grant pointer past the
     * input and the input's accept pointer past the output.
     *
     * @param ports ports per router (the pointers' modulus)
     * @return the accepted output
     */
    static int accept(int in, int[] grantOut, int[] gptr, int[] aptr, int rp, int ports) {
        int outs = grantOut[in];
        grantOut[in] = 0;
        int hi = outs & (-1 << aptr[rp + in]);
        int o = Integer.numberOfTrailingZeros(hi != 0 ? hi : outs);
        gptr[rp + o] = in + 1 == ports ? 0 : in + 1;
        aptr[rp + in] = o + 1 == ports ? 0 : o + 1;
        return o;
    }
}
