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
 * 6 scripts would run as root without {@code enable_script_security}. When both a missing interface and a script
 * problem occur, 5 wins; other errors with a script-security problem give 6 — as keepalived does.
 */
public final class ConfigCheck {
    public static final int EXIT_OK = 0;
    public static final int EXIT_CONFIG_ERROR = 5;
    public static final int EXIT_SCRIPT_SECURITY = 6;

    private ConfigCheck() {}

    /** What the check needs to know about the host; {@link SystemHost} is the real one. */
    public interface Host {
        boolean interfaceExists(String name);

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
    }

    /** A problem found by the check, beyond the reader's errors and warnings. */
    public record Finding(Path file, int line, String keyword, String message) {
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
                if (security) {
                    if (s.user().isEmpty() && scriptUser.isEmpty() && !host.userExists("keepalived_script")) {
                        scriptError = true;
                        findings.add(new Finding(at.file(), at.line(), "script",
                                "Unable to set default user keepalived_script for script " + s.command()
                                        + " (create user keepalived_script, or set script_user in global_defs)"));
                    }
                } else {
                    boolean asRoot = s.user().map("root"::equals)
                            .orElse(scriptUser.map("root"::equals)
                                    .orElse(!host.userExists("keepalived_script")));
                    if (asRoot && !s.argv().isEmpty() && host.resolveExecutable(s.argv().get(0)).isPresent()) {
                        if (!securityViolation) {
                            findings.add(new Finding(at.file(), at.line(), "script",
                                    "SECURITY VIOLATION - scripts are being executed but script_security not enabled"
                                            + " (add enable_script_security to global_defs, and a script_user)"));
                        }
                        securityViolation = true;
                    }
                }
            }
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
            java.util.Set<String> tracked = new java.util.LinkedHashSet<>();
            cfg.vrrpInstances().forEach(i -> i.trackScripts().forEach(t -> tracked.add(t.name())));
            cfg.syncGroups().forEach(g -> g.trackScripts().forEach(t -> tracked.add(t.name())));
            for (String name : tracked) {
                io.javalived.config.model.VrrpScript vs = cfg.vrrpScripts().get(name);
                if (vs == null || vs.script().argv().isEmpty()) {
                    continue;
                }
                if (host.resolveExecutable(vs.script().argv().get(0)).isEmpty()) {
                    scriptError = true;
                    findings.add(new Finding(vs.origin().file(), vs.origin().line(), "script",
                            "Disabling track script " + name + " since " + vs.script().argv().get(0)
                                    + " is not found or not executable"));
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
}
