package io.dojosim.pod;

import io.dojosim.core.config.Check;
import io.dojosim.core.config.ConfigException;

/**
 * Admission of a system size before anything is allocated: the chips the config builds, counted
 * with overflow-checked arithmetic from the scope, cabinets, trays, tiles and chips per tile, and
 * the heap their link graph, routes and flow state take, estimated at {@link #BYTES_PER_CHIP} a
 * chip. A system larger than the heap is refused naming the keys and the estimate (issue 17,
 * cases 4 and 5), by {@code validate} as by every simulating command.
 *
 * <p>Caveats: {@link #BYTES_PER_CHIP} is an upper estimate from measurement ({@code dojosim info}
 * on 150,000 chips fits in a 256 MiB heap, under 1.8 KiB a chip; a step's flow state and routes
 * about double it); a workload's own state is admitted separately.
 */
public final class PodAdmission {
    /** Heap a built chip takes with its links, routes and flow state (an upper estimate). */
    public static final long BYTES_PER_CHIP = 4096;

    private PodAdmission() {
    }

    /** @return the chips the config's scope builds, without overflow */
    public static long chips(PodConfig p) {
        String keys = "pod.system.cabinets x pod.system.traysPerCabinet x pod.tray.tilesX x pod.tray.tilesY x pod.tile.chipsX x pod.tile.chipsY";
        long trays = switch (p.scope()) {
            case "tile", "tray" -> 1;
            case "cabinet" -> p.traysPerCabinet();
            default -> Check.multiplyExact(p.traysPerCabinet(), p.cabinets(), keys);
        };
        long tiles = Check.multiplyExact(trays, Check.multiplyExact(p.builtTrayTilesX(), p.builtTrayTilesY(), keys), keys);
        return Check.multiplyExact(tiles, Check.multiplyExact(p.chipsX(), p.chipsY(), keys), keys);
    }

    /**
     * @param heapBytes the heap the machine may take (the JVM's maximum)
     * @throws ConfigException naming the size keys and the estimate when the system cannot be built
     */
    public static void check(PodConfig p, long heapBytes) {
        long chips;
        try {
            chips = chips(p);
        } catch (ConfigException e) {
            throw new ConfigException("pod.system.scope " + p.scope() + ": the system size overflows 64-bit arithmetic ("
                    + e.getMessage() + "); allowed: at most " + maxChips(heapBytes) + " chips in this heap");
        }
        long limit = maxChips(heapBytes);
        if (chips > limit) {
            throw new ConfigException("pod.system.scope " + p.scope() + " with pod.system.cabinets " + p.cabinets()
                    + ", pod.system.traysPerCabinet " + p.traysPerCabinet() + ", pod.tray.tilesX/Y " + p.trayTilesX() + " x " + p.trayTilesY()
                    + " and pod.tile.chipsX/Y " + p.chipsX() + " x " + p.chipsY() + " builds " + chips + " chips, an estimated "
                    + mib(Check.multiplyExact(Math.min(chips, Long.MAX_VALUE / BYTES_PER_CHIP), BYTES_PER_CHIP, "heap estimate"))
                    + " MiB of state; allowed: at most " + limit + " chips in this heap (" + mib(heapBytes)
                    + " MiB; give more with DOJOSIM_JAVA_OPTS=-Xmx<size>)");
        }
    }

    /** @return the most chips a heap of this size can build: 3/4 of it at {@link #BYTES_PER_CHIP}, within an int */
    public static long maxChips(long heapBytes) {
        return Math.min(Integer.MAX_VALUE / 8, heapBytes / 4 * 3 / BYTES_PER_CHIP);
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }
}
