package io.dojosim.noc.traffic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Rows of sim-noc/src/test/resources/booksim/results_8x8_uniform.csv (BookSim2 output, see its README). */
public record BooksimReference(String runId, int k, int vcs, int bufferFlits, int packetFlits, boolean throughput,
                               double rate, boolean stable, double packetLatency, double networkLatency, double hops,
                               double accepted, int samplePeriods, long cycles) {

    public static List<BooksimReference> load() {
        try (InputStream in = BooksimReference.class.getResourceAsStream("/booksim/results_8x8_uniform.csv")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<BooksimReference> out = new ArrayList<>();
            String line = r.readLine(); // header
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                String[] f = line.split(",", -1);
                boolean stable = f[8].equals("stable");
                out.add(new BooksimReference(f[0], Integer.parseInt(f[1].split("x")[0]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), Integer.parseInt(f[4]), f[6].equals("throughput"), Double.parseDouble(f[7]),
                        stable, stable ? Double.parseDouble(f[9]) : Double.NaN, stable ? Double.parseDouble(f[11]) : Double.NaN,
                        stable ? Double.parseDouble(f[12]) : Double.NaN, stable ? Double.parseDouble(f[13]) : Double.NaN,
                        Integer.parseInt(f[16]), Long.parseLong(f[17])));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
