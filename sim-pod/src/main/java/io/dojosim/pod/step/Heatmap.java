package io.dojosim.pod.step;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One mesh heatmap of a run (docs/report.md): a {@code width} x {@code height} grid of values in
 * row-major order, with a null where no site exists, and the values of the links between cells.
 *
 * @param level  {@code tile} (chips of a tile) or {@code chip} (node sites of a chip)
 * @param unit   the values' unit ({@code ratio})
 * @param values row-major, {@code width * height} entries, null for an empty site
 * @param links  the links between cells with their values
 */
public record Heatmap(String name, String level, String unit, int width, int height, List<Double> values, List<LinkValue> links) {
    public Heatmap {
        if (values.size() != (long) width * height) {
            throw new IllegalArgumentException("heatmap '" + name + "' has " + values.size() + " values for " + width + " x " + height);
        }
        values = Collections.unmodifiableList(new ArrayList<>(values)); // nulls allowed: empty sites
        links = List.copyOf(links);
    }

    /**
     * A link leaving cell (x, y).
     *
     * @param dir E = x + 1, W = x - 1, N = y - 1, S = y + 1
     */
    public record LinkValue(int x, int y, String dir, double value) {
    }
}
