package io.javalived.vrrp.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.Origin;
import io.javalived.config.model.VrrpScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real processes (no network): exit status, timeout, shell lines. */
class ScriptTrackerTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService runners = Executors.newCachedThreadPool();

    @AfterEach
    void down() {
        timer.shutdownNow();
        runners.shutdownNow();
    }

    private static VrrpScript script(String line, List<String> argv, long intervalMs, long timeoutMs, boolean initFail) {
        return new VrrpScript("chk", new NotifyScript(line, argv, Optional.empty(), Optional.empty()),
                Duration.ofMillis(intervalMs), Duration.ofMillis(timeoutMs), 0, false, 1, 1, Optional.empty(),
                Optional.empty(), initFail, new Origin(Path.of("test.conf"), 1));
    }

    private LinkedBlockingQueue<Boolean> track(VrrpScript s) {
        LinkedBlockingQueue<Boolean> q = new LinkedBlockingQueue<>();
        ScriptTracker t = new ScriptTracker(s, timer, runners);
        t.addListener(q::add);
        t.start();
        return q;
    }

    @Test
    void aScriptThatOverrunsItsTimeoutFails() throws Exception {
        LinkedBlockingQueue<Boolean> q = track(script("/bin/sleep 5", List.of("/bin/sleep", "5"), 200, 300, false));
        assertThat(q.poll(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void exitStatusZeroIsSuccessAndAShellLineRunsThroughSh() throws Exception {
        LinkedBlockingQueue<Boolean> q = track(script("exit 0 || exit 1", List.of("exit", "0", "||", "exit", "1"),
                100, 1000, true));
        assertThat(q.poll(5, TimeUnit.SECONDS)).as("init_fail, then the first success").isTrue();
        LinkedBlockingQueue<Boolean> f = track(script("/bin/false", List.of("/bin/false"), 100, 1000, false));
        assertThat(f.poll(5, TimeUnit.SECONDS)).isFalse();
    }
}
