package io.javalived.netlink.ffi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A signal's disposition as the kernel holds it: whether it is ignored ({@code /proc/self/status}, no native call),
 * and putting an ignored one back to its default action (sigaction(2)).
 *
 * <p>Why: a process inherits ignored signals from whoever started it ({@code nohup} ignores SIGHUP; a shell without
 * job control starts background jobs with SIGINT and SIGQUIT ignored), and a JVM started so installs no handler of its
 * own for SIGHUP, SIGINT or SIGTERM - nor the one a program asks for with {@code sun.misc.Signal.handle}, which then
 * returns as if it had. keepalived sets its own dispositions whatever it inherited; javalived resets these to the
 * default first, so the handlers installed next take. Only then is the native library loaded: a daemon started with
 * its signals at their defaults (systemd, a terminal) makes no native call here.
 */
public final class SignalDisposition {
    /** glibc's struct sigaction on 64-bit Linux: the handler (8 bytes), a 1024-bit mask, int flags, the restorer. */
    static final int SIZE = 152;
    static final long SIG_DFL = 0, SIG_IGN = 1;

    private SignalDisposition() {
    }

    /** True when {@code sig} (1..64) is ignored in this process: its bit in the SigIgn mask of /proc/self/status. */
    public static boolean ignored(int sig) throws IOException {
        return ignored(Files.readString(Path.of("/proc/self/status")), sig);
    }

    /** The SigIgn mask's bit for {@code sig} in the text of a /proc/PID/status file. */
    static boolean ignored(String procStatus, int sig) {
        if (sig < 1 || sig > 64) {
            throw new IllegalArgumentException("no signal " + sig + " (1..64)");
        }
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (mask >>> (sig - 1) & 1) != 0;
            }
        }
        throw new IllegalArgumentException("no SigIgn line in the process status");
    }

    /**
     * Puts {@code sig} back to its default action when it is ignored; any other disposition (the default, a handler of
     * the JVM's) is left as it is. Returns whether it was ignored.
     */
    public static boolean resetIfIgnored(int sig) throws IOException {
        if (!ignored(sig)) {
            return false;
        }
        set(sig, SIG_DFL);
        return true;
    }

    /** Sets {@code sig} to SIG_DFL or SIG_IGN (empty mask, no flags). */
    static void set(int sig, long disposition) throws IOException {
        long act = JffiCalls.malloc(SIZE); // zeroed: an empty mask, no flags
        try {
            JffiCalls.putLong(act, disposition);
            if (JffiCalls.sigaction(sig, act, 0) != 0) {
                throw failure("set", sig);
            }
        } finally {
            JffiCalls.free(act);
        }
    }

    /** The handler's address, SIG_DFL or SIG_IGN, as sigaction(2) reads it. */
    static long handler(int sig) throws IOException {
        long old = JffiCalls.malloc(SIZE);
        try {
            if (JffiCalls.sigaction(sig, 0, old) != 0) {
                throw failure("read", sig);
            }
            return JffiCalls.getLong(old);
        } finally {
            JffiCalls.free(old);
        }
    }

    private static IOException failure(String what, int sig) {
        return new IOException("sigaction(" + sig + ") could not " + what + " the disposition: "
                + Errno.describe(JffiCalls.errno()));
    }
}
