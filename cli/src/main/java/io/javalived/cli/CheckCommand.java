package io.javalived.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code javalived check}. Placeholder until its issue lands: says so and fails. */
@Command(name = "check", description = "Check a keepalived.conf and print its normalized summary.")
public final class CheckCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("javalived check: not available in this build yet");
        return 1;
    }
}
