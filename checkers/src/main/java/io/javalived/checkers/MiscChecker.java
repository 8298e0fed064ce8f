package io.javalived.checkers;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * MISC_CHECK: runs misc_path (split into words as keepalived does — quotes group words — and executed directly, no
 * shell) on the bounded script pool, as {@code user} when given. Exit 0 = up; with misc_dynamic, exit 2..255 = up with
 * weight (status - 2), keepalived's mapping; anything else = down. After misc_timeout the script and its children are
 * killed and the check fails.
 *
 * @param rsVs  keepalived's "[rs] VS [vs]" part of the log line, e.g. {@code [10.0.0.2]:tcp:80 VS [10.0.0.1]:tcp:80}
 * @param retry the checker's retry (only for the log line: keepalived adds "with retry disabled" when 0); -1 = unknown
 */
public record MiscChecker(String miscPath, Duration timeout, boolean dynamic, String user, String group, String rsVs,
                          int retry) implements Checker {
    public MiscChecker {
        Objects.requireNonNull(miscPath);
        Objects.requireNonNull(timeout);
        if (split(miscPath).isEmpty()) throw new IllegalArgumentException("MISC_CHECK misc_path is empty");
    }

    public MiscChecker(String miscPath, Duration timeout, boolean dynamic, String user, String group, String rsVs) {
        this(miscPath, timeout, dynamic, user, group, rsVs, -1);
    }

    /** The script as keepalived names it in logs: argv[0] resolved to its real path through PATH. */
    public String program() {
        String p = split(miscPath).get(0);
        try {
            java.nio.file.Path path = null;
            if (p.contains("/")) path = java.nio.file.Path.of(p);
            else for (String d : String.valueOf(System.getenv("PATH")).split(":")) {
                java.nio.file.Path c = java.nio.file.Path.of(d, p);
                if (java.nio.file.Files.isExecutable(c)) {
                    path = c;
                    break;
                }
            }
            return path == null ? p : path.toRealPath().toString();
        } catch (Exception e) {
            return p;
        }
    }

    private String head() {
        return "Misc check for [" + rsVs + "] by [" + program() + "] ";
    }

    private String retryNote() {
        return retry == 0 ? " with retry disabled" : "";
    }

    @Override
    public String keyword() {
        return "MISC_CHECK";
    }

    @Override
    public String target() {
        return rsVs;
    }


    /** keepalived's word splitting of misc_path: whitespace separates, '...' and "..." group, backslash escapes. */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean in = false;
        char q = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (q != 0) {
                if (c == q) q = 0;
                else if (c == '\\' && q == '"' && i + 1 < s.length()) w.append(s.charAt(++i));
                else w.append(c);
            } else if (c == '\'' || c == '"') {
                q = c;
                in = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                w.append(s.charAt(++i));
                in = true;
            } else if (Character.isWhitespace(c)) {
                if (in) {
                    out.add(w.toString());
                    w.setLength(0);
                    in = false;
                }
            } else {
                w.append(c);
                in = true;
            }
        }
        if (in) out.add(w.toString());
        return out;
    }

    /** Quotes argv back into a misc_path string that {@link #split} turns into the same argv. */
    public static String join(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) sb.append(' ');
            if (!a.isEmpty() && a.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\'))
                sb.append(a);
            else sb.append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }

    /** The argv actually executed (runuser prefix when a user is set). */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (user != null && !user.isEmpty()) {
            cmd.addAll(List.of("runuser", "-u", user));
            if (group != null && !group.isEmpty()) cmd.addAll(List.of("-g", group));
            cmd.add("--");
        }
        cmd.addAll(split(miscPath));
        return cmd;
    }

    /** Maps an exit status to the verdict, as keepalived. Pure. */
    public CheckResult judge(int status) {
        String head = head();
        if (status == 0) return CheckResult.success(head + "succeeded.");
        if (dynamic && status >= 2 && status <= 255)
            return CheckResult.success(head + "succeeded (exited with status " + status + ").", status - 2);
        return CheckResult.failed(FailureClass.SCRIPT_EXIT,
                head + "failed" + retryNote() + " (exited with status " + status + ").", "exit status " + status);
    }

    @Override
    public CompletableFuture<CheckResult> check(CheckContext ctx) {
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        String head = head();
        try {
            ctx.scriptPool().execute(() -> out.complete(run(head)));
        } catch (RejectedExecutionException e) {
            out.complete(CheckResult.failed(FailureClass.SCRIPT_ERROR, head + "failed.", "script pool full"));
        }
        return out;
    }

    private CheckResult run(String head) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            p = pb.start();
        } catch (Exception e) {
            return CheckResult.failed(FailureClass.SCRIPT_ERROR, head + "failed.", "cannot run: " + e.getMessage());
        }
        try {
            if (!p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(1, TimeUnit.SECONDS);
                return CheckResult.failed(FailureClass.SCRIPT_TIMEOUT, head + "timed out" + retryNote() + ".",
                        "killed after misc_timeout " + timeout.toMillis() + " ms");
            }
            return judge(p.exitValue());
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return CheckResult.failed(FailureClass.SCRIPT_ERROR, head + "failed.", "interrupted");
        }
    }
}
