package io.javalived.checkers;

import io.javalived.inet.RealServerKey;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs every checker of every real server on a few event-loop threads.
 *
 * <ul>
 *   <li>Each distinct (checker, timing) is one <em>probe</em>, pinned to one event loop; its timer, its socket I/O and
 *       its verdicts all run there. Real servers under several virtual servers with an equal checker share the probe.</li>
 *   <li>First checks are spread (see {@link Spread}); each next check is due delay_loop after the previous one was
 *       due (fixed rate, which keeps the spread phases when the machine is busy), or delay_loop after it ended if it
 *       ran longer than that (keepalived counts from the end; for a quick check the two agree); a retry is
 *       delay_before_retry after the failure.</li>
 *   <li>Timers: each loop keeps its probes' deadlines in one {@link LoopTimer} (an array heap of the probes, one
 *       Netty timer at the earliest); a probe's one slot holds its next fire time, or its attempt's timeout while a
 *       {@link Checker.TimedAttempt} runs. Due times are rounded up to the probe's tick (delay_loop / 100 within 1 ms and javalived.checkers.maxTickMicros, default 10 ms)
 *       so checks due together share one wake-up.</li>
 *   <li>At most {@code maxInFlight} attempts run at once; a due probe beyond that waits in a FIFO and starts as soon as
 *       another finishes (its lateness is measured from its due time).</li>
 *   <li>MISC_CHECK and FILE_CHECK run on a bounded pool ({@code scriptThreads}, queue {@code scriptQueue}).</li>
 *   <li>Verdicts go to {@link CheckerListener}s on one event thread, in order.</li>
 * </ul>
 */
