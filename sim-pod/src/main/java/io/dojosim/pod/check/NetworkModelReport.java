package io.dojosim.pod.check;

/**
 * What summary.json says about the network model a run used ({@code networkModel}): the fidelity
 * of the chips' on-chip traffic and its validated error band against the finer meshes
 * (docs/validation.md, region of interest and network-on-chip; ADR 0065, ADR 0099, ADR 0106). The compute
 * model's band is {@code computeModel.errorBand}.
 *
 * <p>Caveats: the bands are the measured cases of the validation page, not bounds for every traffic
 * pattern.
 */
public record NetworkModelReport(String chipFidelity, String errorBand) {

    /** Band of the coarse flow model against packet meshes. */
    public static final String FLOW_BAND = "against packet meshes (8 MiB transfers across a tile): node to node, neighbour chips, along a"
            + " row, along a column and turning inside a chip 0.98 to 1.04x (routing-aware coarse chip, ADR 0106); a ring all-reduce"
            + " over a tile's 25 chips (62.9 KB hops, latency-bound) 1.04x (one chip meshed) to 1.06x (all 25) slower on the meshes:"
            + " the mesh legs' own latency, which the coarse chip averages to half a chip per end, and the region's 256 B chunks"
            + " stored whole at each mesh edge (ADR 0118; 1.09x to 1.30x with 2 KiB chunks, no sharing of a chip's mesh involved)";
    /** Band of the packet mesh against the flit mesh. */
    public static final String PACKET_BAND = "against flit meshes: within 5 % latency up to 80 % of saturation on synthetic uniform traffic;"
            + " region crossings (long edge-port streams) along a column -1.4 %, through a turn +2.1 %";
    /** The flit mesh against BookSim2. */
    public static final String FLIT_BAND = "the reference: within 3 % of BookSim2 latency up to 80 % of saturation (8 x 8 uniform)";

    /** @return the {@code networkModel} block of summary.json for {@code pod.coarse.chipFidelity} (flow, packet or flit) */
    public static NetworkModelReport of(String chipFidelity) {
        return new NetworkModelReport(chipFidelity, "packet".equals(chipFidelity) ? PACKET_BAND : "flit".equals(chipFidelity) ? FLIT_BAND : FLOW_BAND);
    }
}
