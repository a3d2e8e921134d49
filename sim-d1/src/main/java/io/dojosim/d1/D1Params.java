package io.dojosim.d1;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamTable;

/**
 * Declared parameters of the D1 training node ({@code d1.node}) and the D1 die ({@code d1.chip}),
 * with the source of every default. Published figures cite dojo-facts keys (AID21, HC34-U, ...);
 * unpublished ones are assumptions from dojo-facts section 10, each argued on the page its source
 * names (docs/model/d1-node.md#assumptions, docs/model/d1-chip.md#assumptions).
 *
 * <p>Model code does not read these keys: {@code io.dojosim.d1.bind.D1Binding} binds them once into
 * the checked, immutable {@link NodeParams} and {@link io.dojosim.d1.chip.ChipParams}.
 *
 * <p>The declarations are data: the tables {@code d1-node.params}, {@code d1-chip.params} beside this class, read by {@link ParamTable}.
 */
public final class D1Params {
    private D1Params() {
    }

    private static final String CHIP_A = "docs/model/d1-chip.md#assumptions";

    public static final ParamGroup NODE = ParamTable.read(D1Params.class, "d1-node.params");

    public static final ParamGroup CHIP = ParamTable.read(D1Params.class, "d1-chip.params");
}
