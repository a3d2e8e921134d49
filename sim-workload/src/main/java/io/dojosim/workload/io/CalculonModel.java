package io.dojosim.workload.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Calculon LLM model file (calculon {@code models/*.json}: {@code hidden, feedforward,
 * seq_size, attn_heads, attn_size, num_blocks}) and generates the GPT-style decoder's training
 * step ({@link Generators#decoder}). Strict: every key required, no other key allowed.
 */
public final class CalculonModel {
    private static final List<String> KEYS = List.of("hidden", "feedforward", "seq_size", "attn_heads", "attn_size",
            "num_blocks");

    private CalculonModel() {
    }

    /** @return whether the JSON file's top level has Calculon's {@code num_blocks} key */
    static boolean looksLikeCalculon(Path p) {
        try {
            JsonNode n = new ObjectMapper().readTree(p.toFile());
            return n != null && n.isObject() && n.has("num_blocks") && n.has("attn_heads");
        } catch (IOException e) {
            return false;
        }
    }

    public static Workload load(Path p, GeneratorParams params) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(p.toFile());
        } catch (IOException e) {
            throw new ConfigException(p + ": cannot read the Calculon model: " + e.getMessage(), e);
        }
        Map<String, Long> v = new LinkedHashMap<>();
        for (String k : KEYS) {
            JsonNode x = n.get(k);
            if (x == null || !x.canConvertToLong() || !x.isIntegralNumber() || x.asLong() < 1) {
                throw new ConfigException(p + ": key '" + k + "' must be an integer >= 1, found "
                        + (x == null ? "nothing" : x.toString()) + "; a Calculon model has " + String.join(", ", KEYS));
            }
            v.put(k, x.asLong());
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new ConfigException(p + ": unknown key '" + k + "'; a Calculon model has " + String.join(", ", KEYS));
            }
        }
        Map<String, Long> dims = new LinkedHashMap<>();
        dims.put("layers", v.get("num_blocks"));
        dims.put("hidden", v.get("hidden"));
        dims.put("heads", v.get("attn_heads"));
        dims.put("headDim", v.get("attn_size"));
        dims.put("ffn", v.get("feedforward"));
        dims.put("seq", v.get("seq_size"));
        String name = p.getFileName().toString().replaceAll("\\.json$", "");
        return Generators.decoder(name, dims, 1, params);
    }
}
