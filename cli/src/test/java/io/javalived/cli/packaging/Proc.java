package io.javalived.cli.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a tool (bash, groff, man) with a time bound and returns its exit code, stdout and stderr. */
record Proc(int exit, String out, String err) {
    static Proc run(Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        java.io.File errFile = java.io.File.createTempFile("jvpkg", ".err");
        try {
            pb.redirectError(errFile);
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Proc(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(errFile.toPath()));
        } finally {
            errFile.delete();
        }
    }

    /** The absolute path of an installed tool, or an AssertionError naming the Debian package to install. */
    static String tool(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            java.io.File f = new java.io.File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new AssertionError(name + " is not installed: apt-get install " + debianPackage
                + " (.ci/run installs it)");
    }
}
