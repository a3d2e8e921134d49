package io.dojosim.workload.io;

import io.dojosim.core.config.ConfigException;
import io.dojosim.workload.CollectiveOp;
import io.dojosim.workload.CommGroup;
import io.dojosim.workload.Operation;
import io.dojosim.workload.RankGraph;
import io.dojosim.workload.Workload;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ASTRA-sim's communicator-group file ({@code --comm-group-configuration}): a JSON object whose
 * keys are group names and whose values are the ranks (NPU ids) of each group; a Chakra collective
 * names its group in {@code pg_name}.
 *
 * <pre>
 *   { "0": [0, 1, 2, 3], "1": [4, 5, 6, 7] }
 * </pre>
 *
 * <p>Caveats: a collective whose process group the file does not name keeps its name only (its
 * members are then the ranks that issue collectives on that name).
 */
public final class CommGroupsFile {
    private CommGroupsFile() {
    }

    /** @throws ConfigException naming the file, line and what is allowed when it is not such an object */
    public static Map<String, List<Integer>> read(Path file) {
        String f = file.toString();
        Tree.Node root;
        try (Reader in = Files.newBufferedReader(file)) {
            root = Tree.parse(f, in, false);
        } catch (IOException e) {
            throw new ConfigException(f + ": cannot read the communicator-group file (key 'run.commGroups'): " + e.getMessage(), e);
        }
        if (!(root instanceof Tree.MapNode m)) {
            throw new ConfigException(f + ":" + root.line() + ":" + root.column() + ": a communicator-group file is a JSON object of"
                    + " group name -> list of ranks, e.g. {\"0\": [0, 1], \"1\": [2, 3]}");
        }
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tree.Node> e : m.entries().entrySet()) {
            Tree.Node v = e.getValue();
            if (!(v instanceof Tree.ListNode l) || l.items().isEmpty()) {
                throw new ConfigException(f + ":" + v.line() + ":" + v.column() + ": group '" + e.getKey() + "' must be a non-empty list of ranks");
            }
            List<Integer> ranks = new ArrayList<>();
            for (Tree.Node item : l.items()) {
                int r;
                try {
                    r = item instanceof Tree.Scalar s && s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT
                            ? Integer.parseInt(s.text()) : -1;
                } catch (NumberFormatException x) {
                    r = -1;
                }
                if (r < 0) {
                    throw new ConfigException(f + ":" + item.line() + ":" + item.column() + ": group '" + e.getKey()
                            + "': a rank is a whole number >= 0");
                }
                if (ranks.contains(r)) {
                    throw new ConfigException(f + ":" + item.line() + ":" + item.column() + ": group '" + e.getKey() + "' lists rank " + r + " twice");
                }
                ranks.add(r);
            }
            out.put(e.getKey(), List.copyOf(ranks));
        }
        return out;
    }

    /** @return the workload with the ranks of every collective whose process-group name the file lists */
    public static Workload apply(Workload w, Map<String, List<Integer>> groups) {
        List<RankGraph> ranks = new ArrayList<>();
        for (RankGraph g : w.ranks()) {
            List<Operation> ops = new ArrayList<>(g.size());
            boolean changed = false;
            for (Operation op : g.ops()) {
                if (op instanceof CollectiveOp c && c.group().ranks().isEmpty() && groups.containsKey(c.group().name())) {
                    op = new CollectiveOp(c.id(), c.name(), c.collective(), c.bytes(),
                            new CommGroup(c.group().dimension(), c.group().name(), groups.get(c.group().name()), c.group().involvedDims()),
                            c.priority(), c.deps(), c.layer(), c.phase(), c.measuredDurationPs());
                    changed = true;
                }
                ops.add(op);
            }
            ranks.add(changed ? new RankGraph(g.rank(), ops) : g);
        }
        return new Workload(w.metadata(), ranks, w.warnings());
    }
}
