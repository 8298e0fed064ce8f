package io.javalived.it.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A finished command: exit code, stdout, stderr. Runs with a time bound; never inherits a terminal. */
record Run(int exit, String out, String err) {
    static Run of(Path cwd, Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        return of(cwd, env, false, cmd);
    }

    static Run of(Path cwd, Map<String, String> env, boolean clearEnv, List<String> cmd)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        if (clearEnv) {
            pb.environment().clear();
        }
        pb.environment().putAll(env);
        File err = File.createTempFile("jvpkg", ".err");
        try {
            pb.redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err.toPath()));
        } finally {
            err.delete();
        }
    }

    static Run sh(String cmd) throws IOException, InterruptedException {
        return of(Path.of("/"), Map.of(), List.of("sh", "-c", cmd));
    }

    /** The path of an installed tool, or null. */
    static String which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** The repository root (integration-tests runs in its module directory). */
    static Path repo() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("Dockerfile")) && Files.exists(p.resolve("packaging"))) {
                return p;
            }
        }
        throw new AssertionError("no repository root above " + here);
    }

    /** cli/target/javalived.jar, which the reactor's package phase of cli built before these tests. */
    static Path jar() {
        Path jar = repo().resolve("cli/target/javalived.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: build it first (mvn -B -o -q install -pl cli -DskipTests, "
                    + "or the whole reactor)");
        }
        return jar;
    }

    /** The project version from the parent pom (what 'javalived --version' prints). */
    static String projectVersion() throws IOException {
        String pom = Files.readString(repo().resolve("pom.xml"));
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<artifactId>javalived-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        if (!m.find()) {
            throw new AssertionError("no javalived-parent version in pom.xml");
        }
        return m.group(1).trim();
    }
}
