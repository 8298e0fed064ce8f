package io.javalived.vrrp.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.NotifyScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Notifier} with real scripts: each script appends its start time (bash's EPOCHREALTIME, microseconds), PID
 * and process group to a file, so the test sees when each one really started and in which group. 100 ms is a bound of the design (a start
 * waits for nothing but the starts before it), with a wide margin for a busy machine; keepalived forks at once.
 */
class NotifierProcessTest {
    private static final long BOUND_MICROS = 100_000L;
    private static final int ATTEMPTS = 5;

    @TempDir
    Path dir;
    Path stamps;
    final RecordingLog log = new RecordingLog();
    Notifier notifier;
    final List<Long> groups = new ArrayList<>();

    /** One line of the stamps file. */
    record Stamp(long micros, long pid, long pgid, long spawnTicks, String tag, List<String> args) {
        static Stamp parse(String line) {
            String[] f = line.trim().split(" ");
            return new Stamp(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    f[4], List.of(f).subList(5, f.length));
        }
    }

    @BeforeEach
    void scripts() throws IOException {
        stamps = dir.resolve("stamps");
        // bash builtins only (EPOCHREALTIME, read): the stamp costs no fork of its own. Written: when the script
        // runs (µs), PID, process group and when its process was created (/proc/PID/stat starttime, 10 ms ticks).
        String stamp = "t=$EPOCHREALTIME; read -r st < /proc/$$/stat; f=(${st##*) })\n"
                + "echo \"${t/./} $$ ${f[2]} ${f[19]} $*\" >> " + stamps + "\n";
        write("stamp.sh", "#!/bin/bash\n" + stamp);
        write("hang.sh", "#!/bin/bash\n" + stamp + "exec sleep 60\n");
        write("family.sh", "#!/bin/bash\nsleep 3600 &\nsleep 3600 &\n" + stamp + "wait\n");
        notifier = new Notifier(ScriptRuns.processes("test-notify", log));
        // The JVM's first process start loads and links the process classes: not part of what is measured.
        notifier.stateChanged(Notifier.Kind.INSTANCE, "WARMUP", "MASTER", 1, Optional.of(script("stamp.sh warmup")),
                Optional.empty());
        awaitStamps(s -> s.tag().equals("warmup"), 1);
    }

    @AfterEach
    void cleanUp() throws IOException {
        notifier.close();
        if (Files.exists(stamps)) {
            readStamps().forEach(s -> groups.add(s.pgid()));
        }
        groups.forEach(ProcessGroups::kill);
    }

    private void write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** {@code "stamp.sh master"} → the script in the temp dir with that argument, run without a shell. */
    private NotifyScript script(String line) {
        String[] w = line.split(" ");
        List<String> argv = new ArrayList<>(List.of(w));
        argv.set(0, dir.resolve(w[0]).toString());
        return new NotifyScript(String.join(" ", argv), argv, Optional.empty(), Optional.empty());
    }

    /** Microseconds since the epoch, as EPOCHREALTIME without its dot. */
    private static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    private List<Stamp> readStamps() throws IOException {
        List<Stamp> out = new ArrayList<>();
        for (String l : Files.readAllLines(stamps)) {
            if (!l.isBlank()) {
                out.add(Stamp.parse(l));
            }
        }
        return out;
    }

    private List<Stamp> awaitStamps(Predicate<Stamp> which, int count) throws IOException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<Stamp> got = Files.exists(stamps) ? readStamps().stream().filter(which).toList() : List.of();
            if (got.size() >= count || System.nanoTime() > end) {
                assertThat(got).as("scripts started").hasSizeGreaterThanOrEqualTo(count);
                return got;
            }
            sleep(10);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An event and when it happened: wall clock in µs, and since boot in 10 ms ticks (the clock of starttime). */
    record Event(String label, long micros, long ticks) {
        Event(String label) {
            this(label, now(), uptimeTicks());
        }

        /** How long after this event the script's process was created and the script ran. */
        Delay delayOf(Stamp s) {
            return new Delay((s.spawnTicks() - ticks) * 10_000, s.micros() - micros);
        }
    }

    /** Delays in µs from an event: to the creation of the script's process, to the script running. */
    record Delay(long spawn, long run) {
    }

    private static long uptimeTicks() {
        try {
            String up = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
            return Math.round(Double.parseDouble(up) * 100);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a timing scenario up to {@link #ATTEMPTS} times, until each of its scripts has had its process created
     * within the bound after its event in one of the attempts. What is bounded is what javalived controls: when it
     * creates the script's process. When the script then runs is up to the scheduler: on this two-core machine shared
     * with VM tests (CPU pressure "some" above 90 %) a plain ProcessBuilder start took 17-580 ms to run its script,
     * so those figures are printed, not asserted, and a scheduling stall can hit any one start; a start that waits
     * for something (the hung script, the starts before it) is late in every attempt, by seconds for the hung one.
     * The scenario's own assertions (the hung scripts still running while the later ones started) hold in every
     * attempt.
     */
    private void withinBound(String name, Scenario scenario) throws IOException {
        List<String> figures = new ArrayList<>();
        long[] best = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<Delay> delays = scenario.run();
            if (best == null) {
                best = new long[delays.size()];
                java.util.Arrays.fill(best, Long.MAX_VALUE);
            }
            assertThat(delays).as("same scripts in each attempt").hasSize(best.length);
            for (int k = 0; k < best.length; k++) {
                best[k] = Math.min(best[k], delays.get(k).spawn());
            }
            long worst = java.util.Arrays.stream(best).max().orElseThrow();
            figures.add("attempt " + attempt + ": process created after (ms) "
                    + millis(delays.stream().map(Delay::spawn).toList()) + "; script running after (ms) "
                    + millis(delays.stream().map(Delay::run).toList()) + ", worst "
                    + delays.stream().mapToLong(Delay::run).max().orElseThrow() / 1000.0
                    + "; worst of the best creation delays so far " + worst / 1000.0);
            System.out.println(name + ", " + figures.get(figures.size() - 1));
            assertThat(delays).as("no script before its event (10 ms ticks)").allMatch(d -> d.spawn() >= -10_000
                    && d.run() >= 0);
            if (worst <= BOUND_MICROS) {
                return;
            }
            resetStamps();
        }
        assertThat(figures).as(name + ": some script's process was created more than 100 ms after its event in every"
                + " attempt").isEmpty();
    }

    /** One timing scenario: returns each later script's start delay from its event, in microseconds. */
    @FunctionalInterface
    interface Scenario {
        List<Delay> run() throws IOException;
    }

    private void resetStamps() throws IOException {
        if (Files.exists(stamps)) {
            for (Stamp s : readStamps()) {
                ProcessGroups.kill(s.pgid());
            }
            Files.delete(stamps);
        }
    }

    @Test
    void aHangingNotifyBackupDelaysNoLaterScript() throws IOException {
        withinBound("hung notify_backup", () -> {
            List<Event> events = new ArrayList<>();
            events.add(new Event("VI_1 BACKUP"));
            notifier.stateChanged(Notifier.Kind.INSTANCE, "VI_1", "BACKUP", 100,
                    Optional.of(script("hang.sh backup")), Optional.of(script("stamp.sh notify")));
            sleep(50);
            events.add(new Event("VI_1 MASTER"));
            notifier.stateChanged(Notifier.Kind.INSTANCE, "VI_1", "MASTER", 100,
                    Optional.of(script("stamp.sh master")), Optional.of(script("stamp.sh notify")));
            events.add(new Event("VI_2 BACKUP"));
            notifier.stateChanged(Notifier.Kind.INSTANCE, "VI_2", "BACKUP", 90, Optional.of(script("stamp.sh vi2")),
                    Optional.empty());

            Map<String, Stamp> byScript = new LinkedHashMap<>();
            for (Stamp s : awaitStamps(s -> !s.tag().equals("warmup"), 5)) {
                byScript.put(s.tag() + (s.args().isEmpty() ? "" : " " + String.join(" ", s.args())), s);
            }
            assertThat(byScript).containsOnlyKeys("backup", "notify INSTANCE VI_1 BACKUP 100", "master",
                    "notify INSTANCE VI_1 MASTER 100", "vi2");
            assertThat(ProcessGroups.live(byScript.get("backup").pgid())).as("notify_backup still hangs")
                    .isNotEmpty();
            // every script in a process group of its own
            assertThat(byScript.values()).allMatch(s -> s.pid() == s.pgid());
            return List.of(events.get(1).delayOf(byScript.get("master")),
                    events.get(1).delayOf(byScript.get("notify INSTANCE VI_1 MASTER 100")),
                    events.get(2).delayOf(byScript.get("vi2")));
        });
    }

    @Test
    void aStopScriptStillRunningAfterItsLimitIsKilledWithAllItsChildren() throws IOException {
        long event = System.nanoTime();
        notifier.stateChanged(Notifier.Kind.INSTANCE, "VI_1", "STOP", 100, Optional.of(script("family.sh stop")),
                Optional.of(script("family.sh notify")));
        List<Stamp> started = awaitStamps(s -> s.tag().equals("stop") || s.tag().equals("notify"), 2);
        for (Stamp s : started) {
            groups.add(s.pgid());
            assertThat(s.pgid()).as("own process group").isEqualTo(s.pid());
            assertThat(ProcessGroups.live(s.pgid())).as("the script and its two sleep 3600").hasSize(3);
        }

        notifier.drain(5000);
        long gone = waitForEmptyGroups(started);
        assertThat(started).allMatch(s -> ProcessGroups.live(s.pgid()).isEmpty());
        long ms = (gone - event) / 1_000_000;
        System.out.println("STOP scripts' groups empty after " + ms + " ms (limit 1000 ms)");
        assertThat(ms).as("killed at the limit, not before").isGreaterThanOrEqualTo(1000);
        Stamp stop = started.stream().filter(s -> s.tag().equals("stop")).findFirst().orElseThrow();
        Stamp any = started.stream().filter(s -> s.tag().equals("notify")).findFirst().orElseThrow();
        assertThat(log.lines).containsExactlyInAnyOrder(
                "notify_stop script " + dir.resolve("family.sh") + " stop of VRRP_Instance(VI_1) (PID " + stop.pid()
                        + ") timed out",
                "notify script " + dir.resolve("family.sh") + " notify of VRRP_Instance(VI_1) (PID " + any.pid()
                        + ") timed out");
    }

    private static long waitForEmptyGroups(List<Stamp> started) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end && !started.stream().allMatch(s -> ProcessGroups.live(s.pgid()).isEmpty())) {
            sleep(5);
        }
        return System.nanoTime();
    }

    @Test
    void fourFaultFlapsWithAHangingNotifyFaultStartEachScriptAtItsEvent() throws IOException {
        withinBound("flapping", () -> {
            // each event's scripts carry its number as first argument, to tell them apart whatever order they run in
            Map<String, Event> events = new LinkedHashMap<>();
            int n = 0;
            for (int flap = 0; flap < 4; flap++) {
                for (String state : List.of("FAULT", "BACKUP")) {
                    String specific = state.equals("FAULT") ? "hang.sh " : "stamp.sh ";
                    events.put("e" + n, new Event("VI_1 " + state));
                    notifier.stateChanged(Notifier.Kind.INSTANCE, "VI_1", state, 100,
                            Optional.of(script(specific + "e" + n)), Optional.of(script("stamp.sh e" + n)));
                    n++;
                    events.put("e" + n, new Event("G1 " + state));
                    notifier.stateChanged(Notifier.Kind.GROUP, "G1", state, 0, Optional.of(script(specific + "e" + n)),
                            Optional.of(script("stamp.sh e" + n)));
                    n++;
                    sleep(150);
                }
            }
            List<Stamp> all = awaitStamps(s -> !s.tag().equals("warmup"), 32);
            assertThat(all).hasSize(32);

            List<Delay> delays = new ArrayList<>();
            for (Map.Entry<String, Event> e : events.entrySet()) {
                List<Stamp> mine = all.stream().filter(s -> s.tag().equals(e.getKey())).toList();
                String[] label = e.getValue().label().split(" ");
                String kind = label[0].equals("G1") ? "GROUP" : "INSTANCE";
                String prio = kind.equals("GROUP") ? "0" : "100";
                assertThat(mine).as(e.getValue().label()).extracting(Stamp::args).containsExactlyInAnyOrder(List.of(),
                        List.of(kind, label[0], label[1], prio));
                mine.stream().sorted(java.util.Comparator.comparing(s -> s.args().size()))
                        .forEach(s -> delays.add(e.getValue().delayOf(s)));
            }
            List<Stamp> hanging = all.stream().filter(s -> s.args().isEmpty()
                    && events.get(s.tag()).label().endsWith("FAULT")).toList();
            assertThat(hanging).as("all eight notify_fault still hang").hasSize(8)
                    .allMatch(s -> !ProcessGroups.live(s.pgid()).isEmpty());
            return delays;
        });
    }

    private static String millis(List<Long> l) {
        return l.stream().map(v -> String.format("%.1f", v / 1e3)).toList().toString();
    }
}
