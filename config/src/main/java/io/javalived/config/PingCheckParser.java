package io.javalived.config;

import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;

/** PING_CHECK (keepalived's check_ping.c): only the shared keywords. */
final class PingCheckParser extends CheckerParser {
    PingCheckParser(ParseContext cx) {
        super(cx, "PING_CHECK");
    }

    @Override
    Draft draft(ConfigNode n) {
        return new Draft(n) {
            @Override
            CheckerConfig build(CheckerCommon common, Inherit eff, GlobalDefs g) {
                return new CheckerConfig.PingCheck(common);
            }
        };
    }
}
