package io.javalived.checkers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * FILE_CHECK: reads a track_file holding an integer (a missing or empty file reads as 0), as keepalived's track_file:
 * with weight 0, 0 = up and anything else = down; otherwise the value times weight (negated with {@code reverse}) is
 * the weight change, and a result of -254 or less = down. Read on delay_loop (keepalived uses inotify).
 */
public record FileChecker(Path file, int weight, boolean reverse) implements Checker {
    @Override
    public String keyword() {
        return "FILE_CHECK";
    }

    @Override
    public String target() {
        return file.toString();
    }


    /** Pure verdict from the file's text (null = missing). */
    public CheckResult judge(String text) {
        long v;
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) v = 0;
        else {
            String first = t.split("\\s+")[0];
            try {
                v = Long.parseLong(first);
            } catch (NumberFormatException e) {
                v = 0;
            }
        }
        String where = "track_file " + file;
        if (weight == 0) {
            if (v == 0) return CheckResult.success(where + " status 0: up");
            return CheckResult.failed(FailureClass.FILE_DOWN, where + " status " + v + ": down", "value " + v);
        }
        long eff = v * weight * (reverse ? -1 : 1);
        if (eff <= -254)
            return CheckResult.failed(FailureClass.FILE_DOWN, where + " status " + v + ": down", "weight " + eff);
        return CheckResult.success(where + " status " + v + ": up", (int) Math.min(253, eff));
    }

    @Override
    public CompletableFuture<CheckResult> check(CheckContext ctx) {
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        try {
            ctx.scriptPool().execute(() -> {
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.ISO_8859_1);
                } catch (NoSuchFileException e) {
                    text = null;
                } catch (IOException e) {
                    out.complete(CheckResult.failed(FailureClass.FILE_DOWN, "track_file " + file + " unreadable",
                            e.toString()));
                    return;
                }
                out.complete(judge(text));
            });
        } catch (RejectedExecutionException e) {
            out.complete(CheckResult.failed(FailureClass.IO_ERROR, "track_file " + file + " not read", "pool full"));
        }
        return out;
    }
}
