package io.dojosim.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of one component type, for example {@code d1.node}: every key starts with the
 * group name. {@code dojosim describe GROUP} prints them.
 */
public record ParamGroup(String name, String description, String docPage, List<ParamDef> params) {
    public ParamGroup {
        params = List.copyOf(params);
        for (ParamDef d : params) {
            Check.require(d.key().startsWith(name + "."), "parameter " + d.key() + " is not under group " + name);
        }
    }

    public static Builder builder(String name, String description, String docPage) {
        return new Builder(name, description, docPage);
    }

    /** Declares parameters fluently; keys are relative to the group name. */
    public static final class Builder {
        private final String name;
        private final String description;
        private final String docPage;
        private final List<ParamDef> params = new ArrayList<>();

        private Builder(String name, String description, String docPage) {
            this.name = name;
            this.description = description;
            this.docPage = docPage;
        }

        private Builder add(String key, ParamType type, Object def, String unit, double min, double max, List<String> allowed, ParamSource src, String desc) {
            params.add(new ParamDef(name + "." + key, type, def, unit, min, max, allowed, src, desc));
            return this;
        }

        public Builder intParam(String key, int def, int min, int max, String unit, ParamSource src, String desc) {
            return add(key, ParamType.INT, def, unit, min, max, null, src, desc);
        }

        public Builder longParam(String key, long def, long min, long max, String unit, ParamSource src, String desc) {
            return add(key, ParamType.LONG, def, unit, min, max, null, src, desc);
        }

        public Builder doubleParam(String key, double def, double min, double max, String unit, ParamSource src, String desc) {
            return add(key, ParamType.DOUBLE, def, unit, min, max, null, src, desc);
        }

        public Builder bytesParam(String key, long def, long min, long max, ParamSource src, String desc) {
            return add(key, ParamType.BYTES, def, "bytes", min, max, null, src, desc);
        }

        public Builder boolParam(String key, boolean def, ParamSource src, String desc) {
            return add(key, ParamType.BOOLEAN, def, "", 0, 0, null, src, desc);
        }

        public Builder enumParam(String key, String def, List<String> allowed, ParamSource src, String desc) {
            return add(key, ParamType.ENUM, def, "", 0, 0, allowed, src, desc);
        }

        public Builder stringParam(String key, String def, ParamSource src, String desc) {
            return add(key, ParamType.STRING, def, "", 0, 0, null, src, desc);
        }

        public Builder stringListParam(String key, List<String> def, String unit, ParamSource src, String desc) {
            return add(key, ParamType.STRING_LIST, def, unit, 0, 0, null, src, desc);
        }

        /** Adds a parameter declared elsewhere ({@link ParamTable}); its key must already carry the group name. */
        Builder add(ParamDef d) {
            params.add(d);
            return this;
        }

        public ParamGroup build() {
            return new ParamGroup(name, description, docPage, params);
        }
    }
}
