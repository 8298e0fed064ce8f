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
            Optional<String> gid = g.isPresent() ? g : primaryGroup(u.get());
            if (gid.isPresent()) {
                cmd.add("setpriv");
                cmd.add("--reuid=" + u.get());
                cmd.add("--regid=" + gid.get());
                cmd.add("--init-groups");
                cmd.add("--");
            } else { // user not in /etc/passwd (NSS): runuser finds its primary group
                cmd.add("runuser");
                cmd.add("-u");
                cmd.add(u.get());
                cmd.add("--");
            }
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

    /** The user's primary group id from /etc/passwd, if the user is listed there. */
    static Optional<String> primaryGroup(String user) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 3 && f[0].equals(user)) {
                    return Optional.of(f[3]);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
