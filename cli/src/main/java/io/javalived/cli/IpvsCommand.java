package io.javalived.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code javalived ipvs}. Placeholder until its issue lands: says so and fails. */
@Command(name = "ipvs", description = "Read and program the kernel's IPVS table.")
public final class IpvsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("javalived ipvs: not available in this build yet");
        return 1;
    }
}
