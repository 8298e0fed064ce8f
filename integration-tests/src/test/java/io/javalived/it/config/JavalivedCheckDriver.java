package io.javalived.it.config;

import io.javalived.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code javalived check -f FILE} in-process for every file listed (one path a line) in the
 * file named by {@code args[0]}, so that one JVM (started inside the test's network namespace)
 * checks the whole corpus. For each file it prints {@code FILE<TAB>EXITCODE} on stdout, and saves
 * what the command printed to {@code FILE.javalived.txt}. A check that takes longer than
 * {@code args[1]} seconds (default 20) prints {@code FILE<TAB>TIMEOUT} and halts the JVM: the test
 * restarts the driver for the files after it. A check that calls System.exit ends the JVM with its
 * exit code, which the test then attributes to that file.
 */
public final class JavalivedCheckDriver {
    private JavalivedCheckDriver() {
    }

    public static void main(String[] args) throws Exception {
        List<String> files = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        long timeoutSec = args.length > 1 ? Long.parseLong(args[1]) : 20;
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "check");
            t.setDaemon(true);
            return t;
        });
        for (String f : files) {
            if (f.isBlank()) {
                continue;
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream cap = new PrintStream(buf, true, StandardCharsets.UTF_8);
            // announce the file before running it, so that a System.exit inside check is attributable
            realOut.println("#start\t" + f);
            realOut.flush();
            System.setOut(cap);
            System.setErr(cap);
            String result;
            try {
                Future<Integer> fut = ex.submit(() -> Main.commandLine().execute("check", "-f", f));
                result = String.valueOf(fut.get(timeoutSec, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                result = "TIMEOUT";
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                cap.println("javalived check threw " + c);
                c.printStackTrace(cap);
                result = "THROWN";
            } finally {
                System.setOut(realOut);
                System.setErr(realErr);
            }
            save(f, buf);
            realOut.println(f + "\t" + result);
            realOut.flush();
            if (result.equals("TIMEOUT")) {
                Runtime.getRuntime().halt(3);
            }
        }
        realOut.println("#done");
        realOut.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void save(String f, ByteArrayOutputStream buf) {
        try {
            byte[] b = buf.toByteArray();
            int n = Math.min(b.length, 64 * 1024);
            Files.write(Path.of(f + ".javalived.txt"), java.util.Arrays.copyOf(b, n));
        } catch (IOException | RuntimeException e) {
            // the output is only for the report
        }
    }
}
