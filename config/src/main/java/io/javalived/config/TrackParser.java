package io.javalived.config;

import io.javalived.config.model.TrackProcess;
import io.javalived.config.model.TrackedProcess;
import io.javalived.config.Values.BadValue;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.TrackFile;
import io.javalived.config.model.TrackedFile;
import io.javalived.config.model.TrackedInterface;
import io.javalived.config.model.TrackedScript;
import io.javalived.config.model.VrrpScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What VRRP tracks: the vrrp_script and track_file definitions, and the track_interface / track_script /
 * track_file lists of vrrp_instance and vrrp_sync_group (a tracked script or file must be defined before the block
 * that tracks it, as in keepalived).
 */
final class TrackParser extends BlockParser {
    TrackParser(ParseContext cx) {
        super(cx);
    }

    void vrrpScript(ConfigNode n) throws ConfigException {
        String name = arg(n, 0);
        if (!needBlock(n)) {
            return;
        }
        if (cx.scripts.containsKey(name)) {
            throw err(n, "vrrp_script " + name + " already defined");
        }
        NotifyScript[] script = {null};
        Duration[] interval = {Duration.ofSeconds(1)};
        Duration[] timeout = {null};
        int[] weight = {0};
        boolean[] reverse = {false};
        int[] rise = {1};
        int[] fall = {1};
        Optional<String>[] user = new Optional[] {Optional.empty(), Optional.empty()};
        boolean[] initFail = {false};
        ConfigNode[] scriptNode = {null};
        each(n, "vrrp_script", s -> {
            noBlock(s);
            switch (s.keyword) {
                case "script" -> {
                    if (s.args.isEmpty()) {
                        note(s, "script without a command - ignored");
                    } else {
                        script[0] = scriptArg(s, false);
                        scriptNode[0] = s;
                    }
                }
                case "interval" -> interval[0] = Duration.ofSeconds(intArg(s, 0, 1, 4294));
                case "timeout" -> timeout[0] = Duration.ofSeconds(intArg(s, 0, 1, 4294));
                case "weight" -> {
                    weight[0] = intArg(s, 0, -253, 253);
                    if (s.args.size() > 1) {
                        if (s.args.get(1).equals("reverse")) {
                            reverse[0] = true;
                        } else {
                            throw err(s, "unknown weight option '" + s.args.get(1) + "' (reverse)");
                        }
                    }
                }
                case "rise" -> rise[0] = intArg(s, 0, 1, Integer.MAX_VALUE);
                case "fall" -> fall[0] = intArg(s, 0, 1, Integer.MAX_VALUE);
                case "user" -> {
                    user[0] = Optional.of(arg(s, 0));
                    user[1] = s.args.size() > 1 ? Optional.of(s.args.get(1)) : Optional.empty();
                }
                case "init_fail" -> initFail[0] = true;
                default -> unknown(s);
            }
        });
        NotifyScript sc = script[0];
        if (sc == null) {
            warn(n, "No script set for vrrp_script " + name + " - removing");
            return;
        }
        if (user[0].isPresent()) {
            sc = new NotifyScript(sc.command(), sc.argv(), user[0], user[1]);
        }
        if (scriptNode[0] != null) {
            cx.scriptsUsed.add(new ParseContext.ScriptUse(sc, origin(scriptNode[0])));
        }
        cx.definedAt.put("script:" + name, cx.topSeq);
        cx.scripts.put(name, new VrrpScript(name, sc, interval[0], timeout[0] == null ? interval[0] : timeout[0],
                weight[0], reverse[0], rise[0], fall[0], sc.user(), sc.group(), initFail[0], origin(n)));
    }

