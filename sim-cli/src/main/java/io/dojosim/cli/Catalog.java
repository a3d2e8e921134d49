package io.dojosim.cli;

import io.dojosim.core.config.CoreParams;
import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ParamGroup;
import io.dojosim.d1.D1Params;
import io.dojosim.noc.NocParams;
import io.dojosim.pod.PodParams;
import io.dojosim.pod.step.StepParams;
import java.util.ArrayList;
import java.util.List;

/** Every parameter group the command line binds, in the order {@code describe} prints them. */
public final class Catalog {
    private Catalog() {
    }

    /** @return the groups of every model module */
    public static List<ParamGroup> groups() {
        List<ParamGroup> g = new ArrayList<>();
        g.add(CoreParams.GROUP);
        g.add(NocParams.GROUP);
        g.add(D1Params.NODE);
        g.add(D1Params.CHIP);
        g.addAll(PodParams.ALL);
        g.add(StepParams.GROUP);
        return List.copyOf(g);
    }

    private static ParamCatalog instance;

    /** @return the catalog of all groups (built once) */
    public static synchronized ParamCatalog get() {
        if (instance == null) {
            instance = new ParamCatalog(groups());
        }
        return instance;
    }
}
