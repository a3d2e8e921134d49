package io.dojosim.d1.chip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Facts of a chip-scope kernel run for the report ({@link ChipResult#notes()}): the GEMM's grid
 * or the exchange's size, the routing used, the events executed, a GEMM's losses against peak,
 * and for a GEMM cut into blocks of C the cut and the largest block's notes.
 *
 * <p>Caveats: which fields are present depends on the kernel: a GEMM has {@link #grid} and
 * {@link #lossesPercentOfPeak}, an all-to-all {@link #bytesPerPair}, a vector neither; a tiled
 * GEMM has only {@link #blocks} and {@link #block}.
 *
 * @param blocks              how C was cut ("2 x 1 (...)"), null unless the GEMM was tiled
 * @param block               the largest block's notes, null unless tiled
 * @param grid                the GEMM's node grid, null for other kernels
 * @param bytesPerPair        an all-to-all's bytes per node pair, 0 for other kernels
 * @param routing             the mesh routing used ({@link D1Chip#routingNote()}), null when tiled
 * @param events              events the simulator executed
 * @param lossesPercentOfPeak a GEMM's lost share of peak by cause, in percent (empty for other kernels)
 */
public record ChipNotes(String blocks, ChipNotes block, Grid grid, long bytesPerPair, String routing, long events,
                        Map<String, Double> lossesPercentOfPeak) {
    public ChipNotes {
        lossesPercentOfPeak = Collections.unmodifiableMap(new LinkedHashMap<>(lossesPercentOfPeak));
    }

    /**
     * A SUMMA GEMM's grid.
     *
     * @param shape     "rows x cols"
     * @param usedNodes nodes of the grid
     * @param steps     SUMMA steps (panels of K)
     * @param panelK    K of one panel
     */
    public record Grid(String shape, int usedNodes, int steps, int panelK) {
    }

    /** @return the notes of a GEMM cut into blocks of C: the cut and the largest block's notes */
    public static ChipNotes tiled(String blocks, ChipNotes largest) {
        return new ChipNotes(blocks, largest, null, 0, null, 0, Map.of());
    }

    /** @return true when there is nothing to note (no kernel facts, no run) */
    public boolean isEmpty() {
        return blocks == null && grid == null && bytesPerPair == 0 && routing == null && events == 0 && lossesPercentOfPeak.isEmpty();
    }

    /** No notes: a kernel that did not run on the cycle-level chip. */
    public static final ChipNotes NONE = new ChipNotes(null, null, null, 0, null, 0, Map.of());
}
