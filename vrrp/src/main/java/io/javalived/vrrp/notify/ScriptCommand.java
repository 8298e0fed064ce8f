package io.javalived.vrrp.notify;

import io.javalived.config.model.NotifyScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a configured script line into a process command: run directly (argv as keepalived splits it) unless the line
 * needs a shell (pipes, redirections, variables, globs, several commands), then {@code /bin/sh -c LINE}. A user/group
 * is applied with {@code setpriv} (the JVM cannot change user for one child).
 */
public final class ScriptCommand {
    private static final String SHELL_CHARS = "|&;<>()$`\\\"'*?[]#~=%{}\n";

    private ScriptCommand() {
    }

    /** True when the line has characters only a shell understands. */
    public static boolean needsShell(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (SHELL_CHARS.indexOf(line.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The command for {@code script} with {@code extraArgs} appended (quoted for the shell when one is used). */
    public static List<String> build(NotifyScript script, Optional<String> user, Optional<String> group,
                                     List<String> extraArgs) {
        List<String> cmd = new ArrayList<>();
        Optional<String> u = user.isPresent() ? user : script.user();
        Optional<String> g = group.isPresent() ? group : script.group();
        if (u.isPresent() && !u.get().equals("root")) {
            cmd.add("setpriv");
            cmd.add("--reuid=" + u.get());
            cmd.add("--regid=" + g.orElse(u.get()));
            cmd.add("--init-groups");
            cmd.add("--");
        }
        String line = script.command();
        if (needsShell(line) || script.argv().isEmpty()) {
            StringBuilder sb = new StringBuilder(line);
            for (String a : extraArgs) {
                sb.append(' ').append(shellQuote(a));
            }
            cmd.add("/bin/sh");
            cmd.add("-c");
            cmd.add(sb.toString());
        } else {
            cmd.addAll(script.argv());
            cmd.addAll(extraArgs);
        }
        return cmd;
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
