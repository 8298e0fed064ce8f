package io.javalived.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code javalived run}. Placeholder until its issue lands: says so and fails. */
@Command(name = "run", description = "Run the director (VRRP, checkers, IPVS) of a keepalived.conf.")
public final class RunCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("javalived run: not available in this build yet");
        return 1;
    }
}
