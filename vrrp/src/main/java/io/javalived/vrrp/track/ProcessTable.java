package io.javalived.vrrp.track;

import io.javalived.config.model.TrackProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pure core of track_process, keepalived 2.2.7's rules (core/track_process.c): which processes match each
 * vrrp_track_process, how many there are, and when a tracker gains or loses quorum ({@code quorum <= count <=
 * quorum_max}). Fed with a /proc scan at start, then process events (exec, comm, fork, exit); returns what changed
 * and which delay timers (fork_delay, terminate_delay) to start or cancel. No I/O, no clock.
 */
public final class ProcessTable {
    /** A process as /proc shows it: comm (stat/comm), cmdline bytes (argv NUL-separated), zombie or not. */
    public record Proc(int pid, String comm, byte[] cmdline, boolean zombie) {}

    /** What an input did: quorum changes (in order) and timers to start or cancel. */
    public record Outcome(List<Change> changes, List<Timer> start, List<String> cancel) {
        static Outcome none() {
            return new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        boolean isEmpty() {
            return changes.isEmpty() && start.isEmpty() && cancel.isEmpty();
        }
    }

    /** A tracker gained ({@code up}) or lost quorum. */
    public record Change(String name, boolean up) {}

    /** Start a timer for {@code name}; when it fires, call {@link #timerFired}. */
    public record Timer(String name, Duration delay, boolean fork) {}

    private static final class State {
        final TrackProcess def;
        int count;
        boolean haveQuorum;
        /** 0 none, 1 fork timer, 2 terminate timer. */
        int pending;

        State(TrackProcess def) {
            this.def = def;
        }

        boolean inRange() {
            return count >= def.quorum() && count <= def.quorumMax();
        }
    }

    private final Map<String, State> trackers = new LinkedHashMap<>();
    private final Map<Integer, Set<String>> byPid = new HashMap<>();

    public ProcessTable(List<TrackProcess> defs) {
        for (TrackProcess d : defs) {
            trackers.put(d.name(), new State(d));
        }
    }

    /** Whether the tracker has quorum now. */
    public boolean up(String name) {
        State s = trackers.get(name);
        return s != null && s.haveQuorum;
    }

    /** How many matching processes the tracker counts. */
    public int count(String name) {
        State s = trackers.get(name);
        return s == null ? 0 : s.count;
    }

    public boolean usesCommandLine() {
        return trackers.values().stream().anyMatch(s -> s.def.fullCommand());
    }

    /**
     * keepalived's match: the comm (or with full_command argv[0]) equals {@code process}, then the parameters are
     * compared as param_match says ({@code check_params}).
     */
    public static boolean matches(TrackProcess tp, String comm, byte[] cmdline) {
        String name;
        int argv0End = 0;
        if (tp.fullCommand()) {
            if (cmdline == null || cmdline.length == 0) {
                return false;
            }
            while (argv0End < cmdline.length && cmdline[argv0End] != 0) {
                argv0End++;
            }
            name = new String(cmdline, 0, argv0End, StandardCharsets.UTF_8);
        } else {
            name = comm;
        }
        if (name == null || !name.equals(tp.process())) {
            return false;
        }
        if (tp.paramMatch() == TrackProcess.ParamMatch.NONE) {
            return true;
        }
        int start = Math.min(argv0End + 1, cmdline.length);
        byte[] params = Arrays.copyOfRange(cmdline, start, cmdline.length);
        return checkParams(tp, params);
    }

    private static boolean checkParams(TrackProcess tp, byte[] params) {
        byte[] want = paramBytes(tp.params());
        boolean none = tp.params().isEmpty();
        if (tp.paramMatch() == TrackProcess.ParamMatch.EXACT && none && params.length == 0) {
            return true;
        }
        if (params.length < want.length) {
            return false;
        }
        if (tp.paramMatch() == TrackProcess.ParamMatch.EXACT) {
            return params.length == want.length && (none || Arrays.equals(params, want));
        }
        if (none) {
            return true;
        }
        if (tp.paramMatch() == TrackProcess.ParamMatch.PARTIAL) {
            return Arrays.equals(params, 0, want.length, want, 0, want.length);
        }
        // INITIAL: the last parameter may be the start of a longer one
        return want.length == 1 || Arrays.equals(params, 0, want.length - 1, want, 0, want.length - 1);
    }

