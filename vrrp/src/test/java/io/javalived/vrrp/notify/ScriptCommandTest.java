package io.javalived.vrrp.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.NotifyScript;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScriptCommandTest {
    private static NotifyScript script(String line, String... argv) {
        return new NotifyScript(line, List.of(argv), Optional.empty(), Optional.empty());
    }

    @Test
    void plainCommandRunsWithoutAShellAndGetsNotifyArguments() {
        List<String> cmd = ScriptCommand.build(script("/etc/keepalived/n.sh x", "/etc/keepalived/n.sh", "x"),
                Optional.empty(), Optional.empty(), List.of("INSTANCE", "VI_1", "MASTER", "150"));
        assertThat(cmd).containsExactly("/etc/keepalived/n.sh", "x", "INSTANCE", "VI_1", "MASTER", "150");
    }

    @Test
    void shellSyntaxGoesThroughShWithQuotedArguments() {
        assertThat(ScriptCommand.needsShell("pidof haproxy || exit 1")).isTrue();
        assertThat(ScriptCommand.needsShell("echo $HOME")).isTrue();
        assertThat(ScriptCommand.needsShell("test -f /tmp/x > /dev/null")).isTrue();
        assertThat(ScriptCommand.needsShell("/usr/bin/test -f /tmp/x")).isFalse();
        List<String> cmd = ScriptCommand.build(script("a | b", "a", "|", "b"), Optional.empty(), Optional.empty(),
                List.of("GROUP", "it's"));
        assertThat(cmd).containsExactly("/bin/sh", "-c", "a | b 'GROUP' 'it'\\''s'");
    }

    @Test
    void userAndGroupAreAppliedWithSetpriv() {
        List<String> cmd = ScriptCommand.build(script("/bin/true", "/bin/true"), Optional.of("nobody"),
                Optional.of("nogroup"), List.of());
        assertThat(cmd).containsExactly("setpriv", "--reuid=nobody", "--regid=nogroup", "--init-groups", "--",
                "/bin/true");
        assertThat(ScriptCommand.build(script("/bin/true", "/bin/true"), Optional.of("root"), Optional.empty(),
                List.of())).containsExactly("/bin/true");
        // no group given: the user's primary group (nobody's is 65534 on Debian)
        assertThat(ScriptCommand.build(script("/bin/true", "/bin/true"), Optional.of("nobody"), Optional.empty(),
                List.of())).containsExactly("setpriv", "--reuid=nobody", "--regid=65534", "--init-groups", "--",
                "/bin/true");
    }
}
