package io.javalived.config.model;

import java.util.List;
import java.util.Optional;

/**
 * A script keepalived runs (notify_*, quorum_up/down, misc_path, vrrp_script's script): the command line as
 * written (after unquoting), its arguments split as keepalived splits them, and the optional user/group.
 */
public record NotifyScript(String command, List<String> argv, Optional<String> user, Optional<String> group) {
    public NotifyScript {
        argv = List.copyOf(argv);
    }

    @Override
    public String toString() {
        return command;
    }
}