    /** vrrp_track_process NAME { process ... } (keepalived's vrrp_parser.c vrrp_tprocess_*_handler). */
    void trackProcess(ConfigNode n) throws ConfigException {
        String name = arg(n, 0);
        if (!needBlock(n)) {
            return;
        }
        if (cx.trackProcesses.containsKey(name)) {
            throw err(n, "vrrp_track_process " + name + " already defined");
        }
        String[] process = {null};
        List<String>[] params = new List[] {List.of()};
        TrackProcess.ParamMatch[] match = {TrackProcess.ParamMatch.NONE};
        int[] weight = {0};
        boolean[] reverse = {false};
        int[] quorum = {1};
        int[] quorumMax = {Integer.MAX_VALUE};
        Duration[] forkDelay = {Duration.ZERO};
        Duration[] terminateDelay = {Duration.ZERO};
        boolean[] full = {false};
        each(n, "vrrp_track_process", s -> {
            noBlock(s);
            switch (s.keyword) {
                case "process" -> {
                    if (process[0] != null) {
                        warn(s, "Process already set for track process " + name + " - ignoring "
                                + (s.args.isEmpty() ? "" : s.args.get(0)));
                        return;
                    }
                    process[0] = arg(s, 0);
                    if (s.args.size() > 1) {
                        params[0] = List.copyOf(s.args.subList(1, s.args.size()));
                        if (match[0] == TrackProcess.ParamMatch.NONE) {
                            match[0] = TrackProcess.ParamMatch.EXACT;
                        }
                        full[0] = true;
                    }
                }
                case "param_match" -> {
                    String m = s.args.isEmpty() ? "" : s.args.get(0);
                    switch (m) {
                        case "" -> match[0] = TrackProcess.ParamMatch.EXACT;
                        case "initial" -> match[0] = TrackProcess.ParamMatch.INITIAL;
                        case "partial" -> match[0] = TrackProcess.ParamMatch.PARTIAL;
                        default -> {
                            warn(s, "Invalid param_match type " + m + " - ignoring");
                            return;
                        }
                    }
                    full[0] = true;
                }
                case "weight" -> {
                    if (s.args.isEmpty()) {
                        warn(s, "No weight specified for track process " + name + " - ignoring");
                        return;
                    }
                    if (weight[0] != 0) {
                        warn(s, "Weight already set for track process " + name + " - ignoring " + s.args.get(0));
                        return;
                    }
                    Long w = tryLong(s.args.get(0), -254, 254);
                    if (w == null) {
                        warn(s, "Weight (" + s.args.get(0) + ") for vrrp_track_process " + name
                                + " must be between [-254..254] inclusive. Ignoring...");
                        return;
                    }
                    if (s.args.size() > 1) {
                        if (s.args.get(1).equals("reverse")) {
                            reverse[0] = true;
                        } else {
                            warn(s, "vrrp_track_process " + name + " unknown weight option " + s.args.get(1));
                        }
                    }
                    weight[0] = w.intValue();
                }
                case "quorum" -> {
                    Long q = s.args.isEmpty() ? null : tryLong(s.args.get(0), 1, 65535);
                    if (q == null) {
                        warn(s, "Quorum (" + (s.args.isEmpty() ? "" : s.args.get(0)) + ") for vrrp_track_process "
                                + name + " must be between [1..65535] inclusive. Ignoring...");
                        return;
                    }
                    if (q > quorumMax[0]) {
                        warn(s, "Quorum is greater than quorum_max - ignoring");
                        return;
                    }
                    quorum[0] = q.intValue();
                }
                case "quorum_max" -> {
                    Long q = s.args.isEmpty() ? null : tryLong(s.args.get(0), 0, 65535);
                    if (q == null) {
                        warn(s, "quorum_max (" + (s.args.isEmpty() ? "" : s.args.get(0)) + ") for vrrp_track_process "
                                + name + " must be between [0..65535] inclusive. Ignoring...");
                        return;
                    }
                    if ((q != 0 || quorum[0] > 1) && q < quorum[0]) {
                        warn(s, "quorum_max is less than quorum - ignoring");
                        return;
                    }
                    quorumMax[0] = q.intValue();
                    if (q == 0) {
                        quorum[0] = 0;
                    } else if (quorum[0] == 0) {
                        quorum[0] = 1;
                    }
                }
                case "delay", "fork_delay", "terminate_delay" -> {
                    Duration d;
                    try {
                        d = s.args.isEmpty() ? null : timerArg(s, 0, 0.000001, 3600);
                    } catch (ConfigException e) {
                        d = null;
                    }
                    if (d == null) {
                        String kind = s.keyword.equals("delay") ? "" : s.keyword.substring(0, s.keyword.indexOf('_') + 1);
                        warn(s, kind + "delay (" + (s.args.isEmpty() ? "" : s.args.get(0)) + ") for vrrp_track_process "
                                + name + " must be between [0.000001..3600] inclusive. Ignoring...");
                        return;
                    }
                    if (!s.keyword.equals("fork_delay")) {
                        terminateDelay[0] = d;
                    }
                    if (!s.keyword.equals("terminate_delay")) {
                        forkDelay[0] = d;
                    }
                }
                case "full_command" -> full[0] = true;
                default -> unknown(s);
            }
        });
        if (process[0] == null) {
            warn(n, "track process '" + name + "' process name not specified");
            return;
        }
        cx.definedAt.put("process:" + name, cx.topSeq);
        cx.trackProcesses.put(name, new TrackProcess(name, process[0], params[0], match[0], weight[0], reverse[0],
                quorum[0], quorumMax[0], forkDelay[0], terminateDelay[0], full[0], origin(n)));
    }

