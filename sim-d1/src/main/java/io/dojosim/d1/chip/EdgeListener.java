package io.dojosim.d1.chip;

/**
 * Told when a message sent with {@link D1Chip#sendToEdge} has left the die through an edge port
 * (its last byte is out of the boundary router). sim-pod models the die-to-die link from there and
 * hands the message to the neighbouring die with {@link D1Chip#injectFromEdge}.
 */
@FunctionalInterface
public interface EdgeListener {
    /**
     * @param nowPs simulated time the last byte left the mesh
     * @param side  {@code MeshShape.NORTH}, {@code EAST}, {@code SOUTH} or {@code WEST}
     * @param index x along north and south, y along east and west
     * @param bytes payload bytes
     * @param tag   the caller's tag given to {@link D1Chip#sendToEdge}
     */
    void leftChip(long nowPs, int side, int index, int bytes, long tag);
}
