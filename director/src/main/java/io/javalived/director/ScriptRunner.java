package io.javalived.director;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the scripts the {@link VirtualServerManager} asks for. */
public interface ScriptRunner {
    /** Starts the script; must not wait for it (the director thread must keep going). */
    void run(DirectorAction.RunScript script);

    /**
     * Runs each script as its own process, no shell (argv as keepalived splits it), as {@code user}/{@code group}
     * through runuser when set; output discarded; a script still running after 60 s is killed.
     */
    final class Processes implements ScriptRunner {
        private static final System.Logger LOG = System.getLogger("io.javalived.director");

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
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.getOutputStream().close();
                p.onExit().orTimeout(60, TimeUnit.SECONDS).whenComplete((done, err) -> {
                    if (err != null) {
                        p.destroyForcibly();
                        LOG.log(System.Logger.Level.WARNING, s.kind() + " script " + s.script().command()
                                + " for " + s.subject() + " still running after 60 s: killed");
                    } else if (done.exitValue() != 0) {
                        LOG.log(System.Logger.Level.DEBUG, s.kind() + " script " + s.script().command()
                                + " exited with status " + done.exitValue());
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}
