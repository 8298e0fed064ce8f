package io.javalived.daemon;

import io.javalived.netlink.ffi.SignalDisposition;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The daemon's signal dispositions, as keepalived 2.2.7's: every signal keepalived handles or ignores is handled or
 * ignored, so no signal an operator or a monitoring tool sends to a keepalived ends or disturbs javalived.
 *
 * <p>keepalived's set (its parent process, {@code /proc/PID/status} SigIgn plus the signals it reads through a
 * signalfd): every signal 1..64 except SIGILL, SIGBUS, SIGFPE, SIGKILL, SIGSEGV, SIGSTOP and glibc's internal 32 and
 * 33. Here:
 * <ul>
 *   <li>SIGHUP (reload), SIGINT and SIGTERM (stop with priority 0): {@link RunCommand} and the JVM's shutdown hooks,
 *       taken back first when inherited ignored ({@link #takeBackIgnored});
 *   <li>SIGUSR1 (DATA), SIGUSR2 (STATS), SIGRTMIN+2 (JSON, 36), SIGRTMAX-1 (STATS_CLEAR, 63): handled here, the
 *       action runs on the caller's executor;
 *   <li>SIGQUIT: the JVM's thread dump on stdout (the JVM refuses to give it up; jcmd/jstack need it);
 *   <li>SIGPIPE, SIGXFSZ: already ignored by the JVM's own handler;
 *   <li>SIGCHLD: left at its default (no effect); ignoring it would make the kernel reap children before the JVM
 *       reads their exit status;
 *   <li>SIGRTMAX-2 (62): the JDK's no-op handler that interrupts blocking I/O (installed here if not yet);
 *   <li>every other one, including the JVM's thread-suspend signal (SIGUSR2, or {@code _JAVA_SR_SIGNUM}, which the
 *       launcher moves to SIGRTMAX-3): ignored. An external SIGUSR2 otherwise lands on the launcher's thread, which
 *       the JVM's suspend handler does not expect: the JVM crashes with an hs_err file. The cost: JFR's method
 *       sampler (which suspends threads with that signal) takes no samples in the daemon.
 * </ul>
 *
 * <p>Java names only the classic signals; the real-time ones (36, 63 and the ignored 34..61, 64) are registered
 * through the same JDK class with its number field set (sun.misc.Unsafe; no module needs opening).
 */
public final class DaemonSignals {
    private static final System.Logger LOG = System.getLogger("io.javalived.cli");

    /** glibc on Linux: the kernel's 32 and 33 are taken by the threads library. */
    public static final int SIGRTMIN = 34;
    public static final int SIGRTMAX = 64;
    /** keepalived's reload and stop signals. */
    public static final int SIGHUP = 1, SIGINT = 2, SIGTERM = 15;
    public static final int SIGUSR1 = 10;
    public static final int SIGUSR2 = 12;
    /** keepalived --signum=JSON. */
    public static final int SIGJSON = SIGRTMIN + 2;
    /** keepalived --signum=STATS_CLEAR. */
    public static final int SIGSTATS_CLEAR = SIGRTMAX - 1;
    /** sun.nio.ch.NativeThread's signal for waking a thread blocked in I/O. */
    static final int NIO_INTERRUPT = SIGRTMAX - 2;

    /** Signals left alone: JVM-owned, uncatchable, the glibc-internal ones, the daemon's own HUP/INT/TERM, CHLD. */
    private static final Set<Integer> NOT_TOUCHED = Set.of(1, 2, 3, 4, 7, 8, 9, 11, 13, 15, 17, 19, 25, 32, 33,
            NIO_INTERRUPT);

    private static final String[] NAMES = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
        "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

    /** What was installed, for the log and tests. */
    public record Installed(List<Integer> handled, List<Integer> ignored, List<String> problems) {}

    private DaemonSignals() {
    }

    /** SIGHUP, SIGRTMIN+2, SIGRTMAX-1... */
    public static String name(int sig) {
        if (sig > 0 && sig < NAMES.length) {
            return "SIG" + NAMES[sig];
        }
        if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
            int up = sig - SIGRTMIN;
            int down = SIGRTMAX - sig;
            return up == 0 ? "SIGRTMIN" : down == 0 ? "SIGRTMAX" : up <= down ? "SIGRTMIN+" + up : "SIGRTMAX-" + down;
        }
        return "signal " + sig;
    }

    /**
     * Installs the dispositions. {@code onSignal} receives SIGUSR1, SIGUSR2, {@link #SIGJSON} or
     * {@link #SIGSTATS_CLEAR}; it runs on the JDK's signal thread and should only hand the work on.
     */
    public static Installed install(IntConsumer onSignal) {
        List<Integer> handled = new ArrayList<>();
        List<Integer> ignored = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            // its static initializer installs the no-op handler of NIO_INTERRUPT (default action: terminate)
            Class.forName("sun.nio.ch.NativeThread", true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            problems.add(name(NIO_INTERRUPT) + ": " + e);
        }
        SignalHandler h = s -> onSignal.accept(s.getNumber());
        for (int sig : new int[] {SIGUSR1, SIGUSR2, SIGJSON, SIGSTATS_CLEAR}) {
            try {
                Signal.handle(signal(sig), h);
                handled.add(sig);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                problems.add(name(sig) + ": " + e.getMessage());
            }
        }
        int suspend = suspendSignal();
        for (int sig = 1; sig <= SIGRTMAX; sig++) {
            if (NOT_TOUCHED.contains(sig) || handled.contains(sig) || sig == SIGUSR1 || sig == SIGUSR2
                    || sig == SIGJSON || sig == SIGSTATS_CLEAR || (sig == 5 && jvmUsesTrap())) {
                continue;
            }
            try {
                Signal s = signal(sig);
                SignalHandler old = Signal.handle(s, SignalHandler.SIG_IGN);
                String o = String.valueOf(old);
                if (sig != suspend && !o.equals("SIG_DFL") && !o.equals("SIG_IGN")) {
                    Signal.handle(s, old); // someone's (a JVM or JDK handler): theirs
                    problems.add(name(sig) + ": left to its handler " + o);
                    continue;
                }
                ignored.add(sig);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                problems.add(name(sig) + ": " + e.getMessage());
            }
        }
        return new Installed(List.copyOf(handled), List.copyOf(ignored), List.copyOf(problems));
    }

    /**
     * Signals inherited ignored - {@code nohup} ignores SIGHUP, a shell without job control starts background jobs with
     * SIGINT ignored, a supervisor may ignore any - go back to their default action. The daemon takes back SIGHUP,
     * SIGINT and SIGTERM, because keepalived sets its own dispositions whatever it inherited: it reloads on SIGHUP and
     * stops on SIGINT or SIGTERM however it was started. A JVM started with one of them ignored installs no handler
     * for it, neither its own nor the one {@code sun.misc.Signal.handle} is asked for (which then returns as if it
     * had): without this, such a daemon would silently never reload or never stop on that signal. SIGINT and SIGTERM
     * taken back get the action the JVM skipped at its start: exit through the shutdown hooks (status 128 + the
     * signal's number); SIGHUP needs its handler installed next. Call before the program's own handlers; returns the
     * signals taken back (logged), an empty list when none was ignored.
     */
    public static List<Integer> takeBackIgnored(int... signals) {
        List<Integer> taken = new ArrayList<>();
        for (int sig : signals) {
            try {
                if (!SignalDisposition.resetIfIgnored(sig)) {
                    continue;
                }
                if (sig == SIGINT || sig == SIGTERM) {
                    Signal.handle(signal(sig), s -> Runtime.getRuntime().exit(128 + s.getNumber()));
                }
                taken.add(sig);
            } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, name(sig) + " was ignored when javalived started and cannot be taken back ("
                        + e.getMessage() + "): start javalived with it at its default action (not under nohup)");
            }
        }
        if (!taken.isEmpty()) {
            LOG.log(Level.INFO, names(taken) + " ignored by whoever started javalived (nohup, a background job):"
                    + " taken back, as keepalived does");
        }
        return List.copyOf(taken);
    }

    /** The JVM's thread suspend/resume signal: {@code _JAVA_SR_SIGNUM} when valid (as HotSpot reads it), else SIGUSR2. */
    static int suspendSignal() {
        String v = System.getenv("_JAVA_SR_SIGNUM");
        if (v != null) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n > 11 && n <= SIGRTMAX) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // HotSpot's strtol gives 0 here and it keeps SIGUSR2
            }
        }
        return SIGUSR2;
    }

    /** HotSpot uses SIGTRAP for implicit checks on PowerPC. */
    private static boolean jvmUsesTrap() {
        return System.getProperty("os.arch", "").toLowerCase(Locale.ROOT).startsWith("ppc");
    }

    /** A Signal for any number 1..64: by name when Java knows it, else a named one with its number set. */
    static Signal signal(int sig) throws ReflectiveOperationException {
        if (sig > 0 && sig < NAMES.length) {
            return new Signal(NAMES[sig]);
        }
        Signal s = new Signal("USR1");
        sun.misc.Unsafe u = unsafe();
        Object inner = u.getObject(s, u.objectFieldOffset(Signal.class.getDeclaredField("iSignal")));
        Class<?> c = inner.getClass();
        u.putInt(inner, u.objectFieldOffset(c.getDeclaredField("number")), sig);
        u.putObject(inner, u.objectFieldOffset(c.getDeclaredField("name")), name(sig).substring(3));
        if (s.getNumber() != sig) {
            throw new IllegalStateException("cannot make a Signal for " + name(sig) + " in this JVM");
        }
        return s;
    }

    private static sun.misc.Unsafe unsafe() throws ReflectiveOperationException {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (sun.misc.Unsafe) f.get(null);
    }

    /** "SIGUSR1 SIGUSR2 ..." for a log line. */
    static String names(List<Integer> sigs) {
        StringBuilder sb = new StringBuilder();
        for (int s : new TreeSet<>(sigs)) {
            sb.append(sb.length() == 0 ? "" : " ").append(name(s));
        }
        return sb.toString();
    }

    public static void log(Installed in) {
        LOG.log(Level.DEBUG, "Signals: handled " + names(in.handled()) + "; ignored " + names(in.ignored()));
        for (String p : in.problems()) {
            LOG.log(Level.WARNING, "Signal " + p + " - it keeps its default action");
        }
    }
}
