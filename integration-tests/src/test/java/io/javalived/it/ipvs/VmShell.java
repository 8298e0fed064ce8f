package io.javalived.it.ipvs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs ipvsadm and friends inside the IPVS VM (bounded in time; output returned, failures thrown). */
final class VmShell {
    private VmShell() {
    }

    record Out(int rc, String stdout, String stderr) {
    }

    static Out run(String stdin, long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path err = Files.createTempFile("jvc-err", ".txt");
        Path out = Files.createTempFile("jvc-out", ".txt");
        pb.redirectError(err.toFile());
        pb.redirectOutput(out.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        } else {
            Path in = Files.createTempFile("jvc-in", ".txt");
            Files.writeString(in, stdin);
            pb.redirectInput(in.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": no exit within " + timeoutSeconds + " s");
        }
        Out o = new Out(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return o;
    }

    /** ipvsadm with these arguments; throws unless it exits 0; returns stdout. */
    static String ipvsadm(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ipvsadm";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Out o = run(null, 120, cmd);
        if (o.rc() != 0) {
            throw new AssertionError("ipvsadm " + String.join(" ", args) + " exited " + o.rc() + ": " + o.stderr());
        }
        return o.stdout();
    }

    /** ipvsadm -R fed these rules on stdin. */
    static void restore(String rules) throws IOException, InterruptedException {
        Out o = run(rules, 600, "ipvsadm", "-R");
        if (o.rc() != 0) {
            throw new AssertionError("ipvsadm -R exited " + o.rc() + ": " + o.stderr());
        }
    }

    /** The schedulers this kernel ships as modules (ip_vs_*.ko minus the core, ftp helper and sip engine). */
    static List<String> schedulers() throws IOException, InterruptedException {
        String rel = run(null, 10, "uname", "-r").stdout().trim();
        Path dir = Path.of("/lib/modules", rel, "kernel/net/netfilter/ipvs");
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ip_vs_") && n.endsWith(".ko"))
                    .map(n -> n.substring(6, n.length() - 3)).filter(n -> !n.equals("ftp") && !n.startsWith("pe_"))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