    private static Long tryLong(String s, long min, long max) {
        try {
            long v = Long.parseLong(s);
            return v < min || v > max ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** track_process entries resolved against the vrrp_track_process blocks defined before. */
    List<TrackedProcess> resolveProcesses(List<TrackEntry> entries, String owner) {
        List<TrackedProcess> out = new ArrayList<>();
        for (TrackEntry e : entries) {
            TrackProcess p = cx.trackProcesses.get(e.name);
            if (p == null || cx.definedAt.getOrDefault("process:" + e.name, 0) > e.seq) {
                error(e.node, owner + " track_process " + e.name + " is not defined (no vrrp_track_process "
                        + e.name + " before it)");
                continue;
            }
            out.add(new TrackedProcess(e.name, e.weight.orElse(p.weight()), e.reverse.orElse(p.reverse())));
        }
        return out;
    }

    void trackFile(ConfigNode n) throws ConfigException {
        String name = arg(n, 0);
        if (!needBlock(n)) {
            return;
        }
        if (cx.trackFiles.containsKey(name)) {
            throw err(n, "track_file " + name + " already defined");
        }
        String[] file = {null};
        int[] weight = {1};
        boolean[] reverse = {false};
        Optional<Long>[] init = new Optional[] {Optional.empty()};
        boolean[] overwrite = {false};
        each(n, n.keyword, s -> {
            noBlock(s);
            switch (s.keyword) {
                case "file" -> file[0] = arg(s, 0);
                case "weight" -> {
                    weight[0] = intArg(s, 0, -2147483647, 2147483647);
                    reverse[0] = s.args.size() > 1 && s.args.get(1).equals("reverse");
                }
                case "init_file" -> {
                    init[0] = Optional.of(0L);
                    for (String a : s.args) {
                        if (a.equals("overwrite")) {
                            overwrite[0] = true;
                        } else {
                            try {
                                init[0] = Optional.of(Values.parseLong(a, Integer.MIN_VALUE, Integer.MAX_VALUE));
                            } catch (BadValue e) {
                                throw err(s, e.getMessage());
                            }
                        }
                    }
                }
                default -> unknown(s);
            }
        });
        if (file[0] == null) {
            throw err(n, "track_file " + name + " has no file");
        }
        cx.definedAt.put("file:" + name, cx.topSeq);
        cx.trackFiles.put(name, new TrackFile(name, file[0], weight[0], reverse[0], init[0], overwrite[0], origin(n)));
    }

    List<TrackedInterface> trackInterfaces(ConfigNode n) {
        List<TrackedInterface> out = new ArrayList<>();
        if (!valueBlock(n)) {
            return out;
        }
        each(n, e -> {
            noBlock(e);
            int weight = 0;
            boolean reverse = false;
            boolean weighted = false;
            for (int i = 0; i < e.args.size(); i++) {
                String a = e.args.get(i);
                if (a.equals("weight")) {
                    weight = intArg(e, ++i, -253, 253);
                    weighted = true;
                } else if (a.equals("reverse") && weighted) {
                    reverse = true;
                } else if (a.equals("noreverse") || a.equals("no_reverse")) {
                    reverse = false;
                } else {
                    throw err(e, "unknown track_interface option '" + a + "'");
                }
            }
            cx.interfacesNamed.putIfAbsent(e.keyword, origin(e));
            for (TrackedInterface t : out) {
                if (t.name().equals(e.keyword)) {
                    warn(e, "duplicate track_interface " + e.keyword + " - ignoring");
                    return;
                }
            }
            out.add(new TrackedInterface(e.keyword, weight, reverse));
        });
        return out;
    }

    /** Raw track_script entries; resolved against vrrp_scripts when the instance is built. */
    record TrackEntry(String name, Optional<Integer> weight, Optional<Boolean> reverse, ConfigNode node,
                      int seq) {}


    List<TrackEntry> trackEntries(ConfigNode n, int min, int max) {
        List<TrackEntry> out = new ArrayList<>();
        if (!valueBlock(n)) {
            return out;
        }
        each(n, e -> {
            noBlock(e);
            Optional<Integer> weight = Optional.empty();
            Optional<Boolean> reverse = Optional.empty();
            for (int i = 0; i < e.args.size(); i++) {
                String a = e.args.get(i);
                switch (a) {
                    case "weight" -> weight = Optional.of(intArg(e, ++i, min, max));
                    case "reverse" -> reverse = Optional.of(true);
                    case "noreverse", "no_reverse" -> reverse = Optional.of(false);
                    default -> throw err(e, "unknown option '" + a + "' for " + e.keyword);
                }
            }
            for (TrackEntry t : out) {
                if (t.name().equals(e.keyword)) {
                    warn(e, "duplicate " + n.keyword + " " + e.keyword + " - ignoring");
                    return;
                }
            }
            out.add(new TrackEntry(e.keyword, weight, reverse, e, cx.topSeq));
        });
        return out;
    }

    List<TrackedScript> resolveScripts(List<TrackEntry> entries, String owner) {
        List<TrackedScript> out = new ArrayList<>();
        for (TrackEntry e : entries) {
            VrrpScript s = cx.scripts.get(e.name);
            if (s != null && cx.definedAt.getOrDefault("script:" + e.name, 0) > e.seq) {
                error(e.node, owner + " track script " + e.name + " not found: vrrp_script " + e.name
                        + " must be defined before it is tracked");
                continue;
            }
            if (s == null) {
                error(e.node, owner + " track_script " + e.name + " is not defined (no vrrp_script " + e.name + ")");
                continue;
            }
            out.add(new TrackedScript(e.name, e.weight, e.reverse, e.weight.orElse(s.weight()),
                    e.reverse.orElse(s.weightReverse())));
        }
        return out;
    }

    List<TrackedFile> resolveFiles(List<TrackEntry> entries, String owner) {
        List<TrackedFile> out = new ArrayList<>();
        for (TrackEntry e : entries) {
            TrackFile f = cx.trackFiles.get(e.name);
            if (f != null && cx.definedAt.getOrDefault("file:" + e.name, 0) > e.seq) {
                error(e.node, owner + " track file " + e.name + " not found: track_file " + e.name
                        + " must be defined before it is tracked");
                continue;
            }
            if (f == null) {
                error(e.node, owner + " track_file " + e.name + " is not defined (no track_file " + e.name + ")");
                continue;
            }
            out.add(new TrackedFile(e.name, e.weight.orElse(f.weight()), e.reverse.orElse(f.weightReverse())));
        }
        return out;
    }
}
