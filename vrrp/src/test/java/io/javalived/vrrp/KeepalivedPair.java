package io.javalived.vrrp;

import io.javalived.netlink.ffi.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The vrrp module's keepalived labs: two private namespaces, K for Debian's keepalived and J for the code under test
 * (reached through threads that entered J with setns, which is per thread), and a scratch directory. The test links
 * and addresses them itself ({@link #sh}); {@link #close()} stops keepalived (by its process), the threads, deletes
 * both namespaces and the directory.
 */
public final class KeepalivedPair implements AutoCloseable {
    public final String nk;
    public final String nj;
    public final Path dir;
    private Process keepalived;
    private final List<ExecutorService> pools = new ArrayList<>();

    /** Creates the directory and both namespaces; on failure removes what it made. */
    public KeepalivedPair(String nk, String nj, String dirPrefix) throws IOException, InterruptedException {
        this.nk = nk;
        this.nj = nj;
        this.dir = Files.createTempDirectory(dirPrefix);
        try {
            sh("ip netns add " + nk);
            sh("ip netns add " + nj);
        } catch (IOException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Runs a shell command (20 s at most); its output, or an IOException naming it. */
    public static String sh(String cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
        return out;
    }

    /** {@code n} threads that run in namespace J (closed with the pair). */
    public ExecutorService threadsInJ(int n, String name) {
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(() -> {
                int fd = LibC.INSTANCE.open("/run/netns/" + nj, LibC.O_RDONLY | LibC.O_CLOEXEC);
                if (fd < 0 || LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET) != 0) {
                    throw new IllegalStateException("setns " + nj + " failed: errno " + LibC.errno());
                }
                LibC.INSTANCE.close(fd);
                r.run();
            }, name);
            t.setDaemon(true);
            return t;
        });
        pools.add(pool);
        return pool;
    }

    /** Starts keepalived -P in namespace K on the test's {@code dir/k.conf}, logging to k.log. */
    public void startKeepalived() throws IOException {
        keepalived = new ProcessBuilder("ip", "netns", "exec", nk, "keepalived", "-P", "-n", "-l", "-D",
                "-f", dir.resolve("k.conf").toString(), "-p", dir.resolve("k.pid").toString(),
                "-r", dir.resolve("k.vpid").toString(), "-c", dir.resolve("k.cpid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("k.log").toFile()).start();
    }

    /** SIGTERM to keepalived (by its process); true when it exited within 10 s. */
    public boolean stopKeepalived() throws InterruptedException {
        keepalived.destroy();
        return keepalived.waitFor(10, TimeUnit.SECONDS);
    }

    /** keepalived's log so far ("" before it started). */
    public String log() throws IOException {
        Path p = dir.resolve("k.log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (keepalived != null && !stopKeepalived()) {
            keepalived.destroyForcibly();
        }
        pools.forEach(ExecutorService::shutdownNow);
        for (String n : new String[] {nk, nj}) {
            try {
                sh("ip netns del " + n);
            } catch (IOException ignored) {
                // was not created
            }
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
