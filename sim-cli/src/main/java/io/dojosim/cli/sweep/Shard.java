package io.dojosim.cli.sweep;

import io.dojosim.core.config.ConfigException;

/**
 * One of {@code count} disjoint slices of a sweep's points, for batch schedulers that start the
 * same command N times on a shared folder (a Slurm job array, a Kubernetes indexed job): shard
 * {@code index} runs the points whose point index is {@code index} modulo {@code count}, so slow
 * and fast corners of the axes spread over the shards. Written {@code K/N}, K from 0 to N-1 (the
 * scheduler's task index as it comes: {@code $SLURM_ARRAY_TASK_ID} with {@code --array=0-3},
 * {@code $JOB_COMPLETION_INDEX}).
 *
 * @param index this shard, 0-based
 * @param count how many shards
 */
public record Shard(int index, int count) {
    /** The whole sweep as one shard. */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new ConfigException("--shard " + index + "/" + count + ": expected K/N with N >= 1 and K from 0 to N-1, for example --shard 0/4");
        }
    }

    /** Parses {@code K/N}. */
    public static Shard parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash <= 0 || slash == t.length() - 1) {
            throw new ConfigException("--shard '" + text + "': expected K/N (this shard, 0-based, of N), for example --shard 0/4");
        }
        try {
            return new Shard(Integer.parseInt(t.substring(0, slash).trim()), Integer.parseInt(t.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new ConfigException("--shard '" + text + "': expected K/N with whole numbers K and N, for example --shard 0/4");
        }
    }

    /** @return whether the point belongs to this shard */
    public boolean contains(SweepPoint p) {
        return p.index() % count == index;
    }

    /** @return whether this is the whole sweep */
    public boolean isAll() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
