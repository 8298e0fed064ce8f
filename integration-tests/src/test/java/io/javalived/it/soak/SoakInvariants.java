package io.javalived.it.soak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chaos soak's invariants over what the harness observed (no I/O: times are the harness's milliseconds). Each
 * fault opens a window from its start to its end (the heal, the restarted daemon running, the link up) plus the
 * settle time VRRP needs to converge ({@link SoakSchedule#settleMillis}); outside the windows the lab must be
 * converged:
 * <ul>
 * <li>{@link #ONE_HOLDER}: at most one node holds the VIP;</li>
 * <li>{@link #HIGHEST}: the node that holds it is the live node with the highest priority (all preempt);</li>
 * <li>{@link #REQUESTS}: every request of the client loop through the VIP is answered.</li>
 * </ul>
 * At every sample, window or not, {@link #STALE}: a node whose daemon stopped cleanly (SIGTERM) or whose link is down
 * holds no VIP {@code staleGraceMillis} after that. A daemon killed with -9 keeps its VIPs by design until it runs
 * again (RestartKeepsVipTest, docs/OPERATORS.md): that is inside its fault's window, and once it is over the first
 * two invariants say whether the restarted node kept or released the VIP rightly. Besides: {@link #STACK} (no stack
 * trace in a javalived log), {@link #GROWTH} (a daemon's threads and open files after a reload stay within a slack of
 * what it had after its first), and checks the harness decides itself ({@link #check}).
 */
public final class SoakInvariants {
    public static final String ONE_HOLDER = "at most one VIP holder once converged";
    public static final String HIGHEST = "highest-priority live node holds the VIP once converged";
    public static final String STALE = "no VIP on a stopped or link-down node";
    public static final String REQUESTS = "no request lost outside fault windows";
    public static final String STACK = "no stack trace in a javalived log";
    public static final String GROWTH = "no thread/fd growth across reloads";

    /** A frame of a Java stack trace, or the JVM's report of an uncaught exception. */
    static final Pattern STACK_LINE = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(.*\\)\\s*$|Exception in thread \"");

    /**
     * A fault's time: [start, end] (end {@link Long#MAX_VALUE} while it lasts); requests get {@code requestGrace} more
     * after the settle time (a split brain healed: see {@link #open(long, String, long)}).
     */
    public record Window(long start, long end, String what, long requestGrace) {}

    /**
     * What the lab looked like at {@code t}: the nodes holding the VIP, the live nodes' priorities (daemon running,
     * link up) and since when each node known to be down (stopped cleanly, link down) has been so.
     */
    public record Sample(long t, Set<Integer> holders, Map<Integer, Integer> livePriorities,
            Map<Integer, Long> downSince) {}

    /** One request of the client loop. */
    public record Request(long t, boolean ok, String detail) {}

    /** A daemon's thread and fd counts after its {@code reload}-th reload. */
    public record ProcSample(String daemon, int reload, int threads, int fds) {}

    private final long settleMillis;
    private final long staleGraceMillis;
    private final int threadSlack;
    private final int fdSlack;
    private final List<Window> windows = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Long> checks = new LinkedHashMap<>();
    private final Map<String, Long> exempt = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, ProcSample> firstAfterReload = new HashMap<>();

    public SoakInvariants(long settleMillis, long staleGraceMillis, int threadSlack, int fdSlack) {
        this.settleMillis = settleMillis;
        this.staleGraceMillis = staleGraceMillis;
        this.threadSlack = threadSlack;
        this.fdSlack = fdSlack;
        for (String s : List.of(ONE_HOLDER, HIGHEST, STALE, REQUESTS, STACK, GROWTH)) {
            checks.put(s, 0L);
        }
    }

    /** Opens a fault window at {@code start}; {@link #close} gives its end. Returns its index. */
    public synchronized int open(long start, String what) {
        return open(start, what, 0);
    }

    /**
     * A fault that may split the brain (two masters): when it heals, the master that wins may have been master all
     * along and sends no gratuitous ARP (keepalived 2.2.7 alike), so a client that learnt the loser's MAC fails until
     * its neighbour entry is probed again: {@code requestGrace} after the settle time for requests.
     */
    public synchronized int open(long start, String what, long requestGrace) {
        windows.add(new Window(start, Long.MAX_VALUE, what, requestGrace));
        return windows.size() - 1;
    }

    public synchronized void close(int window, long end) {
        Window w = windows.get(window);
        windows.set(window, new Window(w.start(), end, w.what(), w.requestGrace()));
    }

    /** The fault whose window (plus settle, plus its request grace for a request) covers {@code t}, or null. */
    synchronized Window covering(long t, boolean request) {
        for (Window w : windows) {
            long end = w.end() == Long.MAX_VALUE ? Long.MAX_VALUE
                    : w.end() + settleMillis + (request ? w.requestGrace() : 0);
            if (t >= w.start() && t <= end) {
                return w;
            }
        }
        return null;
    }

    public synchronized void sample(Sample s) {
        samples.add(s);
    }

    public synchronized void request(Request r) {
        requests.add(r);
    }

    /** A javalived log's text at the end of one daemon's life (or now). */
    public synchronized void log(String name, String text) {
        Matcher m = STACK_LINE.matcher(text);
        if (m.find()) {
            int from = Math.max(0, text.lastIndexOf('\n', Math.max(0, m.start() - 1)) - 400);
            check(STACK, false, name + ": " + text.substring(Math.max(0, from), Math.min(text.length(), m.end()))
                    .strip());
        } else {
            check(STACK, true, name);
        }
    }

    /** Threads and fds of a daemon after a reload: none may grow beyond the slack over its first reload's. */
    public synchronized void proc(ProcSample p) {
        ProcSample first = firstAfterReload.putIfAbsent(p.daemon(), p);
        if (first == null) {
            count(GROWTH);
            return;
        }
        boolean ok = p.threads() <= first.threads() + threadSlack && p.fds() <= first.fds() + fdSlack;
        check(GROWTH, ok, p.daemon() + ": after reload " + first.reload() + " " + first.threads() + " threads "
                + first.fds() + " fds, after reload " + p.reload() + " " + p.threads() + " threads " + p.fds()
                + " fds (slack " + threadSlack + " threads, " + fdSlack + " fds)");
    }

    /** A check the harness decides: counted under {@code invariant}, a violation when not {@code ok}. */
    public synchronized void check(String invariant, boolean ok, String detail) {
        count(invariant);
        if (!ok) {
            violations.add(invariant + ": " + detail);
        }
    }

    private void count(String invariant) {
        checks.merge(invariant, 1L, Long::sum);
    }

    private void exempted(String invariant) {
        exempt.merge(invariant, 1L, Long::sum);
    }

    /** Checks every sample and request recorded so far against the windows known now (call once, at the end). */
    public synchronized void evaluate() {
        for (Sample s : samples) {
            List<String> stale = new ArrayList<>();
            for (int n : s.holders()) {
                Long down = s.downSince().get(n);
                if (down != null && s.t() - down > staleGraceMillis) {
                    stale.add("node " + n + " holds the VIP " + (s.t() - down) + " ms after it went down");
                }
            }
            check(STALE, stale.isEmpty(), "t=" + s.t() + " " + stale);
            Window w = covering(s.t(), false);
            if (w != null) {
                exempted(ONE_HOLDER);
                exempted(HIGHEST);
                continue;
            }
            check(ONE_HOLDER, s.holders().size() <= 1, "t=" + s.t() + " holders " + s.holders());
            if (s.livePriorities().isEmpty()) {
                exempted(HIGHEST);
                continue;
            }
            int best = s.livePriorities().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow()
                    .getKey();
            check(HIGHEST, s.holders().equals(Set.of(best)), "t=" + s.t() + " holders " + s.holders()
                    + ", live priorities " + s.livePriorities() + " (node " + best + " should hold it)");
        }
        for (Request r : requests) {
            if (r.ok()) {
                count(REQUESTS);
                continue;
            }
            if (covering(r.t(), true) != null) {
                exempted(REQUESTS);
                continue;
            }
            check(REQUESTS, false, "t=" + r.t() + " " + r.detail() + " (last fault before: " + lastBefore(r.t())
                    + ")");
        }
        samples.clear();
        requests.clear();
    }

    private Window lastBefore(long t) {
        Window last = null;
        for (Window w : windows) {
            if (w.start() <= t) {
                last = w;
            }
        }
        return last;
    }

    public synchronized Map<String, Long> checks() {
        return new LinkedHashMap<>(checks);
    }

    public synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }

    /** Per invariant: checks, of which exempt inside fault windows, violations; then the violations. */
    public synchronized String report() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : checks.entrySet()) {
            long v = violations.stream().filter(x -> x.startsWith(e.getKey() + ": ")).count();
            sb.append(String.format("  %-58s %7d checks, %6d in fault windows (not checked), %d violation(s)%n",
                    e.getKey(), e.getValue(), exempt.getOrDefault(e.getKey(), 0L), v));
        }
        for (String v : violations) {
            sb.append("  VIOLATION ").append(v).append('\n');
        }
        return sb.toString();
    }
}
