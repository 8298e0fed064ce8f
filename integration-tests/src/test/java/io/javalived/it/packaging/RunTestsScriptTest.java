package io.javalived.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's test command on a fresh machine: {@code ./run-tests} installs the packages the tests use that are missing
 * (apt-get update + install, saying which), and nothing when all are there; {@code .ci/run} only calls it. Run with
 * dpkg-query, apt-get and mvn replaced by recording stand-ins (this machine's packages are not touched, and the
 * stand-in mvn fails, so the script stops before the build).
 */
class RunTestsScriptTest {
    @TempDir
    Path tmp;

    Map<String, String> stubs(String... missing) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("calls.log");
        // dpkg-query -W -f=... PACKAGE: "ii " for an installed package, nothing and exit 1 for a missing one
        stub(bin, "dpkg-query", "for p in " + String.join(" ", missing)
                + "; do [ \"$p\" = \"${@: -1}\" ] && exit 1; done\nprintf 'ii '\n");
        stub(bin, "apt-get", "echo \"apt-get $*\" >> " + log + "\n");
        stub(bin, "mvn", "echo \"mvn $*\" >> " + log + "\nexit 1\n");
        stub(bin, "javac", "exit 0\n");
        return Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    static void stub(Path bin, String name, String body) throws Exception {
        Path f = Files.writeString(bin.resolve(name), "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    List<String> calls() throws Exception {
        Path log = tmp.resolve("calls.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void installsWhatIsMissingThenBuilds() throws Exception {
        Run r = Run.of(tmp, stubs("tcpdump", "prometheus"), List.of(Run.repo().resolve("run-tests").toString()));
        assertThat(r.exit()).as("the stand-in mvn fails").isEqualTo(1);
        assertThat(r.err()).contains("run-tests: installing the missing packages: tcpdump prometheus (apt-get)");
        assertThat(calls()).containsExactly("apt-get update -qq",
                "apt-get install -y -qq --no-install-recommends tcpdump prometheus", "mvn -B install");
    }

    @Test
    void installsNothingWhenAllAreThere() throws Exception {
        Run r = Run.of(tmp, stubs(), List.of(Run.repo().resolve("run-tests").toString()));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("installing");
        assertThat(calls()).containsExactly("mvn -B install");
    }

    @Test
    void ciRunOnlyCallsRunTests() throws Exception {
        Run r = Run.of(tmp, stubs("keepalived"), List.of("bash", Run.repo().resolve(".ci/run").toString()));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(calls()).containsExactly("apt-get update -qq",
                "apt-get install -y -qq --no-install-recommends keepalived", "mvn -B install");
        String ci = Files.readString(Run.repo().resolve(".ci/run"));
        assertThat(ci.replaceAll("(?m)^#.*$", "")).doesNotContain("apt-get");
        assertThat(ci).containsPattern("(?m)^exec \\./run-tests$");
    }
}
