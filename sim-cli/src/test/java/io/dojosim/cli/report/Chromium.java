package io.dojosim.cli.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a page in a real headless browser (Debian's chromium) and returns the DOM after its
 * scripts ran, with the browser's log. Fails, never skips, when chromium is missing: CI
 * installs it ({@code .ci/run}).
 */
final class Chromium {
    /** The browser window (CSS pixels): the report's "first screen". */
    static final int WIDTH = 1280;
    static final int HEIGHT = 900;

    final String dom;
    final String log;

    private Chromium(String dom, String log) {
        this.dom = dom;
        this.log = log;
    }

    static Path binary() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("DOJOSIM_CHROMIUM");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                for (String n : List.of("chromium", "chromium-browser", "google-chrome")) {
                    candidates.add(Path.of(d, n));
                }
            }
        }
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        fail("The HTML report test needs a headless Chromium and found none (looked at $DOJOSIM_CHROMIUM, /usr/bin/chromium and "
                + "chromium, chromium-browser, google-chrome on the PATH). Install it: on Debian or Ubuntu "
                + "'sudo apt-get install -y chromium' (the CI script .ci/run does this), or point DOJOSIM_CHROMIUM at a Chrome binary.");
        return null;
    }

    /** Loads the file with scripts on, network off, and returns the DOM after load. */
    static Chromium load(Path html, Path tmp) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        Path out = tmp.resolve("dom-" + System.nanoTime() + ".html");
        Path err = tmp.resolve("log-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000", "--window-size=" + WIDTH + "," + HEIGHT, "--dump-dom", html.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            fail("chromium did not finish loading " + html + " within 120 s; its log:\n" + Files.readString(err));
        }
        return new Chromium(Files.readString(out), Files.readString(err));
    }

    /** @return the value of an attribute of the html element, or null */
    String rootAttribute(String name) {
        Matcher m = Pattern.compile("<html[^>]*\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(dom);
        return m.find() ? m.group(1) : null;
    }

    /** @return the page's console messages (and page errors) from the browser log */
    List<String> consoleLines() {
        List<String> out = new ArrayList<>();
        for (String l : log.split("\n")) {
            if (l.matches(".*:CONSOLE[:(].*") || l.contains("Uncaught") || l.contains("Refused to")) {
                out.add(l);
            }
        }
        return out;
    }
}
