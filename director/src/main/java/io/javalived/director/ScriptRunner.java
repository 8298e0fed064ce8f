package io.javalived.director;

import io.javalived.vrrp.notify.ScriptRuns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs the scripts the {@link VirtualServerManager} asks for. */
public interface ScriptRunner {
    /** Starts the script; must not wait for it (the director thread must keep going). */
    void run(DirectorAction.RunScript script);

    /**
     * Runs each script as keepalived does (ipwrapper.c, {@code notify_exec}): started at once in its own process
     * group, nothing waits for it, so a hanging notify_down delays no later script. No shell (argv as keepalived
     * splits it); as {@code user}/{@code group} through runuser when set; output discarded. keepalived puts no time
     * limit on these scripts either.
     */
    final class Processes implements ScriptRunner {
        private static final System.Logger LOG = System.getLogger("io.javalived.director");
        private final ScriptRuns runs;

        public Processes() {
            this(ScriptRuns.processes("director-scripts", LOG));
        }

        public Processes(ScriptRuns runs) {
            this.runs = runs;
        }

        static List<String> command(DirectorAction.RunScript s) {
            List<String> cmd = new ArrayList<>();
            s.script().user().ifPresent(u -> {
                cmd.addAll(List.of("runuser", "-u", u));
                s.script().group().ifPresent(g -> cmd.addAll(List.of("-g", g)));
                cmd.add("--");
            });
            cmd.addAll(s.script().argv());
            return cmd;
        }

        @Override
        public void run(DirectorAction.RunScript s) {
            List<String> cmd = command(s);
            if (cmd.isEmpty()) {
                return;
            }
            runs.run(s.kind() + " script " + s.script().command() + " for " + s.subject(), cmd, Optional.empty());
        }
    }
}
