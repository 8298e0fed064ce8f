package io.javalived.config.model;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code vrrp_script NAME}: script, interval (default 1 s), timeout (default: the interval), weight (default 0,
 * -253..253) with optional reverse, rise/fall (default 1), user/group, init_fail.
 */
public record VrrpScript(
        String name,
        NotifyScript script,
        Duration interval,
        Duration timeout,
        int weight,
        boolean weightReverse,
        int rise,
        int fall,
        Optional<String> user,
        Optional<String> group,
        boolean initFail,
        Origin origin) {}
