package io.javalived.it.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Shell commands for the labs: bash -c, stdin from /dev/null, output and error together, bounded in time. */
public final class Shell {
    private Shell() {
    }

    /** Runs a script (180 s at most); its output, or an IOException with the exit code and output. */
    public static String sh(String script) throws IOException {
        Result r = run(script, 180);
        if (r.exit != 0) {
            throw new IOException((r.exit < 0 ? "timed out" : "exit " + r.exit) + ": " + script + "\n" + r.out);
        }
        return r.out;
    }

    /** Runs a script (180 s at most) and returns its output whatever its exit code. */
    public static String out(String script) throws IOException {
        return run(script, 180).out;
    }

    private record Result(int exit, String out) {}

    private static Result run(String script, long seconds) throws IOException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + script);
        }
        return new Result(p.exitValue(), o);
    }
}
