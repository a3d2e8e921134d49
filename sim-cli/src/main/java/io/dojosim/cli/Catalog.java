package io.dojosim.cli;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ParamGroup;
import io.dojosim.pod.catalog.ModelCatalog;
import java.util.List;

/** Every parameter group the command line binds ({@link ModelCatalog#params()}), in the order {@code describe} prints them. */
public final class Catalog {
    private Catalog() {
    }

    /** @return the groups of every model module */
    public static List<ParamGroup> groups() {
        return ModelCatalog.params();
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
