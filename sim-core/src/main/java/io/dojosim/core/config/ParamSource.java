package io.dojosim.core.config;

/**
 * Where a default value comes from: a published figure with its citation, a figure derived by
 * arithmetic from published ones, an assumption argued on a documentation page, or a setting of the
 * simulator itself.
 *
 * @param kind      the kind of source
 * @param reference a citation (for example {@code AID21; HC34-U}) or a doc page ({@code docs/model/noc.md#assumptions})
 */
public record ParamSource(Kind kind, String reference) {
    public enum Kind { PUBLISHED, DERIVED, ASSUMED, SIMULATOR }

    public ParamSource {
        Check.require(kind != null && reference != null && !reference.isBlank(), "a parameter source needs a kind and a reference");
    }

    public static ParamSource published(String citation) {
        return new ParamSource(Kind.PUBLISHED, citation);
    }

    public static ParamSource derived(String formula) {
        return new ParamSource(Kind.DERIVED, formula);
    }

    public static ParamSource assumed(String docPage) {
        return new ParamSource(Kind.ASSUMED, docPage);
    }

    public static ParamSource simulator(String docPage) {
        return new ParamSource(Kind.SIMULATOR, docPage);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + reference;
    }
}