    /** Each parameter followed by a NUL, as in /proc/PID/cmdline. */
    static byte[] paramBytes(List<String> params) {
        StringBuilder sb = new StringBuilder();
        for (String p : params) {
            sb.append(p).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The start: every live process of the scan is counted; quorum states are set without Change events. */
    public void scan(Iterable<Proc> procs) {
        for (Proc p : procs) {
            if (p.zombie()) {
                continue;
            }
            for (State s : trackers.values()) {
                if (matches(s.def, p.comm(), p.cmdline())) {
                    if (byPid.computeIfAbsent(p.pid(), k -> new LinkedHashSet<>()).add(s.def.name())) {
                        s.count++;
                    }
                }
            }
        }
        for (State s : trackers.values()) {
            s.haveQuorum = s.inRange();
        }
    }

    /** A rescan after lost events (or a poll): differences are applied as exits and execs. */
    public Outcome rescan(Map<Integer, Proc> procs) {
        Outcome out = Outcome.none();
        for (Integer pid : new ArrayList<>(byPid.keySet())) {
            Proc p = procs.get(pid);
            if (p == null || p.zombie()) {
                merge(out, exit(pid));
            }
        }
        for (Proc p : procs.values()) {
            if (!p.zombie()) {
                merge(out, exec(p));
            }
        }
        return out;
    }

    private static void merge(Outcome into, Outcome o) {
        into.changes().addAll(o.changes());
        into.start().addAll(o.start());
        into.cancel().addAll(o.cancel());
    }

    /** exec (or a rescan): the process's name or command line may have changed (keepalived's check_process). */
    public Outcome exec(Proc p) {
        return check(p, false);
    }

    /** PROC_EVENT_COMM: only trackers that compare the comm look at it. */
    public Outcome comm(int pid, String comm) {
        return check(new Proc(pid, comm, null, false), true);
    }

    private Outcome check(Proc p, boolean commOnly) {
        Outcome out = Outcome.none();
        Set<String> had = byPid.get(p.pid());
        for (State s : trackers.values()) {
            boolean tracked = had != null && had.contains(s.def.name());
            if (s.def.fullCommand() && commOnly) {
                continue;
            }
            if (matches(s.def, p.comm(), p.cmdline())) {
                if (!tracked) {
                    byPid.computeIfAbsent(p.pid(), k -> new LinkedHashSet<>()).add(s.def.name());
                    s.count++;
                    if (s.count == s.def.quorum() || s.count == s.def.quorumMax() + 1) {
                        cancelPending(s, out, 2);
                        update(s, s.count == s.def.quorum(), out);
                    }
                }
            } else if (tracked) {
                remove(p.pid(), s, out);
            }
        }
        Set<String> now = byPid.get(p.pid());
        if (now != null && now.isEmpty()) {
            byPid.remove(p.pid());
        }
        return out;
    }

    private void remove(int pid, State s, Outcome out) {
        byPid.get(pid).remove(s.def.name());
        s.count--;
        if (s.count + 1 == s.def.quorum() || s.count == s.def.quorumMax()) {
            update(s, s.inRange(), out);
        }
    }

    /** A tracked process forked: the child counts for the parent's trackers (fork_delay applies). */
    public Outcome fork(int parent, int child) {
        Outcome out = Outcome.none();
        Set<String> names = byPid.get(parent);
        if (names == null || names.isEmpty()) {
            return out;
        }
        Set<String> childSet = byPid.computeIfAbsent(child, k -> new LinkedHashSet<>());
        for (String n : names) {
            State s = trackers.get(n);
            if (!childSet.add(n)) {
                continue;
            }
            s.count++;
            if (s.count == s.def.quorum() || s.count == s.def.quorumMax() + 1) {
                if (s.pending == 2) {
                    cancelPending(s, out, 2);
                } else if (!s.def.forkDelay().isZero()) {
                    s.pending = 1;
                    out.start().add(new Timer(n, s.def.forkDelay(), true));
                    continue;
                }
                update(s, s.count == s.def.quorum(), out);
            }
        }
        return out;
    }

    /** A tracked process ended (terminate_delay applies). */
    public Outcome exit(int pid) {
        Outcome out = Outcome.none();
        Set<String> names = byPid.remove(pid);
        if (names == null) {
            return out;
        }
        for (String n : names) {
            State s = trackers.get(n);
            int before = s.count--;
            if (before == s.def.quorum() || s.count == s.def.quorumMax()) {
                if (s.pending == 1) {
                    cancelPending(s, out, 1);
                } else if (!s.def.terminateDelay().isZero()) {
                    s.pending = 2;
                    out.start().add(new Timer(n, s.def.terminateDelay(), false));
                    continue;
                }
                update(s, s.count == s.def.quorumMax(), out);
            }
        }
        return out;
    }

    /** A fork_delay / terminate_delay timer ran out: the tracker takes the state its count says. */
    public Outcome timerFired(String name) {
        Outcome out = Outcome.none();
        State s = trackers.get(name);
        if (s != null && s.pending != 0) {
            s.pending = 0;
            update(s, s.inRange(), out);
        }
        return out;
    }

    private static void cancelPending(State s, Outcome out, int which) {
        if (s.pending == which) {
            s.pending = 0;
            out.cancel().add(s.def.name());
        }
    }

    private static void update(State s, boolean nowUp, Outcome out) {
        if (nowUp != s.haveQuorum) {
            s.haveQuorum = nowUp;
            out.changes().add(new Change(s.def.name(), nowUp));
        }
    }
}
