package io.javalived.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.KeepalivedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * keepalived's script-security rules against real files (root: the test chowns to nobody/nogroup). The base
 * directory is a fresh 0700 root directory under /tmp, which is root-owned and sticky: a safe parent, as for
 * keepalived.
 */
class ScriptSecurityTest {
    static final ScriptSecurity.Ids ROOT = new ScriptSecurity.Ids(0, 0);
    static final ScriptSecurity.Ids NOBODY = new ScriptSecurity.Ids(65534, 65534);
    static final ScriptSecurity.Host HOST = ScriptSecurity.system("/usr/bin:/bin");

    Path base;

    @BeforeEach
    void base() throws IOException {
        assumeThat(HOST.self().uid()).as("needs root (chown)").isZero();
        base = Files.createTempDirectory("jvsec").toRealPath();
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> s = Files.walk(base)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A script (or directory when name ends with /) with mode and owner/group. */
    Path make(String name, String perms, String owner, String group) throws IOException {
        Path p = base.resolve(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
        Files.createDirectories(p.getParent());
        if (name.endsWith("/")) {
            Files.createDirectories(p);
        } else {
            Files.writeString(p, "#!/bin/sh\nexit 0\n");
        }
        chown(p, owner, group);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    static void chown(Path p, String owner, String group) throws IOException {
        UserPrincipalLookupService l = p.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        v.setOwner(l.lookupPrincipalByName(owner));
        GroupPrincipal g = l.lookupPrincipalByGroupName(group);
        v.setGroup(g);
    }

    static void sticky(Path dir, String owner) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("chmod", "1777", dir.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        chown(dir, owner, "root");
    }

    static ScriptSecurity.Result check(Path script, ScriptSecurity.Ids ids) {
        return ScriptSecurity.check(script.toString(), ids, true, HOST);
    }

    static String unsafe(Path p) {
        return "Unsafe permissions found for script '" + p + "' - disabling.";
    }

    // ------------------------------------------------------------------------------------------------ OK cases

    @Test
    void rootOwnedScriptInSafeDirectoriesRuns() throws Exception {
        Path s = make("ok.sh", "rwxr-xr-x", "root", "root");
        ScriptSecurity.Result r = check(s, ROOT);
        assertThat(r.disabled()).isFalse();
        assertThat(r.flags()).isEqualTo(ScriptSecurity.ISSCRIPT | ScriptSecurity.EXECUTABLE);
        assertThat(r.log()).isEmpty();
        assertThat(r.program()).isEqualTo(s.toString());
    }

    @Test
    void groupWritableByRootGroupIsFine() throws Exception {
        Path s = make("d/g.sh", "rwxrwxr-x", "root", "root");
        Files.setPosixFilePermissions(s.getParent(), PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(check(s, ROOT).disabled()).isFalse();
    }

    @Test
    void stickyWorldWritableDirectoryOwnedByRootIsFine() throws Exception {
        Path s = make("sticky/s.sh", "rwxr-xr-x", "root", "root");
        sticky(s.getParent(), "root");
        assertThat(check(s, ROOT).disabled()).as("like /tmp").isFalse();
    }

    @Test
    void symlinkInWritableDirectoryToSafeTargetIsFine() throws Exception {
        Path target = make("ok.sh", "rwxr-xr-x", "root", "root");
        Path dir = make("open/", "rwxrwxrwx", "root", "root");
        Path link = Files.createSymbolicLink(dir.resolve("link.sh"), target);
        ScriptSecurity.Result r = check(link, ROOT);
        assertThat(r.disabled()).as("keepalived checks where the link leads, not the link").isFalse();
        assertThat(r.program()).isEqualTo(target.toString());
    }

    @Test
    void nonRootScriptUserOwningItsScriptIsNotChecked() throws Exception {
        Path dir = make("nob/", "rwxrwxrwx", "nobody", "nogroup");
        Path s = make("nob/n.sh", "rwxrwxrwx", "nobody", "nogroup");
        ScriptSecurity.Result r = check(s, NOBODY);
        assertThat(r.disabled()).as("only scripts run as root are protected").isFalse();
        assertThat(r.insecure()).isFalse();
        assertThat(dir).isDirectory();
    }

    // ------------------------------------------------------------------------------------------------ unsafe

    @Test
    void worldWritableScriptIsDisabled() throws Exception {
        Path s = make("w.sh", "rwxrwxrwx", "root", "root");
        ScriptSecurity.Result r = check(s, ROOT);
        assertThat(r.disabled()).isTrue();
        assertThat(r.flags() & (ScriptSecurity.INSECURE | ScriptSecurity.INHIBIT))
                .isEqualTo(ScriptSecurity.INSECURE | ScriptSecurity.INHIBIT);
        assertThat(r.log()).containsExactly(unsafe(s));
    }

    @Test
    void groupWritableWithAnotherGroupIsDisabled() throws Exception {
        Path s = make("g.sh", "rwxrwxr-x", "root", "nogroup");
        ScriptSecurity.Result r = check(s, ROOT);
        assertThat(r.disabled()).isTrue();
        assertThat(r.log()).containsExactly(unsafe(s));
    }

    @Test
    void writableParentDirectoryIsDisabled() throws Exception {
        Path s = make("wd/s.sh", "rwxr-xr-x", "root", "root");
        Files.setPosixFilePermissions(s.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(check(s, ROOT).log()).containsExactly(unsafe(s));
        Files.setPosixFilePermissions(s.getParent(), PosixFilePermissions.fromString("rwxrwxr-x"));
        chown(s.getParent(), "root", "nogroup");
        assertThat(check(s, ROOT).log()).as("group-writable by a non-root group").containsExactly(unsafe(s));
    }

    @Test
    void directoryOwnedByAnotherUserIsDisabledEvenSticky() throws Exception {
        Path s = make("nd/s.sh", "rwxr-xr-x", "root", "root");
        chown(s.getParent(), "nobody", "root");
        assertThat(check(s, ROOT).disabled()).isTrue();
        sticky(s.getParent(), "nobody");
        assertThat(check(s, ROOT).log()).containsExactly(unsafe(s));
    }

    @Test
    void scriptOwnedByAnotherUserRunAsRootIsDisabled() throws Exception {
        Path s = make("nob.sh", "rwxr-xr-x", "nobody", "root");
        assertThat(check(s, ROOT).log()).containsExactly(unsafe(s));
    }

    @Test
    void symlinkToWritableTargetIsDisabledAndTheTargetNamed() throws Exception {
        Path target = make("w.sh", "rwxrwxrwx", "root", "root");
        Path link = Files.createSymbolicLink(base.resolve("link.sh"), target);
        ScriptSecurity.Result r = check(link, ROOT);
        assertThat(r.disabled()).isTrue();
        assertThat(r.log()).containsExactly(unsafe(target));
    }

    @Test
    void symlinkToTargetInWritableDirectoryIsDisabled() throws Exception {
        Path target = make("wd/s.sh", "rwxr-xr-x", "root", "root");
        Files.setPosixFilePermissions(target.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(base.resolve("link.sh"), target);
        assertThat(check(link, ROOT).log()).containsExactly(unsafe(target));
    }

    @Test
    void setuidRootScriptIsProtectedWhateverTheUser() throws Exception {
        Path s = make("wd/suid.sh", "rwxr-xr-x", "root", "root");
        Files.setPosixFilePermissions(s.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(check(s, NOBODY).disabled()).as("not setuid: nobody's script is not checked").isFalse();
        assertThat(new ProcessBuilder("chmod", "4755", s.toString()).start().waitFor()).isZero();
        assertThat(check(s, NOBODY).log()).containsExactly(unsafe(s));
    }

    @Test
    void withoutScriptSecurityAnUnsafeScriptIsReportedAndStillRuns() throws Exception {
        Path s = make("w.sh", "rwxrwxrwx", "root", "root");
        ScriptSecurity.Result r = ScriptSecurity.check(s.toString(), ROOT, false, HOST);
        assertThat(r.disabled()).isFalse();
        assertThat(r.insecure()).isTrue();
        assertThat(r.log()).containsExactly("Unsafe permissions found for script '" + s + "'.");
    }

    // ------------------------------------------------------------------------------------------------ not run

    @Test
    void missingScriptCannotBeAccessed() {
        Path s = base.resolve("missing.sh");
        ScriptSecurity.Result r = check(s, ROOT);
        assertThat(r.flags()).isEqualTo(ScriptSecurity.NOTFOUND);
        assertThat(r.log()).containsExactly("Script " + s + " cannot be accessed - No such file or directory");
    }

    @Test
    void notExecutableScriptIsDisabled() throws Exception {
        Path s = make("ne.sh", "rw-r--r--", "root", "root");
        ScriptSecurity.Result r = check(s, ROOT);
        assertThat(r.disabled()).isTrue();
        assertThat(r.flags() & ScriptSecurity.ISSCRIPT).as("still a script: counts for SECURITY VIOLATION").isNotZero();
        assertThat(r.log()).containsExactly("WARNING - script '" + s + "' is not executable for uid:gid 0:0 - disabling.");
    }

    @Test
    void bareNameIsSearchedOnPathAndItsDirectoryChecked() throws Exception {
        Path dir = make("bin/", "rwxr-xr-x", "root", "root");
        Path s = make("bin/mycheck", "rwxr-xr-x", "root", "root");
        ScriptSecurity.Host host = ScriptSecurity.system(base.resolve("nothere") + ":" + dir);
        ScriptSecurity.Result r = ScriptSecurity.check("mycheck", ROOT, true, host);
        assertThat(r.disabled()).isFalse();
        assertThat(r.program()).isEqualTo(s.toString());
        assertThat(r.log()).containsExactly("WARNING - script `mycheck` resolved by path search to `" + s
                + "`. Please specify full path.");

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(ScriptSecurity.check("mycheck", ROOT, true, host).log()).contains(unsafe(s));

        assertThat(ScriptSecurity.check("nosuchprogram", ROOT, true, host).log())
                .containsExactly("Cannot find script nosuchprogram in path - disabling");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(ScriptSecurity.check("mycheck", ROOT, true, host).log())
                .containsExactly("Permissions failure for script mycheck in path - disabling");
    }

    // ------------------------------------------------------------------------------------------------ a config

    String conf(boolean security, String track, String notify, String misc) {
        return "global_defs {\n" + (security ? "  enable_script_security\n" : "") + "  script_user root\n}\n"
                + "vrrp_script chk_bad {\n  script \"" + track + "\"\n}\n"
                + "vrrp_script chk_ok {\n  script \"" + base.resolve("ok.sh") + "\"\n  weight 10\n}\n"
                + "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  priority 100\n"
                + "  virtual_ipaddress {\n    10.9.9.9/32\n  }\n  track_script {\n    chk_bad\n    chk_ok\n  }\n"
                + "  notify_master \"" + notify + "\"\n  notify \"" + base.resolve("ok.sh") + "\"\n}\n"
                + "virtual_server 10.9.9.9 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
                + "  real_server 10.9.9.10 80 {\n    notify_up \"" + notify + "\"\n    MISC_CHECK {\n      misc_path \""
                + misc + " arg1\"\n    }\n    TCP_CHECK {\n    }\n  }\n}\n";
    }

    static KeepalivedConfig read(String text) throws ConfigException {
        return KeepalivedConfigReader.read(text, Path.of("/virtual/keepalived.conf")).config();
    }

    @Test
    void reviewRemovesDisabledScriptsAndTheTrackScriptEntriesNamingThem() throws Exception {
        make("ok.sh", "rwxr-xr-x", "root", "root");
        Path w = make("w.sh", "rwxrwxrwx", "root", "root");
        KeepalivedConfig cfg = read(conf(true, w.toString(), w.toString(), w.toString()));
        ScriptSecurity.Review r = ScriptSecurity.review(cfg, HOST);
        KeepalivedConfig s = r.secured();
        assertThat(s.vrrpScripts()).containsOnlyKeys("chk_ok");
        assertThat(s.vrrpInstances().get(0).trackScripts()).extracting(t -> t.name()).containsExactly("chk_ok");
        assertThat(s.vrrpInstances().get(0).notifyMaster()).isEmpty();
        assertThat(s.vrrpInstances().get(0).notifyAny()).isPresent();
        assertThat(s.virtualServers().get(0).realServers().get(0).notifyUp()).isEmpty();
        assertThat(s.virtualServers().get(0).realServers().get(0).checkers()).extracting(CheckerConfig::type)
                .containsExactly("TCP_CHECK");
        assertThat(r.violation()).isFalse();
        assertThat(r.log()).containsSubsequence(unsafe(w), "Disabling misc script '" + w + "' 'arg1' due to insecure",
                unsafe(w), "Disabling track script chk_bad due to insecure", unsafe(w));
        // everything else is untouched
        assertThat(s.vrrpInstances().get(0).origin()).isEqualTo(cfg.vrrpInstances().get(0).origin());
        assertThat(s.globalDefs()).isSameAs(cfg.globalDefs());
    }

    @Test
    void reviewOfASafeConfigurationChangesNothing() throws Exception {
        Path ok = make("ok.sh", "rwxr-xr-x", "root", "root");
        KeepalivedConfig cfg = read(conf(true, ok.toString(), ok.toString(), ok.toString()));
        ScriptSecurity.Review r = ScriptSecurity.review(cfg, HOST);
        assertThat(r.secured()).isEqualTo(cfg);
        assertThat(r.secured().vrrpInstances().get(0)).isSameAs(cfg.vrrpInstances().get(0));
        assertThat(r.log()).isEmpty();
        assertThat(r.scripts()).hasSize(6).noneMatch(ScriptSecurity.Checked::disabled);
    }

    @Test
    void withoutScriptSecurityEverySideWithScriptsIsAViolation() throws Exception {
        Path ok = make("ok.sh", "rwxr-xr-x", "root", "root");
        Path w = make("w.sh", "rwxrwxrwx", "root", "root");
        ScriptSecurity.Review r = ScriptSecurity.review(read(conf(false, ok.toString(), ok.toString(),
                w.toString())), HOST);
        assertThat(r.vrrpViolation()).isTrue();
        assertThat(r.checkerViolation()).isTrue();
        assertThat(r.log()).contains("SECURITY VIOLATION - check scripts are being executed but script_security not "
                        + "enabled. There are insecure scripts.",
                "SECURITY VIOLATION - scripts are being executed but script_security not enabled.");
        assertThat(r.secured().virtualServers().get(0).realServers().get(0).checkers()).as("insecure, still run")
                .hasSize(2);
    }

    @Test
    void missingUserDropsTheScript() throws Exception {
        Path ok = make("ok.sh", "rwxr-xr-x", "root", "root");
        KeepalivedConfig cfg = read(conf(true, ok.toString(), ok + "\" \"no_such_user_x", ok.toString()));
        ScriptSecurity.Review r = ScriptSecurity.review(cfg, HOST);
        assertThat(r.secured().vrrpInstances().get(0).notifyMaster()).isEmpty();
        assertThat(r.log()).contains("Invalid user/group for VRRP_Instance(VI_1) notify_master script " + ok
                + " - ignoring");
    }

    @Test
    void scriptsNamingNoUserCarryTheDefaultScriptUser() throws Exception {
        Path ok = make("ok.sh", "rwxr-xr-x", "root", "root");
        String text = conf(true, ok.toString(), ok.toString(), ok.toString()).replace("script_user root",
                "script_user nobody nogroup");
        ScriptSecurity.Review r = ScriptSecurity.review(read(text), HOST);
        KeepalivedConfig s = r.secured();
        assertThat(s.vrrpScripts().get("chk_ok").user()).contains("nobody");
        assertThat(s.vrrpScripts().get("chk_ok").group()).contains("nogroup");
        assertThat(s.vrrpScripts().get("chk_ok").script().user()).contains("nobody");
        assertThat(s.vrrpInstances().get(0).notifyMaster().orElseThrow().user()).contains("nobody");
        CheckerConfig.MiscCheck m = (CheckerConfig.MiscCheck) s.virtualServers().get(0).realServers().get(0)
                .checkers().get(0);
        assertThat(m.user()).contains("nobody");
        assertThat(m.group()).contains("nogroup");
        assertThat(r.log()).as("run as nobody: not checked, nothing to say").isEmpty();
        // root (the daemon itself) is not written in
        KeepalivedConfig asRoot = read(conf(true, ok.toString(), ok.toString(), ok.toString()));
        assertThat(ScriptSecurity.review(asRoot, HOST).secured()).isEqualTo(asRoot);
    }

    @Test
    void withReplacesNamedComponentsOnly() {
        record R(int a, String b, List<String> c) {}
        R r = new R(1, "x", List.of("y"));
        assertThat(ScriptSecurity.with(r, java.util.Map.of("b", "z"))).isEqualTo(new R(1, "z", List.of("y")));
        assertThat(ScriptSecurity.with(r, java.util.Map.of("c", List.of("y")))).isSameAs(r);
    }
}
