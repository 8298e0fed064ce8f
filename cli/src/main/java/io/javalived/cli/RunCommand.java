package io.javalived.cli;

import io.javalived.config.ConfigException;
import io.javalived.config.ConfigResult;
import io.javalived.config.ConfigWarning;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.vrrp.runtime.VrrpDaemon;
import io.javalived.vrrp.runtime.VrrpStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code javalived run -f FILE}: runs the configuration's VRRP instances until SIGTERM/SIGINT, then sends priority 0
 * for every master and removes its virtual addresses. Virtual servers arrive with the director issue.
 */
@Command(name = "run", description = "Run the director (VRRP, checkers, IPVS) of a keepalived.conf.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-f", "--use-file"}, paramLabel = "FILE", description = "keepalived.conf to run "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "/etc/keepalived/keepalived.conf")
    Path file;

    @Override
    public Integer call() throws Exception {
        RunLogging.install();
        System.Logger log = System.getLogger("io.javalived.cli");
        if (!Files.isReadable(file)) {
            System.err.println("javalived run: cannot read " + file + " - give the configuration with -f FILE");
            return 1;
        }
        KeepalivedConfig config;
        try {
            ConfigResult r = ConfigLoader.load(file);
            for (ConfigWarning w : r.warnings()) {
                log.log(System.Logger.Level.WARNING, w.toString());
            }
            config = r.config();
        } catch (ConfigException e) {
            System.err.println("javalived run: " + e.getMessage());
            return 1;
        }
        log.log(System.Logger.Level.INFO, "Starting javalived VRRP, pid=" + ProcessHandle.current().pid());
        if (!config.virtualServers().isEmpty()) {
            log.log(System.Logger.Level.WARNING, "Configuration has " + config.virtualServers().size()
                    + " virtual_server block(s): this build runs VRRP only, virtual servers are not programmed yet");
        }
        if (config.vrrpInstances().isEmpty()) {
            log.log(System.Logger.Level.WARNING, "No vrrp_instance in " + file + " - nothing to do");
        }
        VrrpDaemon daemon = new VrrpDaemon(config);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.log(System.Logger.Level.INFO, "Stopping");
            daemon.stop();
            done.countDown();
            log.log(System.Logger.Level.INFO, "Stopped");
        }, "javalived-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            daemon.start();
        } catch (VrrpStartException e) {
            System.err.println("javalived run: " + e.getMessage());
            return 1;
        }
        done.await();
        return 0;
    }
}
