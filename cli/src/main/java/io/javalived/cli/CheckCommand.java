package io.javalived.cli;

import io.javalived.daemon.Json;
import io.javalived.config.ConfigCheck;
import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.SystemHost;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code javalived check -f FILE [--json]}: reads a keepalived.conf as keepalived 2.2.7 does, checks the host
 * (interfaces, script security) as {@code keepalived -t} does, prints a normalized summary and exits with
 * keepalived -t's exit code.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Check a keepalived.conf as `keepalived -t` does and print its normalized summary: vrrp instances "
                    + "(VRID, priority, VIPs, trackers) and virtual servers with their real servers and checkers, "
                    + "keepalived's defaults and inheritance resolved.",
            "Errors and warnings go to stderr as FILE:LINE: error|warning: MESSAGE."},
        exitCodeListHeading = "%nExit codes (those of Debian's keepalived 2.2.7 `keepalived -t`):%n",
        exitCodeList = {
            "0:configuration accepted",
            "2:usage error",
            "5:configuration errors (bad values, unknown keywords, brace mismatch, an interface the "
                    + "configuration names does not exist in this network namespace, ...)",
            "6:scripts would run without enable_script_security (security violation)"},
        footerHeading = "%nJSON (--json):%n",
        footer = {
            "One object on stdout: {\"schemaVersion\":1, \"file\", \"accepted\":bool, \"exitCode\":int,",
            " \"errors\":[{file,line,keyword,message}], \"warnings\":[{file,line,keyword,message,failsConfigTest}],",
            " \"config\": null when the file has errors, else {globalDefs, vrrpScripts[], vrrpSyncGroups[],",
            " vrrpInstances[], virtualServerGroups[], virtualServers[]}}. Timers are numbers of seconds (fractions",
            " allowed), addresses are strings, absent optional values are null; keys keep their order. Fields",
            " are only ever added within a schemaVersion. The full schema is in config/README.md."})
public final class CheckCommand implements Callable<Integer> {
    @Option(names = {"-f", "--use-file"}, paramLabel = "FILE", defaultValue = "/etc/keepalived/keepalived.conf",
            description = "Configuration file to check (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--json", description = "Print the result as one JSON document (schema: see below).")
    boolean json;

    @Option(names = {"-i", "--config-id"}, paramLabel = "ID",
            description = "Config id for @ID conditional lines (default: the host name up to its first dot).")
    String configId;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final ConfigCheck.Host host;

    public CheckCommand() {
        this(new SystemHost());
    }

    /** For tests: a host whose interfaces/users/PATH are given. */
    public CheckCommand(ConfigCheck.Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String id = configId != null ? configId : KeepalivedConfigReader.defaultConfigId();
        ConfigCheck.Verdict v;
        try {
            v = ConfigCheck.run(file, id, host);
        } catch (RuntimeException | StackOverflowError e) {
            err.println(file + ":0: error: javalived could not check this file (" + e + ")");
            err.flush();
            return ConfigCheck.EXIT_CONFIG_ERROR;
        }
        for (String line : CheckSummary.diagnostics(v)) {
            err.println(line);
        }
        io.javalived.config.KeywordCatalog.notActedUpon(v.warnings()).ifPresent(err::println);
        err.flush();
        if (json) {
            out.print(Json.write(CheckSummary.json(file, v)));
        } else {
            out.print(CheckSummary.text(file, v));
        }
        out.flush();
        return v.exitCode();
    }
}
