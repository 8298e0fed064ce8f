package io.javalived.vrrp.notify;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: the live (not zombie) processes of a process group, from /proc; killing them by PID. */
final class ProcessGroups {
    private ProcessGroups() {
    }

    /** PIDs whose /proc/PID/stat names {@code pgid} as process group and which are not zombies. */
    static List<Long> live(long pgid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path p : ds) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses, so after the last ')'
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (!f[0].equals("Z") && !f[0].equals("X") && Long.parseLong(f[2]) == pgid) {
                    out.add(Long.parseLong(p.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** SIGKILL to each live member of the group (test cleanup), a few passes in case one forks meanwhile. */
    static void kill(long pgid) {
        for (int pass = 0; pass < 5; pass++) {
            List<Long> pids = live(pgid);
            if (pids.isEmpty()) {
                return;
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
