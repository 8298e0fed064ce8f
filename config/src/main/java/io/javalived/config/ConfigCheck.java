package io.javalived.config;

import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.Origin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration test ({@code keepalived -t}, {@code javalived check}): reads the configuration, then checks
 * what keepalived checks against the host — that the interfaces it names exist and that scripts are run
 * securely — and gives keepalived 2.2.7's verdict as an exit code.
 *
 * <p>Exit codes (those of Debian's keepalived 2.2.7 binary, which differ from its man page): 0 accepted;
 * 5 configuration errors (including a keyword keepalived does not know, and an interface that does not exist);
 * 6 scripts would run without {@code enable_script_security}. When both a missing interface and a script
 * problem occur, 5 wins; other errors with a script-security problem give 6 — as keepalived does.
 *
 * <p>Scripts are judged by {@link ScriptSecurity} (keepalived's permission rules): a {@code vrrp_script} disabled as
 * insecure or not found is an error (5); a notify, quorum or MISC_CHECK script it disables only gives a warning
 * line, as keepalived -t, which only logs it, exits 0 for it.
 */
public final class ConfigCheck {
    public static final int EXIT_OK = 0;
    public static final int EXIT_CONFIG_ERROR = 5;
    public static final int EXIT_SCRIPT_SECURITY = 6;

    private ConfigCheck() {}

    /** What the check needs to know about the host; {@link SystemHost} is the real one. */
    public interface Host {
        boolean interfaceExists(String name);

        /** Whether this interface is a loopback device (IFF_LOOPBACK), which a vrrp_instance cannot use. */
        default boolean interfaceIsLoopback(String name) {
            return false;
        }

        boolean userExists(String name);

        /** The executable a script command's first word resolves to (absolute, or on PATH), if any. */
        Optional<Path> resolveExecutable(String program);

        /**
         * Whether a host name (smtp_server) resolves. keepalived resolves it while reading; the default real host
         * only consults /etc/hosts (javalived check sends no DNS queries).
         */
        default boolean hostResolves(String name) {
            return false;
        }

        default boolean groupExists(String name) {
            return true;
        }

        /** Files, users and PATH as the script-security rules ({@link ScriptSecurity}) read them. */
        default ScriptSecurity.Host scripts() {
            return ScriptSecurity.system(System.getenv().getOrDefault("PATH", SystemHost.DEFAULT_PATH));
        }
    }

    /**
     * A problem found by the check, beyond the reader's errors and warnings. A {@code warning} does not change the
     * exit code (keepalived -t only logs it, e.g. a notify script it disables).
     */
    public record Finding(Path file, int line, String keyword, String message, boolean warning) {
        public Finding(Path file, int line, String keyword, String message) {
            this(file, line, keyword, message, false);
        }

        @Override
        public String toString() {
            return (file == null ? "" : file + ":" + line + ": ") + message;
        }
    }

    /**
     * The verdict: exit code, the model when the configuration could be read without errors, the reader's
     * errors and warnings, and the host findings (missing interfaces, script security).
     */
    public record Verdict(int exitCode, Optional<KeepalivedConfig> config, List<ConfigException> errors,
                          List<ConfigWarning> warnings, List<Finding> findings) {
        public boolean accepted() {
            return exitCode == EXIT_OK;
        }
    }

    public static Verdict run(Path file, String configId, Host host) {
        return evaluate(KeepalivedConfigReader.readOutcome(file, null, configId), host);
    }

    public static Verdict evaluate(KeepalivedConfigReader.Outcome o, Host host) {
        List<Finding> findings = new ArrayList<>();
        boolean interfaceMissing = false;
        for (Map.Entry<String, Origin> e : o.interfacesNamed().entrySet()) {
            if (!host.interfaceExists(e.getKey())) {
                interfaceMissing = true;
                findings.add(new Finding(e.getValue().file(), e.getValue().line(), "interface",
                        "interface " + e.getKey() + " doesn't exist - Non-existent interface specified in configuration"));
            }
        }
        if (o.config() != null) {
            for (io.javalived.config.model.VrrpInstance vi : o.config().vrrpInstances()) {
                String ifname = vi.interfaceName().orElse(null);
                if (ifname != null && host.interfaceExists(ifname) && host.interfaceIsLoopback(ifname)) {
                    interfaceMissing = true; // keepalived: "cannot use a loopback interface", then "Unknown interface!"
                    findings.add(new Finding(vi.origin().file(), vi.origin().line(), "interface",
                            "(" + vi.name() + ") cannot use a loopback interface (" + ifname + ") for vrrp - set"
                                    + " 'interface' to the interface facing the peers"));
                }
            }
        }
        boolean securityViolation = false;
        boolean scriptError = false;
        KeepalivedConfig cfg = o.config();
        boolean security = cfg != null && cfg.globalDefs().enableScriptSecurity();
        Optional<String> scriptUser = cfg == null ? Optional.empty() : cfg.globalDefs().scriptUser();
        if (cfg != null) {
            for (KeepalivedConfigReader.ScriptUserRef u : o.scriptUsers()) {
                if (!host.userExists(u.user()) || u.group().isPresent() && !host.groupExists(u.group().get())) {
                    scriptError = true;
                    findings.add(new Finding(u.origin().file(), u.origin().line(), "script_user",
                            "Error setting global script uid/gid: script_user " + u.user()
                                    + u.group().map(g -> " " + g).orElse("") + " does not exist"));
                }
            }
            for (KeepalivedConfigReader.ScriptRef ref : o.scripts()) {
                NotifyScript s = ref.script();
                Origin at = ref.origin();
                if (s.user().isPresent() && !host.userExists(s.user().get())) {
                    continue; // keepalived -t says nothing; the script will not run as root
                }
                if (security && s.user().isEmpty() && scriptUser.isEmpty()
                        && !host.userExists("keepalived_script")) {
                    scriptError = true;
                    findings.add(new Finding(at.file(), at.line(), "script",
                            "Unable to set default user keepalived_script for script " + s.command()
                                    + " (create user keepalived_script, or set script_user in global_defs)"));
                }
            }
            ScriptSecurity.Review review = ScriptSecurity.review(cfg, host.scripts());
            scriptError |= scriptFindings(review, o, findings);
            securityViolation = review.violation();
        }
        if (cfg != null) {
            for (io.javalived.config.model.VrrpScript vs : cfg.vrrpScripts().values()) {
                if (vs.user().isPresent() && (!host.userExists(vs.user().get())
                        || vs.group().isPresent() && !host.groupExists(vs.group().get()))) {
                    scriptError = true;
                    findings.add(new Finding(vs.origin().file(), vs.origin().line(), "user",
                            "Unable to set uid/gid for script '" + vs.script().command() + "' (vrrp_script "
                                    + vs.name() + ": user " + vs.user().get() + " does not exist)"));
                }
            }
        }
        if (cfg != null && cfg.globalDefs().smtpServer().isPresent()) {
            String h = cfg.globalDefs().smtpServer().get().host();
            if (Values.tryAddress(h) == null && !Values.inetAton(h) && !host.hostResolves(h)) {
                scriptError = true;
                findings.add(new Finding(null, 0, "smtp_server", "Invalid smtp server " + h
                        + " (the name does not resolve here; javalived check only looks in /etc/hosts)"));
            }
        }
        boolean failingWarning = o.warnings().stream().anyMatch(ConfigWarning::failsConfigTest);
        int exit;
        if (interfaceMissing) {
            exit = EXIT_CONFIG_ERROR;
        } else if (securityViolation) {
            exit = EXIT_SCRIPT_SECURITY;
        } else if (!o.errors().isEmpty() || failingWarning || scriptError || cfg == null) {
            exit = EXIT_CONFIG_ERROR;
        } else {
            exit = EXIT_OK;
        }
        Optional<KeepalivedConfig> model = o.errors().isEmpty() ? Optional.ofNullable(cfg) : Optional.empty();
        return new Verdict(exit, model, o.errors(), o.warnings(), findings);
    }

    /**
     * The script-security verdicts as findings; true when one is a configuration error for keepalived -t (a
     * vrrp_script disabled as insecure or not found: "Disabling track script NAME ..."). A script disabled for
     * another reason (not executable; notify, quorum and MISC_CHECK scripts) is a warning: keepalived -t only logs
     * it, and so does not fail. The "SECURITY VIOLATION" line is the last finding.
     */
    private static boolean scriptFindings(ScriptSecurity.Review review, KeepalivedConfigReader.Outcome o,
                                          List<Finding> findings) {
        boolean error = false;
        for (ScriptSecurity.Checked c : review.scripts()) {
            if (c.result().isEmpty()) {
                continue; // its user does not exist: reported above (vrrp_script) or silently dropped
            }
            ScriptSecurity.Result r = c.result().get();
            Origin at = c.kind() == ScriptSecurity.Kind.VRRP_SCRIPT
                    ? o.config().vrrpScripts().get(c.where()).origin()
                    : o.scripts().stream().filter(ref -> ref.script().equals(c.script())).findFirst()
                            .map(KeepalivedConfigReader.ScriptRef::origin).orElse(null);
            Path file = at == null ? null : at.file();
            int line = at == null ? 0 : at.line();
            boolean trackError = c.kind() == ScriptSecurity.Kind.VRRP_SCRIPT
                    && (r.flags() & (ScriptSecurity.INHIBIT | ScriptSecurity.NOTFOUND)) != 0;
            String what = c.kind() == ScriptSecurity.Kind.VRRP_SCRIPT ? "vrrp_script " + c.where() : c.where();
            for (String l : r.log()) {
                boolean resolvedWarning = l.startsWith("WARNING - script `");
                findings.add(new Finding(file, line, "script", l + (resolvedWarning ? "" : " (" + what + ")")
                        + (l.startsWith("Unsafe permissions") && r.disabled() ? FIX_PERMISSIONS : ""), true));
            }
            if (c.disabling().isPresent()) {
                error |= trackError;
                findings.add(new Finding(file, line, "script", c.disabling().get(), !trackError));
            }
        }
        if (review.violation()) {
            findings.add(new Finding(null, 0, "script", review.log().stream()
                    .filter(l -> l.startsWith("SECURITY VIOLATION")).reduce((a, b) -> a + " / " + b).orElse("")
                    + " (add enable_script_security to global_defs, and a script_user)"));
        }
        return error;
    }

    private static final String FIX_PERMISSIONS = " - make the script and every directory above it owned by root"
            + " and not writable by group or others (chown root:root, chmod go-w)";
}
