package io.dojosim.noc.traffic;

/**
 * One row of a synthetic-traffic experiment: one offered load.
 *
 * @param rate                          offered load, flits per node per cycle
 * @param avgPacketLatencyCycles        creation to tail ejection (source queue included), measured packets
 * @param avgNetworkLatencyCycles       head entering the injection channel to tail ejection
 * @param p50PacketLatencyCycles        median packet latency
 * @param p99PacketLatencyCycles        99th percentile of packet latency
 * @param maxPacketLatencyCycles        largest packet latency
 * @param acceptedFlitsPerNodePerCycle  flits ejected per node per cycle in the measurement window
 * @param avgHops                       routers traversed per measured packet
 * @param saturated                     true when the latency threshold was passed (BookSim2's unstable verdict)
 * @param measuredPackets               packets whose latency was recorded
 * @param samplePeriods                 sample periods run, warm-up included
 * @param simulatedCycles               cycles simulated, warm-up and drain included
 * @param routers                       active routers of the mesh
 * @param maxLinkUtilization            busiest router-to-router link, flits per cycle in the window
 * @param avgBufferOccupancyFlits       mean flits buffered per router in the window (flit fidelity; 0 for packet)
 * @param wallSeconds                   wall-clock time of the run
 */
public record ExperimentResult(double rate, double avgPacketLatencyCycles, double avgNetworkLatencyCycles,
                               long p50PacketLatencyCycles, long p99PacketLatencyCycles, long maxPacketLatencyCycles,
                               double acceptedFlitsPerNodePerCycle, double avgHops, boolean saturated, long measuredPackets,
                               int samplePeriods, long simulatedCycles, int routers, double maxLinkUtilization,
                               double avgBufferOccupancyFlits, double wallSeconds) {

    /** @return simulated cycles times active routers per wall-clock second */
    public double routerCyclesPerSecond() {
        return wallSeconds <= 0 ? 0 : simulatedCycles * (double) routers / wallSeconds;
    }
}