public final class CheckScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.javalived.checkers");
    /**
     * Timer granularity: due times are rounded up to a multiple of a probe's tick, delay_loop / 100 within 1 ms and
     * {@code -Djavalived.checkers.maxTickMicros} (default 10,000: 10 ms at delay_loop 1 s, 1 % of it), so checks due
     * in the same tick share one wake-up of their loop. VrrpSoakBenchmark (advert_int 0.02, 10,000 checks/s): the
     * largest advert gaps are the same with 1 ms ticks (max |gap - 20 ms| 15.9 ms over 10 minutes) as with 10 ms
     * (14.1 ms), so the coarser tick stays.
     */
    static final long MIN_TICK_NANOS = 1_000_000,
            MAX_TICK_NANOS = Math.max(MIN_TICK_NANOS, Long.getLong("javalived.checkers.maxTickMicros", 10_000) * 1000);

    static long tickNanos(CheckTiming t) {
        return Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, t.delayLoop().toNanos() / 100));
    }

    static long roundUp(long nanos, long tick) {
        return Math.floorDiv(nanos + tick - 1, tick) * tick;
    }

    /** Sizing. */
    public record Options(int ioThreads, int maxInFlight, int scriptThreads, int scriptQueue) {
        public static Options defaults() {
            return new Options(2, 4096, 8, 4096); // script queue = max in flight: a busy pool delays, never fails
        }
    }

    /** A checker with its timing, as configured under one real server. */
    public record CheckSpec(Checker checker, CheckTiming timing) {}

    private final Options options;
    private final Transport transport;
    private final EventLoopGroup group;
    private final ExecutorService scriptPool;
    private final ExecutorService events;
    private final Pinger pinger;
    private final List<CheckerListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<ProbeKey, Probe> probes = new ConcurrentHashMap<>();
    private final Map<EventLoop, LoopTimer> timers = new ConcurrentHashMap<>();

    /** What makes two checks one probe: equal checkers (records) with equal timing. */
    record ProbeKey(Checker checker, CheckTiming timing) {
    }
    private final Queue<Probe> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong probeIndex = new AtomicLong();
    /** Per-check counters: adders, so the two loops do not contend on one cache line. */
    private final LongAdder started = new LongAdder(), completed = new LongAdder(), failed = new LongAdder();
    private final Lateness lateness = new Lateness();
    private final double rotation = Spread.rotation(new SplittableRandom());
    private volatile boolean closed;

    public CheckScheduler(Options options) {
        this(options, new Pinger());
    }

    public CheckScheduler(Options options, Pinger pinger) {
        this.options = options;
        this.transport = Transport.best();
        this.group = transport.newGroup(options.ioThreads(), "javalived-check");
        this.scriptPool = new ThreadPoolExecutor(options.scriptThreads(), options.scriptThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.scriptQueue()), r -> {
                    Thread t = new Thread(r, "javalived-misc");
                    t.setDaemon(true);
                    return t;
                });
        ((ThreadPoolExecutor) scriptPool).allowCoreThreadTimeOut(true);
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "javalived-checker-events");
            t.setDaemon(true);
            return t;
        });
        this.pinger = pinger;
    }

    public CheckScheduler() {
        this(Options.defaults());
    }

    public String transportName() {
        return transport.name();
    }

    public void addListener(CheckerListener l) {
        listeners.add(l);
    }

    public void removeListener(CheckerListener l) {
        listeners.remove(l);
    }

    /**
     * Starts checking a real server. Its initial state is up unless one of its checkers has alpha (or shares a probe
     * that is down now). Returns a handle; {@link RealServerHandle#close()} stops its checks.
     */
    public RealServerHandle register(RealServerKey id, List<CheckSpec> specs) {
        if (closed) throw new IllegalStateException("scheduler closed");
        RealServerHandle h = new RealServerHandle(this, id);
        List<Probe> ps = new ArrayList<>();
        for (CheckSpec s : specs) {
            ProbeKey key = new ProbeKey(s.checker(), s.timing());
            Probe p = probes.compute(key, (k, old) -> {
                Probe q = old != null && !old.closed ? old : newProbe(k, s.checker(), s.timing());
                q.subscribers.add(h);
                return q;
            });
            ps.add(p);
        }
        h.init(ps);
        for (Probe p : ps) {
            p.startOnce(probeIndex);
            Integer w = p.lastWeight; // a shared probe already reported a dynamic weight: tell the newcomer
            if (w != null) publishWeight(id, p.name(), w);
        }
        return h;
    }

    /**
     * Checks per second one loop takes before the next loop starts: below it every probe shares the first loop (one
     * thread, like keepalived's checker: fewer wake-ups, context switches and threads for the usual director); above
     * it probes go to the least loaded loop. SSL_GET counts ten times (its handshakes are the loop's heaviest work).
     * {@code -Djavalived.checkers.loopChecksPerSecond}.
     */
    static final double LOOP_FILL = Long.getLong("javalived.checkers.loopChecksPerSecond", 2000);

    private Probe newProbe(ProbeKey k, Checker c, CheckTiming t) {
        // a TLS handshake costs the loop some ten plain checks: SSL_GET counts ten times
        double rate = ratePerSecond(t) * (c instanceof HttpGetChecker h && h.ssl() ? 10 : 1);
        LoopTimer chosen;
        synchronized (timers) {
            List<LoopTimer> loops = new ArrayList<>();
            for (io.netty.util.concurrent.EventExecutor e : group)
                loops.add(timers.computeIfAbsent((EventLoop) e, LoopTimer::new));
            double[] rates = new double[loops.size()];
            for (int i = 0; i < rates.length; i++) rates[i] = loops.get(i).rate;
            chosen = loops.get(chooseLoop(rates, rate, LOOP_FILL));
            chosen.rate += rate;
        }
        return new Probe(k, c, t, chosen.loop, chosen, rate);
    }

    /** The first loop with room for {@code rate} under {@code fill} checks/s, else the least loaded. Pure. */
    static int chooseLoop(double[] rates, double rate, double fill) {
        int least = 0;
        for (int i = 0; i < rates.length; i++) {
            if (rates[i] + rate <= fill) return i;
            if (rates[i] < rates[least]) least = i;
        }
        return least;
    }

    /** A probe's checks per second (its delay_loop; retries aside). */
    static double ratePerSecond(CheckTiming t) {
        long nanos = Math.max(1_000_000L, t.delayLoop().toNanos());
        return 1e9 / nanos;
    }

    /** How many check loops have probes (their threads start with their first probe). */
    int loopsInUse() {
        synchronized (timers) {
            return (int) timers.values().stream().filter(t -> t.rate > 1e-9).count();
        }
    }

    /** A probe stopped: its loop's share goes. */
    private void released(Probe p) {
        synchronized (timers) {
            p.timer.rate -= p.rate;
        }
    }

    void unregister(RealServerHandle h) {
        for (Probe p : h.probes()) {
            p.subscribers.remove(h);
            probes.computeIfPresent(p.key, (k, q) -> {
                if (q.subscribers.isEmpty()) {
                    q.stop();
                    released(q);
                    return null;
                }
                return q;
            });
        }
    }

    void publish(Transition t) {
        if (closed) return;
        events.execute(() -> {
            for (CheckerListener l : listeners) {
                try {
                    l.onTransition(t);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "checker listener failed on " + t + ": " + e);
                }
            }
        });
    }

    void publishCheckerChange(RealServerKey id, String checker, boolean up, FailureClass reason) {
        if (closed) return;
        events.execute(() -> {
            for (CheckerListener l : listeners) {
                try {
                    l.onCheckerChange(id, checker, up, reason);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "checker listener failed on a checker change: " + e);
                }
            }
        });
    }

    void publishWeight(RealServerKey id, String checker, int w) {
        if (closed) return;
        events.execute(() -> {
            for (CheckerListener l : listeners) {
                try {
                    l.onWeight(id, checker, w);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "checker listener failed on weight: " + e);
                }
            }
        });
    }

    /** Counters since start (or the last {@link #resetStats()}). */
    public record Stats(long probes, long started, long completed, long failed, int inFlight, int waiting,
                        long latenessP50Nanos, long latenessP99Nanos, long latenessMaxBucketNanos) {}

    public Stats stats() {
        return new Stats(probes.size(), started.sum(), completed.sum(), failed.sum(), inFlight.get(), waiting.size(),
                lateness.percentileNanos(50), lateness.percentileNanos(99), lateness.percentileNanos(100));
    }

    public void resetStats() {
        started.reset();
        completed.reset();
        failed.reset();
        lateness.reset();
    }

    @Override
    public void close() {
        closed = true;
        for (Probe p : probes.values()) p.stop();
        probes.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        scriptPool.shutdownNow();
        events.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pinger.close();
    }

    private void release() {
        inFlight.decrementAndGet();
        drain();
    }

    /** Starts waiting probes while there is room; each start takes its slot here. */
    private void drain() {
        while (inFlight.get() < options.maxInFlight()) {
            Probe p = waiting.poll();
            if (p == null) return;
            if (inFlight.incrementAndGet() > options.maxInFlight()) {
                inFlight.decrementAndGet();
                waiting.add(p);
                return;
            }
            p.loop.execute(p::launch);
        }
    }

    /** The wall-clock time of a {@link System#nanoTime()} reading (no wall-clock read per check: only when shown). */
    static Instant wallClock(long nanoTime) {
        return Instant.ofEpochMilli(System.currentTimeMillis() - (System.nanoTime() - nanoTime) / 1_000_000);
    }

    /** One scheduled checker; all state is touched on its loop only. */
    final class Probe {
        final ProbeKey key;
        final Checker checker;
        final CheckTiming timing;
        final EventLoop loop;
        final CheckState state;
        final CheckContext ctx;
        final List<RealServerHandle> subscribers = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile boolean up;
        volatile CheckResult last;
        private boolean startedOnce;
        final LoopTimer timer;
        /** Its share of its loop's checks per second. */
        final double rate;
        private final long tick;
        /** This probe's place in its loop's deadline heap (-1: not in it) and its deadline there. */
        int heapIndex = -1;
        long deadline;
        /** An attempt runs (between run() and done()); its timeout, if timed, is this probe's deadline. */
        private boolean running;
        private final Checker.TimedAttempt timed;
        private long dueNanos;
        private volatile Integer lastWeight;
        private long startNanos;
        // Written on the loop before the volatile 'last', which status() reads first: plain fields, no fence each.
        private long lastDurationNanos = -1;
        private long lastAtNanos; // the loop clock at the last attempt's end (when attempts > 0; wall time on reading)
        private final LoopClock clock;
        private final Checker.Attempt attempt;
        private final java.util.function.Consumer<CheckResult> onResult = this::onResult;
        private FailureClass lastFailure;
        private int consecutiveFailures;
        private long attempts;
        private long failures;
        private volatile Instant since = Instant.now();

        Probe(ProbeKey key, Checker checker, CheckTiming timing, EventLoop loop, LoopTimer timer, double rate) {
            this.key = key;
            this.rate = rate;
            this.checker = checker;
            this.timing = timing;
            this.loop = loop;
            this.timer = timer;
            this.tick = tickNanos(timing);
            this.clock = timer.clock;
            this.state = CheckState.of(timing);
            this.up = state.isUp();
            this.ctx = new CheckContext(loop, transport, scriptPool, pinger);
            this.attempt = checker.prepare(ctx);
            this.timed = attempt instanceof Checker.TimedAttempt t ? t : null;
        }

        String name() {
            return checker.keyword() + " " + checker.target();
        }

        CheckStatus status() {
            CheckResult r = last;
            return new CheckStatus(name(), up, consecutiveFailures, attempts, failures, lastDurationNanos,
                    attempts > 0 ? wallClock(lastAtNanos) : null,
                    r != null && r.ok(), lastFailure, r == null ? null : r.reason(), since);
        }

        synchronized void startOnce(AtomicLong index) {
            if (startedOnce) return;
            startedOnce = true;
            long off = Spread.firstOffsetNanos(index.getAndIncrement(), timing.delayLoop().toNanos(),
                    timing.warmup().toNanos(), rotation);
            loop.execute(() -> schedule(off));
        }

        private void schedule(long delayNanos) {
            schedule(delayNanos, clock.nanoTime());
        }

        private void schedule(long delayNanos, long now) {
            if (closed) return;
            // Align due times to tick boundaries: checks due in the same tick share one wake-up of the loop (fewer
            // epoll_wait/timerfd syscalls) at a cost of < 1 tick of delay.
            long due = roundUp(now + delayNanos, tick);
            dueNanos = due;
            timer.set(this, due);
        }

        /** This probe's deadline passed (on its loop): the next attempt is due, or the running one's timeout. */
        void onDeadline(long now) {
            if (!running) {
                fire();
                return;
            }
            if (timed == null) return;
            long d = timed.expire(now);
            if (d != Checker.TimedAttempt.NONE && running) timer.set(this, roundUp(d, tick));
        }

        private void fire() {
            if (closed) return;
            if (inFlight.incrementAndGet() > options.maxInFlight()) {
                inFlight.decrementAndGet();
                waiting.add(this);
                drain(); // a slot may have been freed meanwhile
                return;
            }
            run();
        }

        /** Started from the waiting queue: {@link #drain()} took the slot. */
        void launch() {
            if (closed) {
                release();
                return;
            }
            run();
        }

        private void run() {
            long now = clock.nanoTime();
            lateness.record(now - dueNanos);
            startNanos = now;
            started.increment();
            running = true;
            try {
                if (timed != null) {
                    // the attempt's timeout takes this probe's deadline slot: no timer of its own
                    long d = timed.start(onResult);
                    if (d != Checker.TimedAttempt.NONE && running) timer.set(this, roundUp(d, tick));
                } else {
                    timer.remove(this);
                    attempt.run(onResult);
                }
            } catch (RuntimeException e) {
                onResult(CheckResult.failed(FailureClass.IO_ERROR,
                        checker.logName() + " on service " + checker.target() + " failed.", e.toString()));
            }
        }

        /** An attempt's outcome, from its loop (or the script pool). */
        private void onResult(CheckResult r) {
            if (loop.inEventLoop()) done(r);
            else loop.execute(() -> done(r));
        }

        private void done(CheckResult r) {
            running = false;
            completed.increment();
            release();
            if (closed) return;
            if (!r.ok()) failed.increment();
            long now = clock.nanoTime();
            lastDurationNanos = now - startNanos;
            lastAtNanos = now;
            attempts++;
            if (r.ok()) {
                consecutiveFailures = 0;
            } else {
                failures++;
                consecutiveFailures++;
                lastFailure = r.failure();
            }
            boolean wasUp = state.isUp();
            boolean hadRun = state.hasRun();
            if (!r.ok() && (timing.logAllFailures() || wasUp)) {
                LOG.log(System.Logger.Level.INFO, r.message());
                if (r.detail() != null) LOG.log(System.Logger.Level.DEBUG, () -> name() + ": " + r.detail());
            }
            CheckState.Step step = state.onAttempt(r.ok());
            last = r;
            if (step.verdict()) {
                if (r.ok() && step.logVerdict()) LOG.log(System.Logger.Level.INFO, r.message());
                if (!r.ok() && step.transition() == CheckState.Transition.DOWN) {
                    LOG.log(System.Logger.Level.INFO, timing.retry() > 0 && hadRun
                            ? checker.logName() + " on service " + checker.target() + " failed after "
                              + step.retriesUsed() + " retries."
                            : checker.logName() + " on service " + checker.target() + " failed.");
                }
                if (state.isUp() != up) since = wallClock(now);
                up = state.isUp();
                if (step.transition() != CheckState.Transition.NONE || !hadRun) {
                    boolean changed = step.transition() != CheckState.Transition.NONE;
                    for (RealServerHandle h : subscribers) h.onProbe(this, up, r, changed);
                }
                if (r.ok() && r.weight().isPresent() && !Integer.valueOf(r.weight().getAsInt()).equals(lastWeight)) {
                    lastWeight = r.weight().getAsInt();
                    for (RealServerHandle h : subscribers) publishWeight(h.id(), name(), lastWeight);
                }
            }
            if (step.retry()) {
                schedule(timing.delayBeforeRetry().toNanos(), now);
            } else {
                // Fixed rate: delay_loop after this attempt was due, so phases stay spread even when the machine is
                // busy; if the attempt ran past that point, delay_loop after its end (keepalived's rule).
                long next = dueNanos + timing.delayLoop().toNanos();
                schedule(next > now ? next - now : timing.delayLoop().toNanos(), now);
            }
        }

        void stop() {
            closed = true;
            // its deadline slot goes when it comes due (a running attempt still times out and closes its socket)
            waiting.remove(this);
        }
    }

    /**
     * The deadlines of one loop's probes: an array min-heap of the probes themselves (each knows its index, so moving
     * a deadline allocates nothing) driven by one Netty timer armed at the earliest deadline. A probe has one slot:
     * its next fire time while idle, its attempt's timeout while a timed attempt runs. Loop thread only.
     */
    static final class LoopTimer implements Runnable {
        private final EventLoop loop;
        final LoopClock clock;
        /** Checks per second of the probes on this loop (guarded by the scheduler's timers map). */
        double rate;
        private Probe[] heap = new Probe[64];
        private int size;
        private long armedAt = Long.MAX_VALUE;
        private ScheduledFuture<?> armed;
        private boolean firing;

        LoopTimer(EventLoop loop) {
            this.loop = loop;
            this.clock = LoopClock.of(loop);
        }

        void set(Probe p, long deadline) {
            p.deadline = deadline;
            if (p.heapIndex < 0) {
                if (size == heap.length) heap = java.util.Arrays.copyOf(heap, size * 2);
                p.heapIndex = size;
                heap[size++] = p;
                up(p.heapIndex);
            } else {
                int i = p.heapIndex;
                up(i);
                down(p.heapIndex);
            }
            if (!firing) arm();
        }

        void remove(Probe p) {
            int i = p.heapIndex;
            if (i < 0) return;
            p.heapIndex = -1;
            Probe last = heap[--size];
            heap[size] = null;
            if (i < size) {
                heap[i] = last;
                last.heapIndex = i;
                up(i);
                down(last.heapIndex);
            }
        }

        int size() {
            return size;
        }

        /** The armed timer fired: run every probe due by now, then arm for the next. */
        @Override
        public void run() {
            armed = null;
            armedAt = Long.MAX_VALUE;
            firing = true;
            try {
                long now = clock.nanoTime();
                while (size > 0 && heap[0].deadline <= now) {
                    Probe p = heap[0];
                    remove(p);
                    if (p.closed && !p.running) continue;
                    try {
                        p.onDeadline(now);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.ERROR, "check " + p.name() + " failed to start: " + e);
                    }
                }
            } finally {
                firing = false;
                arm();
            }
        }

        private void arm() {
            if (size == 0) return;
            long d = heap[0].deadline;
            if (d >= armedAt) return;
            ScheduledFuture<?> old = armed;
            if (old != null) old.cancel(false);
            armedAt = d;
            armed = loop.schedule(this, Math.max(0, d - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        private void up(int i) {
            Probe p = heap[i];
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                Probe q = heap[parent];
                if (q.deadline <= p.deadline) break;
                heap[i] = q;
                q.heapIndex = i;
                i = parent;
            }
            heap[i] = p;
            p.heapIndex = i;
        }

        private void down(int i) {
            Probe p = heap[i];
            int half = size >>> 1;
            while (i < half) {
                int c = 2 * i + 1;
                Probe child = heap[c];
                int r = c + 1;
                if (r < size && heap[r].deadline < child.deadline) child = heap[c = r];
                if (p.deadline <= child.deadline) break;
                heap[i] = child;
                child.heapIndex = i;
                i = c;
            }
            heap[i] = p;
            p.heapIndex = i;
        }
    }

    /** A registered real server: the AND of its probes. */
    public static final class RealServerHandle implements AutoCloseable {
        private final CheckScheduler owner;
        private final RealServerKey id;
        private List<Probe> probes = List.of();
        private boolean up;
        private Instant since = Instant.now();

        RealServerHandle(CheckScheduler owner, RealServerKey id) {
            this.owner = owner;
            this.id = id;
        }

        synchronized void init(List<Probe> ps) {
            probes = List.copyOf(ps);
            up = probes.stream().allMatch(p -> p.up);
        }

        List<Probe> probes() {
            return probes;
        }

        public RealServerKey id() {
            return id;
        }

        /** The current verdict: every checker up. */
        public synchronized boolean isUp() {
            return up;
        }

        /** The last result of each checker (keyword + target → reason text), for status output. */
        public Map<String, String> lastResults() {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (Probe p : probes) {
                CheckResult r = p.last;
                m.put(p.name(), r == null ? "not run yet" : r.reason());
            }
            return m;
        }

        /** Each checker's state, counters and last result. */
        public List<CheckStatus> checkStatus() {
            List<CheckStatus> out = new java.util.ArrayList<>();
            for (Probe p : probes) out.add(p.status());
            return out;
        }

        /** When the verdict last changed (registration time until then). */
        public synchronized Instant since() {
            return since;
        }

        synchronized void onProbe(Probe p, boolean probeUp, CheckResult r, boolean probeChanged) {
            boolean now = probes.stream().allMatch(q -> q == p ? probeUp : q.up);
            if (now == up) {
                if (probeChanged) {
                    owner.publishCheckerChange(id, p.name(), probeUp, probeUp ? null : r.failure());
                }
                return;
            }
            up = now;
            since = Instant.now();
            owner.publish(new Transition(id, now, p.name(), now ? null : r.failure(), r.reason(), Instant.now()));
        }

        @Override
        public void close() {
            owner.unregister(this);
        }
    }
}
