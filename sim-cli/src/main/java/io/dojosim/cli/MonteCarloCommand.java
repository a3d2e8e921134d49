package io.dojosim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dojosim.cli.files.JsonTree;
import io.dojosim.cli.files.RecordFields;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.core.random.RandomStreams;
import io.dojosim.pod.PodConfig;
import io.dojosim.pod.defect.DefectMap;
import io.dojosim.pod.step.PlanSearch;
import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.pod.step.StepSummary;
import io.dojosim.workload.Workload;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dojosim montecarlo}: draws N defect maps from the {@code pod.defects} rates (dead chips
 * and dead links per tile, slow chips and their slowdown, dead nodes per chip), runs the training step on each, and reports mean, p5,
 * p50 and p95 of step time, throughput, energy per step and performance per watt, with the worst
 * sample's map saved. See docs/model/energy.md#monte-carlo.
 *
 * <pre>
 *   plan:    chosen once on the healthy machine (the plan search, as dojosim run), then fixed
 *   sample i: map ~ rates, from the random stream "montecarlo.sample[i]" of --seed
 *            dead chips and links -> pod.system.deadChips, deadLinks, simulated (traffic routes around them);
 *            slow chips -> pod.system.slowChips, simulated (a stage's compute runs at its slowest chip's
 *            pace and its collectives wait for it: io.dojosim.pod.step.PacedBackend);
 *            dead nodes per chip -> pod.system.deadNodes, simulated (the chip computes activeNodes /
 *            (activeNodes - dead) slower, paced as a slow chip, and holds less SRAM)
 *   result:  a pure function of (config, seed, i): identical at any -j; samples with the same dead
 *            chips, dead links and slow chips share one simulation; each sample's record is kept in DIR/samples/, so a
 *            stopped run resumes where it was
 * </pre>
 *
 * <p>Exit codes: 0 the samples ran (a sample whose map cuts a chip off or leaves the fixed plan no
 * room is a result, recorded {@code failed} with its reason and left out of the statistics);
 * 2 bad input.
 */
@Command(name = "montecarlo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw N defect maps (dead chips, links and nodes, slow chips: pod.defects.*), run the step on each and report",
                "mean, p5, p50, p95 of step time, throughput, energy and performance per watt. Resumable; same result at any -j."})
public final class MonteCarloCommand extends ConfiguredCommand {
    @Option(names = {"-w", "--workload"}, paramLabel = "WORKLOAD", description = "Workload (same as --set run.workload=...).")
    String workload;

    @Option(names = "--samples", paramLabel = "N", description = "Defect maps to draw (default ${DEFAULT-VALUE}).", defaultValue = "100")
    int samples;

