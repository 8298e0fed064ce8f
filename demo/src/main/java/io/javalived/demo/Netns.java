package io.javalived.demo;

import io.javalived.netlink.ffi.LibC;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs code inside a named network namespace ({@code ip netns add NAME}) without a new process: a fresh thread enters
 * the namespace with setns(2) (which moves only the calling thread) and runs the code there; sockets it creates belong
 * to that namespace for their whole life, and threads it starts inherit the namespace. The thread then ends, so no
 * thread of this JVM is ever returned to a pool while in another namespace.
 */
final class Netns {
    private Netns() {
    }

    /** Runs {@code task} in namespace {@code ns}, waiting at most {@code timeoutMillis}. */
    static <T> T call(String ns, long timeoutMillis, Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                enter(ns);
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "demo-netns-" + ns);
        t.setDaemon(true);
        t.start();
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        } catch (TimeoutException e) {
            t.interrupt();
            throw new TimeoutException("no answer within " + timeoutMillis + " ms in namespace " + ns);
        }
    }

    private static void enter(String ns) {
        String path = "/run/netns/" + ns;
        int fd = LibC.INSTANCE.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("cannot open " + path + ": " + LibC.INSTANCE.strerror(LibC.errno()));
        }
        try {
            if (LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET) != 0) {
                throw new IllegalStateException("setns " + path + ": " + LibC.INSTANCE.strerror(LibC.errno()));
            }
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }
}
