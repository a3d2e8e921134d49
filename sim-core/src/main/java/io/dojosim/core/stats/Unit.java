package io.dojosim.core.stats;

/** Units of statistics; the symbol is written beside every value in stats.json. */
public enum Unit {
    COUNT("count"), EVENTS("events"), CYCLES("cycles"), PS("ps"), FLITS("flits"), PACKETS("packets"),
    BYTES("bytes"), FLOPS("FLOP"), HOPS("hops"), RATIO("ratio"), MESSAGES("messages"),
    OPERATIONS("operations"), FLITS_PER_CYCLE("flits/cycle"), BYTES_PER_SECOND("B/s");

    private final String symbol;

    Unit(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
