package io.javalived.netlink.ffi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A signal's disposition as the kernel holds it (sigaction(2)): whether it is ignored, and putting an ignored one back
 * to its default action.
 *
 * <p>Why: a process inherits ignored signals from whoever started it ({@code nohup} ignores SIGHUP; a shell without
 * job control starts background jobs with SIGINT and SIGQUIT ignored), and a JVM started so installs no handler of its
 * own for SIGHUP, SIGINT or SIGTERM - nor the one a program asks for with {@code sun.misc.Signal.handle}, which then
 * returns as if it had. keepalived sets its own dispositions whatever it inherited; javalived resets these to the
 * default first, so the handlers installed next take.
 */
public final class SignalDisposition {
    /** glibc's struct sigaction on 64-bit Linux: the handler (8 bytes), a 1024-bit mask, int flags, the restorer. */
    static final int SIZE = 152;
    static final long SIG_DFL = 0, SIG_IGN = 1;

    private SignalDisposition() {
    }

    /** True when {@code sig} is ignored (SIG_IGN) in this process. */
    public static boolean ignored(int sig) throws IOException {
        return handler(sig) == SIG_IGN;
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
        byte[] act = new byte[SIZE];
        ByteBuffer.wrap(act).order(ByteOrder.nativeOrder()).putLong(0, disposition);
        if (LibC.INSTANCE.sigaction(sig, act, null) != 0) {
            throw failure("set", sig);
        }
    }

    /** The handler address, SIG_DFL or SIG_IGN. */
    static long handler(int sig) throws IOException {
        byte[] old = new byte[SIZE];
        if (LibC.INSTANCE.sigaction(sig, null, old) != 0) {
            throw failure("read", sig);
        }
        return ByteBuffer.wrap(old).order(ByteOrder.nativeOrder()).getLong(0);
    }

    private static IOException failure(String what, int sig) {
        return new IOException("sigaction(" + sig + ") could not " + what + " the disposition: "
                + Errno.describe(LibC.errno()));
    }
}
