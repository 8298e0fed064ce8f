package io.javalived.config;

import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.RealServer;
import io.javalived.config.model.TrackedScript;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VrrpInstance;
import io.javalived.config.model.VrrpScript;
import io.javalived.config.model.VrrpSyncGroup;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * keepalived 2.2.7's script security (lib/notify.c {@code check_script_secure}): which scripts of a configuration may
 * run. Used by the configuration test (exit code and messages of {@code keepalived -t}) and by the daemon at start
 * and reload, which runs the {@link Review#secured() secured} configuration: a disabled script is simply not in it.
 *
 * <p>The rules, for a script run as uid:gid (its own {@code user}, else global {@code script_user}, else
 * {@code keepalived_script}, else the daemon's own):
 * <ul>
 * <li>A bare name is searched on PATH (first regular file executable for uid:gid; "WARNING - script `x` resolved by
 * path search to `/p/x`. Please specify full path."); not found: "Cannot find script x in path - disabling".
 * <li>The path is resolved (symbolic links, . and ..); a path that cannot be resolved: "Script x cannot be accessed -
 * REASON" (disabled). A file not executable for uid:gid: "WARNING - script 'x' is not executable for uid:gid U:G -
 * disabling."
 * <li>Only when the script runs with uid 0 or gid 0 (or the file is setuid/setgid root) are permissions checked: the
 * resolved file and every directory on its path ({@code /} included, not following links) must be owned by root, and
 * neither a file nor a directory without the sticky bit may be world-writable or writable by a group other than root
 * (a sticky directory such as /tmp is fine when owned by root). Otherwise: "Unsafe permissions found for script 'x'
 * - disabling." with {@code enable_script_security} (the script is disabled), without it the same line without
 * "- disabling" and the script still runs. The symbolic link itself and the directory holding it are not checked:
 * only where it leads.
 * <li>Disabled {@code vrrp_script}s are removed, and so is every {@code track_script} entry naming them (the
 * instance neither fails nor gains weight from them: "Disabling track script NAME due to insecure" / "since not
 * found/accessible", configuration errors for {@code keepalived -t}). Disabled notify/quorum scripts are removed
 * (logged only). A disabled MISC_CHECK is removed from its real server ("Disabling misc script 'x' due to insecure").
 * <li>Without {@code enable_script_security}, any script found makes "SECURITY VIOLATION - scripts are being executed
 * but script_security not enabled." (" There are insecure scripts." appended when one is), {@code keepalived -t} exit
 * 6. The VRRP side is only checked when there are vrrp instances, the checker side when there are virtual servers.
 * <li>In the secured configuration a script that names no user carries the default script user (when that is not
 * the daemon's own), so that it runs as the user it was checked for.
 * </ul>
 */
public final class ScriptSecurity {
    /** Flags of one script's verdict, keepalived's SC_* values. */
    public static final int INSECURE = 0x01;
    public static final int ISSCRIPT = 0x02;
    public static final int INHIBIT = 0x04;
    public static final int NOTFOUND = 0x08;
    public static final int EXECUTABLE = 0x10;
    public static final int SYSTEM = 0x40;

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_ISVTX = 01000;

    private ScriptSecurity() {}

    /** What the rules read from the host. {@link #system(String)} is the real one. */
    public interface Host {
        /** stat(2) (following links) or lstat(2); empty when the call fails. */
        Optional<Stat> stat(Path path, boolean followLinks);

        /** realpath(3) of {@code path}. */
        Resolved realPath(String path);

        /** uid and gid of {@code user} (its primary group, or {@code group} when given); empty if unknown. */
        Optional<Ids> ids(String user, Optional<String> group);

        /** The PATH a bare script name is searched in. */
        String searchPath();

        /** The daemon's own uid:gid (the default script user when keepalived_script does not exist). */
        Ids self();
    }

    /** What stat(2) says of a file: owner, group, st_mode (type and permission bits) and identity. */
    public record Stat(int uid, int gid, int mode, Object fileKey) {
        boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        boolean isRegular() {
            return (mode & S_IFMT) == S_IFREG;
        }

        boolean isLink() {
            return (mode & S_IFMT) == S_IFLNK;
        }
    }

    /** A user and group id. */
    public record Ids(int uid, int gid) {}

    /** realpath(3)'s answer: the path, or the reason (strerror's text) it failed. */
    public record Resolved(Path path, String error) {}

    /**
     * One script's verdict: SC_* flags, the command's first word as it will be run (resolved), and the lines
     * keepalived logs while deciding.
     */
    public record Result(int flags, String program, List<String> log) {
        public Result {
            log = List.copyOf(log);
        }

        /** keepalived does not run it (inhibited, not found, or not executable). */
        public boolean disabled() {
            return (flags & (INHIBIT | NOTFOUND)) != 0 || (flags & (EXECUTABLE | SYSTEM)) == 0;
        }

        public boolean insecure() {
            return (flags & INSECURE) != 0;
        }
    }

    // ------------------------------------------------------------------------------------------- one script

    /** check_script_secure for the script whose first word is {@code program}, run as {@code ids}. */
    public static Result check(String program, Ids ids, boolean scriptSecurity, Host host) {
        List<String> log = new ArrayList<>();
        // "</file": a test that a file can be opened, not something executed
        if (program.startsWith("<") && program.substring(1).stripLeading().startsWith("/")) {
            return new Result(SYSTEM, program, log);
        }
        String path = program;
        if (!program.contains("/")) {
            Search found = searchPath(program, ids, host);
            if (found.path == null) {
                log.add(found.denied ? "Permissions failure for script " + program + " in path - disabling"
                        : "Cannot find script " + program + " in path - disabling");
                return new Result(NOTFOUND, program, log);
            }
            log.add("WARNING - script `" + program + "` resolved by path search to `" + found.path
                    + "`. Please specify full path.");
            path = found.path;
        }
        Resolved r = host.realPath(path);
        if (r.path() == null) {
            log.add("Script " + path + " cannot be accessed - " + r.error());
            return new Result(NOTFOUND, path, log);
        }
        String real = r.path().toString();
        String run = real;          // what is executed: keepalived keeps the name it was called by when it can
        String realFile = null;     // the resolved file, when run names it through another name
        String origName = path.substring(path.lastIndexOf('/') + 1);
        String realName = real.substring(real.lastIndexOf('/') + 1);
        if (!path.equals(real) && !origName.equals(realName)) {
            String sameDir = real.substring(0, real.lastIndexOf('/') + 1) + origName;
            Optional<Stat> a = host.stat(Path.of(real), true);
            Optional<Stat> b = host.stat(Path.of(sameDir), true);
            if (a.isPresent() && b.isPresent() && a.get().fileKey() != null
                    && a.get().fileKey().equals(b.get().fileKey())) {
                run = sameDir;
                realFile = real;
            }
        }
        Optional<Stat> file = host.stat(Path.of(realFile != null ? realFile : run), true);
        if (file.isEmpty()) {
            log.add("Unable to access script `" + run + "` - disabling");
            return new Result(NOTFOUND, run, log);
        }
        int flags = ISSCRIPT;
        Stat st = file.get();
        boolean protect = false;
        if (executable(st, ids)) {
            flags |= EXECUTABLE;
            protect = ids.uid() == 0 || ids.gid() == 0
                    || st.uid() == 0 && (st.mode() & 0100) != 0 && (st.mode() & S_ISUID) != 0
                    || st.gid() == 0 && (st.mode() & 0010) != 0 && (st.mode() & S_ISGID) != 0;
        } else {
            log.add("WARNING - script '" + run + "' is not executable for uid:gid " + ids.uid() + ":" + ids.gid()
                    + " - disabling.");
        }
        if (protect) {
            flags |= pathSecurity(run, scriptSecurity, host, log);
            if (realFile != null) {
                flags |= pathSecurity(realFile, scriptSecurity, host, log);
            }
        }
        return new Result(flags, run, log);
    }

    /** keepalived's is_executable: root needs any x bit; otherwise the owner, group or other x bit that applies. */
    static boolean executable(Stat st, Ids ids) {
        int m = st.mode();
        return ids.uid() == 0 && (m & 0111) != 0
                || ids.uid() == st.uid() && (m & 0100) != 0
                || ids.uid() != st.uid() && (ids.gid() == st.gid() && (m & 0010) != 0
                        || ids.gid() != st.gid() && (m & 0001) != 0);
    }

    private record Search(String path, boolean denied) {}

    /** execvp's PATH search, keeping the first regular file executable for {@code ids}. */
    private static Search searchPath(String name, Ids ids, Host host) {
        boolean denied = false;
        for (String dir : host.searchPath().split(":", -1)) {
            String candidate = dir.isEmpty() ? name : dir + "/" + name;
            Optional<Stat> st;
            try {
                st = host.stat(Path.of(candidate), true);
            } catch (InvalidPathException e) {
                continue;
            }
            if (st.isPresent()) {
                if (st.get().isRegular() && executable(st.get(), ids)) {
                    return new Search(candidate, false);
                }
                denied = true;
            }
        }
        return new Search(null, denied);
    }

    /** check_security: every element of {@code path}, from "/", not following links. */
    private static int pathSecurity(String path, boolean scriptSecurity, Host host, List<String> log) {
        List<String> elements = new ArrayList<>();
        elements.add("/");
        for (int i = 1; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                elements.add(path.substring(0, i));
            }
        }
        if (!path.equals("/")) {
            elements.add(path);
        }
        for (int i = 0; i < elements.size(); i++) {
            boolean last = i == elements.size() - 1;
            Optional<Stat> o = host.stat(Path.of(elements.get(i)), false);
            if (o.isEmpty()) {
                log.add("check_script_secure could not find script '" + path + "' - disabling");
                return NOTFOUND;
            }
            Stat st = o.get();
            if (!last && !st.isDirectory() || last && !st.isRegular() && !st.isLink()) {
                log.add("Wrong file type found in script path '" + path + "'.");
                return INHIBIT;
            }
            boolean modeChecked = st.isDirectory() && (st.mode() & S_ISVTX) == 0 || st.isRegular();
            boolean othersWrite = st.gid() != 0 && (st.mode() & 0020) != 0 || (st.mode() & 0002) != 0;
            if (st.uid() != 0 || modeChecked && othersWrite) {
                log.add("Unsafe permissions found for script '" + path + "'" + (scriptSecurity ? " - disabling" : "")
                        + ".");
                return INSECURE | (scriptSecurity ? INHIBIT : 0);
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------------- a configuration

    /** Where a script of the configuration is used. */
    public enum Kind { VRRP_SCRIPT, NOTIFY, MISC_CHECK }

    /**
     * One script of the configuration: its kind, keepalived's name for where it is used ({@code chk} for a
     * vrrp_script, {@code VRRP_Instance(VI_1) notify_master}, ...), the script, and the verdict — empty when the
     * script was dropped before it could be checked (its user does not exist).
     */
    public record Checked(Kind kind, String where, NotifyScript script, Optional<Result> result) {
        /** keepalived will not run it. */
        public boolean disabled() {
            return result.map(Result::disabled).orElse(true);
        }

        /**
         * keepalived's line for a vrrp_script or MISC_CHECK disabled as insecure or not found ("Disabling track
         * script NAME due to insecure", "Disabling misc script 'CMD' since not found/accessible"); empty otherwise.
         */
        public Optional<String> disabling() {
            if (kind == Kind.NOTIFY || result.isEmpty()) {
                return Optional.empty();
            }
            int f = result.get().flags();
            String why = (f & INHIBIT) != 0 ? " due to insecure" : (f & NOTFOUND) != 0 ? " since not found/accessible"
                    : null;
            if (why == null) {
                return Optional.empty();
            }
            return Optional.of(kind == Kind.VRRP_SCRIPT ? "Disabling track script " + where + why
                    : "Disabling misc script " + quoted(result.get().program(), script.argv()) + why);
        }

        /** keepalived's cmd_str: every word in single quotes, the first one as resolved. */
        private static String quoted(String program, List<String> argv) {
            StringBuilder sb = new StringBuilder("'").append(program).append('\'');
            for (int i = 1; i < argv.size(); i++) {
                sb.append(" '").append(argv.get(i)).append('\'');
            }
            return sb.toString();
        }
    }

    /**
     * The verdict on a whole configuration: the configuration with every disabled script removed, each script's
     * verdict, the lines keepalived logs (in its words), and whether {@code keepalived -t} reports a security
     * violation (scripts would run and {@code enable_script_security} is not set) — for VRRP and for checkers.
     */
    public record Review(KeepalivedConfig secured, List<Checked> scripts, List<String> log, boolean vrrpViolation,
                         boolean checkerViolation) {
        public Review {
            scripts = List.copyOf(scripts);
            log = List.copyOf(log);
        }

        public boolean violation() {
            return vrrpViolation || checkerViolation;
        }
    }

    /** Reviews every script of {@code cfg} as keepalived does when it loads it. */
    public static Review review(KeepalivedConfig cfg, Host host) {
        return new Reviewer(cfg, host).run();
    }

    private static final class Reviewer {
        private final KeepalivedConfig cfg;
        private final Host host;
        private final boolean security;
        private final Optional<Ids> defaultIds;
        /** The default script user and group by name, when it is not root: written into scripts that name none. */
        private Optional<String> defaultUser;
        private Optional<String> defaultGroup;
        private final List<Checked> checked = new ArrayList<>();
        private final List<String> log = new ArrayList<>();
        private int sideFlags;

        Reviewer(KeepalivedConfig cfg, Host host) {
            this.cfg = cfg;
            this.host = host;
            GlobalDefs g = cfg.globalDefs();
            this.security = g.enableScriptSecurity();
            if (g.scriptUser().isPresent()) {
                defaultIds = host.ids(g.scriptUser().get(), g.scriptGroup());
                defaultUser = g.scriptUser();
                defaultGroup = g.scriptGroup();
            } else {
                Optional<Ids> ks = host.ids("keepalived_script", Optional.empty());
                defaultIds = ks.isPresent() || security ? ks : Optional.of(host.self());
                defaultUser = ks.isPresent() ? Optional.of("keepalived_script") : Optional.empty();
                defaultGroup = Optional.empty();
            }
            if (defaultIds.isPresent() && defaultIds.get().equals(host.self())) {
                defaultUser = Optional.empty(); // run as the daemon itself: nothing to switch to
                defaultGroup = Optional.empty();
            }
        }

        /**
         * The script as it must be run: with the default script user (global script_user, else keepalived_script)
         * written in when it names no user, so that whatever starts it switches to that user as keepalived does.
         */
        private NotifyScript owned(NotifyScript s) {
            return s.user().isPresent() || defaultUser.isEmpty() ? s
                    : new NotifyScript(s.command(), s.argv(), defaultUser, defaultGroup);
        }

        Review run() {
            // keepalived checks the checker side first (check_validate_config), then VRRP
            List<VirtualServer> vss = cfg.virtualServers();
            boolean checkerViolation = false;
            if (!vss.isEmpty()) {
                sideFlags = 0;
                List<VirtualServer> out = new ArrayList<>();
                for (VirtualServer vs : vss) {
                    out.add(virtualServer(vs));
                }
                vss = out;
                checkerViolation = violation("check scripts");
            }
            Map<String, VrrpScript> scripts = cfg.vrrpScripts();
            List<VrrpInstance> instances = cfg.vrrpInstances();
            List<VrrpSyncGroup> groups = cfg.syncGroups();
            boolean vrrpViolation = false;
            if (!instances.isEmpty()) {
                sideFlags = 0;
                Map<String, VrrpScript> kept = new LinkedHashMap<>();
                for (VrrpScript vs : scripts.values()) {
                    if (!vrrpScript(vs)) {
                        kept.put(vs.name(), vs.user().isPresent() || defaultUser.isEmpty() ? vs
                                : with(vs, Map.of("script", owned(vs.script()), "user", defaultUser,
                                        "group", defaultGroup)));
                    }
                }
                List<VrrpInstance> is = new ArrayList<>();
                for (VrrpInstance i : instances) {
                    is.add(instance(i, kept));
                }
                List<VrrpSyncGroup> gs = new ArrayList<>();
                for (VrrpSyncGroup sg : groups) {
                    gs.add(group(sg, kept));
                }
                scripts = kept;
                instances = is;
                groups = gs;
                vrrpViolation = violation("scripts");
            }
            KeepalivedConfig secured = new KeepalivedConfig(cfg.globalDefs(), scripts, cfg.trackFiles(), groups,
                    instances, cfg.virtualServerGroups(), vss, cfg.staticAddresses(), cfg.staticRoutes(),
                    cfg.staticRules(), cfg.trackProcesses());
            return new Review(secured, checked, log, vrrpViolation, checkerViolation);
        }

        private boolean violation(String what) {
            if (security || (sideFlags & ISSCRIPT) == 0) {
                return false;
            }
            log.add("SECURITY VIOLATION - " + what + " are being executed but script_security not enabled."
                    + ((sideFlags & INSECURE) != 0 ? " There are insecure scripts." : ""));
            return true;
        }

        /** Checks a script; records and logs the verdict. */
        private Checked check(Kind kind, String where, NotifyScript s, Optional<String> user,
                              Optional<String> group) {
            Optional<Ids> ids = user.isPresent() ? host.ids(user.get(), group) : defaultIds;
            Optional<Result> r = Optional.empty();
            if (ids.isEmpty()) {
                if (kind == Kind.VRRP_SCRIPT) {
                    log.add(user.isPresent() ? "Unable to set uid/gid for script " + s.argv().get(0)
                            : "Unable to set default user for vrrp script " + where + " - removing");
                } else {
                    log.add((user.isPresent() ? "Invalid user/group for " + where + " script "
                            : "Failed to set default user for " + where + " script ") + s.argv().get(0)
                            + " - ignoring");
                }
            } else {
                r = Optional.of(ScriptSecurity.check(s.argv().get(0), ids.get(), security, host));
                log.addAll(r.get().log());
                sideFlags |= r.get().flags();
            }
            Checked c = new Checked(kind, where, s, r);
            checked.add(c);
            return c;
        }

        /** A vrrp_script; true when it is disabled. */
        private boolean vrrpScript(VrrpScript vs) {
            if (vs.script().argv().isEmpty()) {
                return false;
            }
            Checked c = check(Kind.VRRP_SCRIPT, vs.name(), vs.script(), vs.user(), vs.group());
            c.disabling().ifPresent(log::add);
            return c.disabled();
        }

        private Optional<NotifyScript> notify(String where, Optional<NotifyScript> s) {
            if (s.isEmpty() || s.get().argv().isEmpty()) {
                return s;
            }
            return check(Kind.NOTIFY, where, s.get(), s.get().user(), s.get().group()).disabled()
                    ? Optional.empty() : Optional.of(owned(s.get()));
        }

        private static List<TrackedScript> tracked(List<TrackedScript> l, Map<String, VrrpScript> kept,
                                                   Map<String, VrrpScript> all) {
            // a name that never was a vrrp_script stays: that is the runtime's "not found" case, not ours
            return l.stream().filter(t -> kept.containsKey(t.name()) || !all.containsKey(t.name())).toList();
        }

        private VrrpInstance instance(VrrpInstance i, Map<String, VrrpScript> kept) {
            String w = "VRRP_Instance(" + i.name() + ")";
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("notifyAny", notify(w + " notify", i.notifyAny()));
            m.put("notifyMaster", notify(w + " notify_master", i.notifyMaster()));
            m.put("notifyBackup", notify(w + " notify_backup", i.notifyBackup()));
            m.put("notifyFault", notify(w + " notify_fault", i.notifyFault()));
            m.put("notifyStop", notify(w + " notify_stop", i.notifyStop()));
            m.put("notifyMasterRxLowerPri", notify(w + " notify_master_rx_lower_pri", i.notifyMasterRxLowerPri()));
            m.put("trackScripts", tracked(i.trackScripts(), kept, cfg.vrrpScripts()));
            return with(i, m);
        }

        private VrrpSyncGroup group(VrrpSyncGroup g, Map<String, VrrpScript> kept) {
            String w = "VRRP_Group(" + g.name() + ")";
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("notifyAny", notify(w + " notify", g.notifyAny()));
            m.put("notifyMaster", notify(w + " notify_master", g.notifyMaster()));
            m.put("notifyBackup", notify(w + " notify_backup", g.notifyBackup()));
            m.put("notifyFault", notify(w + " notify_fault", g.notifyFault()));
            m.put("notifyStop", notify(w + " notify_stop", g.notifyStop()));
            m.put("trackScripts", tracked(g.trackScripts(), kept, cfg.vrrpScripts()));
            return with(g, m);
        }

        private VirtualServer virtualServer(VirtualServer vs) {
            String w = "Virtual server " + vs.displayName();
            List<RealServer> rss = new ArrayList<>();
            for (RealServer rs : vs.realServers()) {
                rss.add(realServer(vs, rs));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("quorumUp", notify(w + " quorum_up", vs.quorumUp()));
            m.put("quorumDown", notify(w + " quorum_down", vs.quorumDown()));
            m.put("realServers", rss);
            return with(vs, m);
        }

        private RealServer realServer(VirtualServer vs, RealServer rs) {
            String w = "Real server " + rs.displayName() + " of " + vs.displayName();
            List<CheckerConfig> checkers = new ArrayList<>();
            for (CheckerConfig c : rs.checkers()) {
                if (c instanceof CheckerConfig.MiscCheck mc && !mc.miscPath().argv().isEmpty()) {
                    Optional<String> user = mc.user().or(() -> mc.miscPath().user());
                    Optional<String> group = mc.user().isPresent() ? mc.group() : mc.miscPath().group();
                    Checked k = check(Kind.MISC_CHECK, w + " MISC_CHECK", mc.miscPath(), user, group);
                    k.disabling().ifPresent(log::add);
                    if (k.disabled()) {
                        continue;
                    }
                    if (user.isEmpty() && defaultUser.isPresent()) {
                        c = with(mc, Map.of("user", defaultUser, "group", defaultGroup));
                    }
                }
                checkers.add(c);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("notifyUp", notify(w + " notify_up", rs.notifyUp()));
            m.put("notifyDown", notify(w + " notify_down", rs.notifyDown()));
            m.put("checkers", checkers);
            return with(rs, m);
        }
    }

    /**
     * A copy of {@code r} with the named components replaced (the same object when nothing changes), so that this
     * class needs to know only the components that hold scripts.
     */
    @SuppressWarnings("unchecked")
    static <R extends Record> R with(R r, Map<String, Object> changes) {
        RecordComponent[] cs = r.getClass().getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        boolean changed = false;
        try {
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                Object old = cs[i].getAccessor().invoke(r);
                args[i] = changes.containsKey(cs[i].getName()) ? changes.get(cs[i].getName()) : old;
                changed |= !java.util.Objects.equals(old, args[i]);
            }
            if (!changes.keySet().stream().allMatch(n -> java.util.Arrays.stream(cs)
                    .anyMatch(c -> c.getName().equals(n)))) {
                throw new IllegalArgumentException(r.getClass().getSimpleName() + " has no component among "
                        + changes.keySet());
            }
            return changed ? (R) r.getClass().getDeclaredConstructor(types).newInstance(args) : r;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + r.getClass().getSimpleName() + ": " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------- the real host

    /** The real host: stat/lstat through the JDK's unix attribute view, /etc/passwd and /etc/group, PATH. */
    public static Host system(String searchPath) {
        return new SystemFiles(searchPath);
    }

    private record SystemFiles(String searchPath) implements Host {
        @Override
        public Optional<Stat> stat(Path path, boolean followLinks) {
            try {
                LinkOption[] o = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
                Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,fileKey", o);
                return Optional.of(new Stat((Integer) a.get("uid"), (Integer) a.get("gid"), (Integer) a.get("mode"),
                        a.get("fileKey")));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public Resolved realPath(String path) {
            try {
                return new Resolved(Path.of(path).toRealPath(), null);
            } catch (NoSuchFileException e) {
                return new Resolved(null, "No such file or directory");
            } catch (AccessDeniedException e) {
                return new Resolved(null, "Permission denied");
            } catch (FileSystemException e) {
                return new Resolved(null, e.getReason() != null ? e.getReason() : e.toString());
            } catch (IOException | InvalidPathException e) {
                return new Resolved(null, e.getMessage());
            }
        }

        @Override
        public Optional<Ids> ids(String user, Optional<String> group) {
            Optional<String[]> pw = entry("/etc/passwd", user);
            if (pw.isEmpty() || pw.get().length < 4) {
                return Optional.empty();
            }
            try {
                int uid = Integer.parseInt(pw.get()[2]);
                int gid = Integer.parseInt(pw.get()[3]);
                if (group.isPresent()) {
                    Optional<String[]> gr = entry("/etc/group", group.get());
                    if (gr.isEmpty() || gr.get().length < 3) {
                        return Optional.empty();
                    }
                    gid = Integer.parseInt(gr.get()[2]);
                }
                return Optional.of(new Ids(uid, gid));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        private static Optional<String[]> entry(String file, String name) {
            try {
                for (String line : Files.readAllLines(Path.of(file))) {
                    String[] f = line.split(":", -1);
                    if (f.length > 2 && f[0].equals(name)) {
                        return Optional.of(f);
                    }
                }
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }

        @Override
        public Ids self() {
            // /proc/self belongs to the process's effective uid and gid
            return stat(Path.of("/proc/self"), false).map(s -> new Ids(s.uid(), s.gid())).orElse(new Ids(0, 0));
        }
    }
}
