package io.javalived.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code javalived reload -p FILE} (as {@code run -p} and {@code status -p}) and {@code --pid FILE}: SIGHUP to the
 * process named in the pid file. The daemon's side of a reload is RunCommandTest's.
 */
class ReloadCommandTest {
    record Run(int rc, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        int rc;
        try { // ReloadCommand prints with System.out/err
            System.setOut(new java.io.PrintStream(out, true));
            System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    err.write(b);
                }
            }, true));
            CommandLine cl = Main.commandLine(args);
            cl.setErr(new PrintWriter(err, true));
            rc = cl.execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void pidFileWithPOrPidSignalsThatProcess(@TempDir Path dir) throws Exception {
        for (String flag : new String[] {"-p", "--pid"}) {
            // a stand-in for the daemon: sleep ends on SIGHUP (128 + 1)
            Process sleeper = new ProcessBuilder("sleep", "60").start();
            try {
                Path pid = Files.writeString(dir.resolve("javalived.pid"), sleeper.pid() + "\n");
                Run r = run("reload", flag, pid.toString());
                assertThat(r.rc()).as(flag + ": " + r.err()).isZero();
                assertThat(r.out()).contains("SIGHUP sent to " + sleeper.pid());
                assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).as("signalled").isTrue();
                assertThat(sleeper.exitValue()).isEqualTo(128 + 1);
            } finally {
                sleeper.destroyForcibly();
            }
        }
    }

    @Test
    void missingPidFileNamesItAndTheOption(@TempDir Path dir) {
        Path none = dir.resolve("none.pid");
        Run r = run("reload", "-p", none.toString());
        assertThat(r.rc()).as("not a usage error: -p is an option of reload").isEqualTo(1);
        assertThat(r.err()).contains(none + " does not exist", "-p FILE");
    }
}
