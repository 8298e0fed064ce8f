package io.javalived.config;

import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;

/** TCP_CHECK (keepalived's check_tcp.c): only the shared keywords; a port is required. */
final class TcpCheckParser extends CheckerParser {
    TcpCheckParser(ParseContext cx) {
        super(cx, "TCP_CHECK");
    }

    @Override
    boolean needsPort() {
        return true;
    }

    @Override
    Draft draft(ConfigNode n) {
        return new Draft(n) {
            @Override
            CheckerConfig build(CheckerCommon common, Inherit eff, GlobalDefs g) {
                return new CheckerConfig.TcpCheck(common);
            }
        };
    }
}
