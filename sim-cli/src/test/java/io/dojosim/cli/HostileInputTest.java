package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus (issue 17): every line of {@code hostile/cases.tsv} (configs, {@code --set}
 * values, workloads and traces of every format, argument lists; written by {@code generate.py})
 * must be refused with exit 2 and one message that names the file, key, option or field given in
 * the case, and shows no Java class name and no stack trace. The commands run in-process, so a
 * case that allocated without bound would fail the whole test JVM; the per-case timeout is only a
 * guard against a hang, not a measurement.
 */
class HostileInputTest {
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(?:java|javax|com\\.fasterxml|org\\.yaml|sun|jdk)\\.[a-z]|\\b[A-Z]\\w*(?:Exception|Error)\\b|\\bat [\\w.$]+\\("
                    + "|\\w+Feature\\.[A-Z_]+|\\[Source: ");

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(HostileInputTest.class.getResource("/hostile/cases.tsv").toURI()).getParent();
        Path repo = Path.of("").toAbsolutePath().getParent();
        List<Arguments> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("cases.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", 2);
            String args = f[1].replace("@H", dir.toString()).replace("@R", repo.toString());
            out.add(Arguments.of(f[0], args.split(" ")));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{index}: {1}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void isRefusedWithExitTwoNamingWhatIsWrong(String fragment, String[] args) {
        CliRunner r = CliRunner.run(args);
        String err = r.err.strip();
        assertEquals(ExitCodes.BAD_INPUT, r.exit, () -> String.join(" ", args) + "\n" + r);
        assertTrue(err.startsWith("error:"), () -> "one error message expected\n" + r);
        assertTrue(err.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT)),
                () -> "the message should name '" + fragment + "'\n" + r);
        assertFalse(JAVA_NAME.matcher(err).find(), () -> "a Java class name or stack frame reached the user\n" + r);
    }
}