    @Option(names = {"-j", "--jobs"}, paramLabel = "J", description = "Samples run at once (default 1).", defaultValue = "1")
    int jobs;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true,
            description = "Folder for montecarlo.json, samples.csv, worst-sample.json and samples/ (start again with it to resume).")
    Path outDir;

    static final String[] METRICS = {"stepTimeSeconds", "samplesPerSecond", "joulesPerStep", "averageWatts", "samplesPerJoule", "gflopsPerWatt"};

    @Override
    public Integer call() throws Exception {
        if (samples < 1) throw new ConfigException("--samples " + samples + ": at least 1");
        if (jobs < 1) throw new ConfigException("-j " + jobs + ": the number of jobs must be at least 1");
        if (workload != null) config.addOverride("run.workload", workload);
        ResolvedConfig c = config.resolve();
        SystemChecks.check(c);
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Result r = run(c, samples, jobs, outDir);
        print(out, r.report(), outDir);
        out.printf(Locale.ROOT, "%n%d samples (%d simulations) in %.1f s wall on %d job(s)%n", samples, r.simulations(),
                (System.nanoTime() - t0) / 1e9, jobs);
        out.flush();
        return ExitCodes.OK;
    }

    /** What a Monte Carlo run produced: the montecarlo.json tree, failed samples, distinct simulations run in this session. */
    record Result(Map<String, Object> report, int failed, int simulations) {
    }

    /** Runs (or resumes) the Monte Carlo into {@code dir}; the report does not depend on {@code jobs}. */
    static Result run(ResolvedConfig c, int samples, int jobs, Path dir) throws Exception {
        long seed = c.getLong("sim.seed");
        ResolvedConfig base;
        Workload w;
        java.util.function.LongFunction<Workload> atBatch = WorkloadResolver.atBatch(c);
        io.dojosim.pod.spec.SystemSpec spec = SystemChecks.bind(c);
        if (atBatch != null && PlanSearch.applies(spec)) {
            io.dojosim.workload.gen.Generators.Info info = WorkloadResolver.info(c);
            PlanSearch.Result search = PlanSearch.search(spec, atBatch, info.globalBatch(), info.globalBatchSource(), Workers.single());
            // the plan is fixed; the global batch is not (dead chips may leave fewer replicas): samples per step are the replicas' batches
            base = io.dojosim.pod.bind.SpecBinder.fixPlan(c, search.chosen().candidate(), search.globalBatch())
                    .with("run.globalBatch", 0L, "montecarlo");
            w = search.chosenWorkload();
        } else {
            base = c;
            w = WorkloadResolver.resolve(c);
        }
        DefectMap.Rates rates = io.dojosim.pod.bind.SpecBinder.defectRates(c);
        PodConfig pc = PodConfig.of(spec);
        int tiles = new io.dojosim.pod.Topology(pc).tiles();
        List<String> configDead = c.getStringList("pod.system.deadChips");
        RandomStreams streams = new RandomStreams(seed);
        List<DefectMap> maps = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            DefectMap m = DefectMap.draw(rates, tiles, pc.chipsX(), pc.chipsY(), pc.nodesPerChip(), configDead, streams.stream("montecarlo.sample[" + i + "]"));
            List<String> links = new ArrayList<>(c.getStringList("pod.system.deadLinks"));   // the config's own dead links stay
            for (String l : m.deadLinks()) if (!links.contains(l)) links.add(l);
            maps.add(withConfigDeadNodes(m.withDeadLinks(links), c.getStringList("pod.system.deadNodes")));
        }
        Files.createDirectories(dir.resolve("samples"));
        String baseFingerprint = sha(Output.resolvedConfigYaml(base) + "|" + w.metadata().name() + "|" + seed);
        Map<String, CompletableFuture<StepSummary>> sims = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger simulated = new java.util.concurrent.atomic.AtomicInteger();
        final ResolvedConfig fixed = base;
        final Workload fw = w;
        java.util.function.Function<DefectMap, StepSummary> simulate = map -> {
            CompletableFuture<StepSummary> mine = new CompletableFuture<>();
            List<String> slow = slowChipEntries(map);
            CompletableFuture<StepSummary> f = sims.putIfAbsent(String.join(";", map.deadChips()) + "|" + String.join(";", map.deadLinks())
                    + "|" + String.join(";", slow) + "|" + String.join(";", map.deadNodeEntries()), mine);
            if (f != null) return f.join();
            try {
                simulated.incrementAndGet();
                ResolvedConfig ci = fixed.with("pod.system.deadChips", map.deadChips(), "montecarlo")
                        .with("pod.system.deadLinks", map.deadLinks(), "montecarlo")
                        .with("pod.system.slowChips", slow, "montecarlo")
                        .with("pod.system.deadNodes", map.deadNodeEntries(), "montecarlo");
                mine.complete(StepRunner.run(io.dojosim.pod.bind.SpecBinder.bind(ci), fw, StepExecutor.TimelineSink.NONE, Workers.single()).summary());
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
            return mine.join();
        };
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < samples; i++) records.add(null);
        ExecutorService pool = Executors.newFixedThreadPool(jobs, rr -> {
            Thread t = new Thread(rr, "montecarlo-worker");
            t.setDaemon(true);
            return t;
        });
        Map<String, Object> healthy;
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                final int idx = i;
                fs.add(pool.submit(() -> {
                    records.set(idx, sample(idx, maps.get(idx), baseFingerprint, dir, json, simulate));
                    return null;
                }));
            }
            healthy = metrics(simulate.apply(withConfigDeadNodes(new DefectMap(configDead, c.getStringList("pod.system.deadLinks"), Map.of()),
                    c.getStringList("pod.system.deadNodes"))));
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Exception ex) throw ex;
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(report(c, base, w, samples, seed, rates, healthy, maps, records, dir), (int) records.stream()
                .filter(m -> !"ok".equals(m.get("status"))).count(), simulated.get());
    }

    /** Runs one sample, or reads its record back when a previous session finished it with the same inputs. */
    private static Map<String, Object> sample(int i, DefectMap map, String baseFingerprint, Path dir, ObjectMapper json,
                                              java.util.function.Function<DefectMap, StepSummary> simulate) throws Exception {
        Path file = dir.resolve("samples").resolve(String.format(Locale.ROOT, "sample-%05d.json", i));
        String fp = sha(baseFingerprint + "|" + ResultJson.defects(map));
        if (Files.exists(file)) {
            Map<String, Object> old = json.readValue(file.toFile(), LinkedHashMap.class);
            if (fp.equals(old.get("fingerprint"))) return old;
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("sample", i);
        rec.put("fingerprint", fp);
        rec.put("defects", ResultJson.defects(map));
        try {
            rec.put("status", "ok");
            rec.putAll(metrics(simulate.apply(map)));
        } catch (ConfigException | java.util.concurrent.CompletionException e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof ConfigException)) throw e;
            rec.put("status", "failed");
            rec.put("error", cause.getMessage());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Output.writeJson(tmp, rec);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return rec;
    }

    /** @return the map with the config's own {@code pod.system.deadNodes} ("tile,x,y,nodes") added to the drawn ones */
    static DefectMap withConfigDeadNodes(DefectMap m, List<String> config) {
        if (config.isEmpty()) return m;
        Map<String, Integer> dn = new java.util.TreeMap<>(m.deadNodes());
        for (String e : config) {
            int k = e.lastIndexOf(',');
            String chip = k < 0 ? e : e.substring(0, k).replace(" ", "");
            int n;
            try {
                n = Integer.parseInt(e.substring(k + 1).trim());
            } catch (RuntimeException ex) {
                throw new ConfigException("key 'pod.system.deadNodes': entry '" + e + "' is not \"tile,x,y,nodes\" (four integers)");
            }
            dn.merge(chip, n, Integer::sum);
        }
        return new DefectMap(m.deadChips(), m.deadLinks(), m.slowChips(), dn);
    }

    /** @return the map's slow chips as {@code pod.system.slowChips} entries "tile,x,y,slowdown" */
    static List<String> slowChipEntries(DefectMap map) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Double> e : map.slowChips().entrySet()) out.add(e.getKey() + "," + e.getValue());
        return out;
    }

    /** @return the headline figures of a simulated step (slow chips paced inside the simulation, pod.system.slowChips) */
    static Map<String, Object> metrics(StepSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stepTimeSeconds", s.stepTimeSeconds());
        m.put("samplesPerSecond", s.samplesPerSecond());
        m.put("joulesPerStep", s.energy().joulesPerStep());
        m.put("averageWatts", s.energy().averageWatts().system());
        m.put("samplesPerJoule", s.energy().samplesPerJoule());
        m.put("gflopsPerWatt", s.energy().gflopsPerWatt());
        m.put("aliveChips", s.system().chips());
        m.put("dataParallel", s.plan().dataParallel());
        return m;
    }

    private static Map<String, Object> report(ResolvedConfig c, ResolvedConfig base, Workload w, int samples, long seed, DefectMap.Rates rates,
                                              Map<String, Object> healthy, List<DefectMap> maps, List<Map<String, Object>> records, Path dir) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("schemaVersion", 1);
        r.put("workload", w.metadata().name());
        r.put("scope", c.getString("pod.system.scope"));
        r.put("samples", samples);
        r.put("seed", seed);
        r.put("rates", RecordFields.of(rates, "deadChipsPerTile", "deadLinksPerTile", "slowChipFraction", "slowdownMax", "deadNodesPerChip"));
        Map<String, Object> plan = new LinkedHashMap<>();
        for (String k : List.of("run.mapping.replicaChips", "run.mapping.pipelineStages", "run.mapping.microBatches", "run.batchPerReplica")) {
            plan.put(k, base.values().get(k));
        }
        r.put("plan", plan);
        r.put("healthy", healthy);
        List<Map<String, Object>> ok = records.stream().filter(m -> "ok".equals(m.get("status"))).toList();
        r.put("ok", ok.size());
        r.put("failed", samples - ok.size());
        Map<String, Object> stats = new LinkedHashMap<>();
        for (String k : METRICS) {
            double[] v = ok.stream().mapToDouble(m -> ((Number) m.get(k)).doubleValue()).sorted().toArray();
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("mean", v.length == 0 ? 0.0 : java.util.Arrays.stream(v).sum() / v.length);
            st.put("p5", percentile(v, 5));
            st.put("p50", percentile(v, 50));
            st.put("p95", percentile(v, 95));
            stats.put(k, st);
        }
        r.put("statistics", stats);
        int worst = -1;
        for (Map<String, Object> m : ok) {
            if (worst < 0 || ((Number) m.get("stepTimeSeconds")).doubleValue() > ((Number) records.get(worst).get("stepTimeSeconds")).doubleValue()) {
                worst = ((Number) m.get("sample")).intValue();
            }
        }
        if (worst >= 0) {
            Map<String, Object> ws = new LinkedHashMap<>(records.get(worst));
            ws.put("rerun", "dojosim run --set pod.system.deadChips=" + String.join(";", maps.get(worst).deadChips())
                    + " --set pod.system.deadLinks=" + String.join(";", maps.get(worst).deadLinks())
                    + " --set pod.system.slowChips=" + String.join(";", slowChipEntries(maps.get(worst)))
                    + " --set pod.system.deadNodes=" + String.join(";", maps.get(worst).deadNodeEntries()));
            r.put("worst", ws);
            Output.writeJson(dir.resolve("worst-sample.json"), ws);
        }
        StringBuilder csv = new StringBuilder("sample,status,deadChips,deadLinks,slowChips,maxSlowdown,deadNodes," + String.join(",", METRICS) + ",error\n");
        for (Map<String, Object> m : records) {
            DefectMap d = maps.get(((Number) m.get("sample")).intValue());
            csv.append(m.get("sample")).append(',').append(m.get("status")).append(',').append(d.deadChips().size()).append(',')
                    .append(d.deadLinks().size()).append(',')
                    .append(d.slowChips().size()).append(',').append(d.maxSlowdown()).append(',').append(d.deadNodeCount());
            for (String k : METRICS) csv.append(',').append(m.get(k) == null ? "" : m.get(k));
            csv.append(',').append(m.get("error") == null ? "" : '"' + String.valueOf(m.get("error")).replace("\"", "'") + '"').append('\n');
        }
        Output.writeText(dir.resolve("samples.csv"), csv.toString());
        Output.writeJson(dir.resolve("montecarlo.json"), r);
        return r;
    }

    /** Nearest-rank percentile of sorted values (0 for none). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return 0.0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static void print(PrintWriter out, Map<String, Object> r, Path dir) {
        Map<String, Object> rates = JsonTree.object(r.get("rates"));
        out.printf(Locale.ROOT, "montecarlo %s on a %s, %s samples, seed %s: dead chips %.3g and dead links %.3g per tile, %.3g %% slow chips up to %.3gx%n",
                r.get("workload"), r.get("scope"), r.get("samples"), r.get("seed"), ((Number) rates.get("deadChipsPerTile")).doubleValue(),
                ((Number) rates.get("deadLinksPerTile")).doubleValue(),
                100 * ((Number) rates.get("slowChipFraction")).doubleValue(), ((Number) rates.get("slowdownMax")).doubleValue());
        out.printf(Locale.ROOT, "%s ok, %s failed%n%n", r.get("ok"), r.get("failed"));
        out.printf(Locale.ROOT, "  %-18s %13s %13s %13s %13s %13s%n", "", "healthy", "mean", "p5", "p50", "p95");
        Map<String, Object> healthy = JsonTree.object(r.get("healthy"));
        for (String k : METRICS) {
            Map<String, Object> st = JsonTree.object(JsonTree.object(r.get("statistics")).get(k));
            out.printf(Locale.ROOT, "  %-18s %13.5g %13.5g %13.5g %13.5g %13.5g%n", k, ((Number) healthy.get(k)).doubleValue(),
                    ((Number) st.get("mean")).doubleValue(), ((Number) st.get("p5")).doubleValue(), ((Number) st.get("p50")).doubleValue(),
                    ((Number) st.get("p95")).doubleValue());
        }
        if (r.get("worst") instanceof Map<?, ?> w) {
            out.printf(Locale.ROOT, "%nworst: sample %s, step %.5g s (%s)%n", w.get("sample"), ((Number) w.get("stepTimeSeconds")).doubleValue(), w.get("defects"));
        }
        out.printf(Locale.ROOT, "results: %s, %s, %s%n", dir.resolve("montecarlo.json"), dir.resolve("samples.csv"), dir.resolve("worst-sample.json"));
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
