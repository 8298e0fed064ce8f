package io.javalived.vrrp.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.NotifyScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ScriptRuns} and {@link Notifier} without processes: a fake launcher whose scripts end only when
 * the test says so, a timer whose tasks the test fires, the caller's thread as the starter.
 */
class ScriptRunsTest {
    /** A started fake script. */
    static final class Fake implements ScriptLauncher.Started {
        final long pid;
        final List<String> command;
        final CompletableFuture<Integer> exited = new CompletableFuture<>();
        int kills;

        Fake(long pid, List<String> command) {
            this.pid = pid;
            this.command = command;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return exited;
        }

        @Override
        public void killGroup() {
            kills++;
            exited.complete(128 + 9);
        }
    }

    record Delayed(Duration delay, Runnable task) {
    }

    final List<Fake> started = new ArrayList<>();
    final List<Delayed> timers = new ArrayList<>();
    final RecordingLog log = new RecordingLog();
    final ScriptRuns runs = new ScriptRuns(cmd -> {
        Fake f = new Fake(1000 + started.size(), cmd);
        started.add(f);
        return f;
    }, Runnable::run, (d, t) -> timers.add(new Delayed(d, t)), log);

    private static NotifyScript script(String path) {
        return new NotifyScript(path, List.of(path), Optional.empty(), Optional.empty());
    }

    @Test
    void aScriptThatNeverEndsDoesNotHoldBackTheNextOne() {
        Notifier n = new Notifier(runs);
        n.stateChanged(Notifier.Kind.INSTANCE, "VI_1", "BACKUP", 100, Optional.of(script("/hang")),
                Optional.of(script("/any")));
        n.stateChanged(Notifier.Kind.INSTANCE, "VI_1", "MASTER", 100, Optional.of(script("/master")),
                Optional.of(script("/any")));

        // all four started although none has ended; in event order, the state's own script before notify
        assertThat(started).extracting(f -> f.command).containsExactly(
                List.of("/hang"), List.of("/any", "INSTANCE", "VI_1", "BACKUP", "100"),
                List.of("/master"), List.of("/any", "INSTANCE", "VI_1", "MASTER", "100"));
        assertThat(started).allMatch(f -> !f.exited.isDone());
        assertThat(timers).as("no limit on notify_backup/master, as in keepalived").isEmpty();
    }

    @Test
    void stopScriptsOfAnInstanceAreKilledWithTheirGroupAfterOneSecond() {
        Notifier n = new Notifier(runs);
        n.stateChanged(Notifier.Kind.INSTANCE, "VI_1", "STOP", 100, Optional.of(script("/stop")),
                Optional.of(script("/any")));
        assertThat(timers).extracting(Delayed::delay).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));

        started.get(1).exited.complete(0); // notify ended in time: left alone
        timers.forEach(t -> t.task().run());

        assertThat(started.get(0).kills).isEqualTo(1);
        assertThat(started.get(1).kills).isZero();
        assertThat(log.lines).containsExactly(
                "notify_stop script /stop of VRRP_Instance(VI_1) (PID 1000) timed out");
    }

    @Test
    void aGroupsNotifyStopHasNoLimitButItsGenericNotifyHas() {
        new Notifier(runs).stateChanged(Notifier.Kind.GROUP, "G1", "STOP", 0, Optional.of(script("/gstop")),
                Optional.of(script("/any")));
        assertThat(started).extracting(f -> f.command).containsExactly(List.of("/gstop"),
                List.of("/any", "GROUP", "G1", "STOP", "0"));
        assertThat(timers).hasSize(1);
        timers.get(0).task().run();
        assertThat(started.get(0).kills).isZero();
        assertThat(started.get(1).kills).isEqualTo(1);
    }

    @Test
    void drainWaitsForLimitedScriptsOnly() {
        CompletableFuture<ScriptRuns.Outcome> free = runs.run("free", List.of("/a"), Optional.empty());
        CompletableFuture<ScriptRuns.Outcome> stop = runs.run("stop", List.of("/b"), Optional.of(Duration.ofSeconds(1)));
        assertThat(runs.drain(10)).as("a limited script still runs").isFalse();
        timers.get(0).task().run();
        assertThat(runs.drain(10)).isTrue();
        assertThat(stop.join()).isEqualTo(new ScriptRuns.Outcome(1001, 137, true));
        assertThat(free).isNotDone();
    }

    @Test
    void shellStatusesArePutInKeepalivedsWords() {
        runs.run("notify_master script x of VRRP_Instance(VI_1)", List.of("/bin/sh", "-c", "x"), Optional.empty());
        runs.run("notify_backup script y of VRRP_Instance(VI_1)", List.of("/y"), Optional.empty());
        started.get(0).exited.complete(127);
        started.get(1).exited.complete(126);
        assertThat(log.lines).containsExactly(
                "Couldn't find command: /bin/sh -c x (notify_master script x of VRRP_Instance(VI_1)) - check the path",
                "Couldn't execute command: /y (notify_backup script y of VRRP_Instance(VI_1)) - check that it is"
                        + " executable");
    }

    @Test
    void aScriptThatCannotStartIsLoggedAndTheNextStillRuns() {
        ScriptRuns failing = new ScriptRuns(cmd -> {
            if (cmd.get(0).equals("/missing")) {
                throw new java.io.IOException("error=2, No such file or directory");
            }
            Fake f = new Fake(7, cmd);
            started.add(f);
            return f;
        }, Runnable::run, (d, t) -> { }, log);
        CompletableFuture<ScriptRuns.Outcome> bad = failing.run("notify_fault script /missing", List.of("/missing"),
                Optional.empty());
        failing.run("notify_backup script /ok", List.of("/ok"), Optional.empty());
        assertThat(bad).isCompletedExceptionally();
        assertThat(started).hasSize(1);
        assertThat(log.lines).containsExactly("Error exec-ing command '/missing' (notify_fault script /missing):"
                + " error=2, No such file or directory - check that it exists and is executable");
    }
}
