package io.javalived.config;

import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.NotifyScript;
import java.time.Duration;
import java.util.Optional;

/**
 * MISC_CHECK (keepalived's check_misc.c): misc_path (a script, recorded for the script-security check),
 * misc_timeout (default: delay_loop), misc_dynamic, user; no connect_* keywords; retry defaults to 0.
 */
final class MiscCheckParser extends CheckerParser {
    MiscCheckParser(ParseContext cx) {
        super(cx, "MISC_CHECK");
    }

    @Override
    boolean connects() {
        return false;
    }

    @Override
    int defaultRetry() {
        return 0;
    }

    @Override
    Draft draft(ConfigNode n) {
        return new MiscDraft(n);
    }

    private final class MiscDraft extends Draft {
        NotifyScript miscPath;
        Duration miscTimeout;
        boolean miscDynamic;
        Optional<String> user = Optional.empty();
        Optional<String> group = Optional.empty();

        MiscDraft(ConfigNode n) {
            super(n);
        }

        @Override
        void keyword(ConfigNode s) throws ConfigException {
            switch (s.keyword) {
                case "misc_path" -> {
                    miscPath = scriptArg(s, false);
                    cx.scriptsUsed.add(new ParseContext.ScriptUse(miscPath, origin(s)));
                }
                case "misc_timeout" -> {
                    int t = intArg(s, 0, 0, Integer.MAX_VALUE);
                    miscTimeout = t == 0 ? null : Duration.ofSeconds(t); // 0: the default (delay_loop)
                }
                case "misc_dynamic" -> miscDynamic = true;
                case "user" -> {
                    user = Optional.of(arg(s, 0));
                    group = s.args.size() > 1 ? Optional.of(s.args.get(1)) : Optional.empty();
                }
                case "warmup", "log_all_failures" -> ignored(s);
                default -> unknown(s);
            }
        }

        @Override
        CheckerConfig build(CheckerCommon common, Inherit eff, GlobalDefs g) throws ConfigException {
            if (miscPath == null) {
                throw err(node, "MISC_CHECK has no misc_path");
            }
            return new CheckerConfig.MiscCheck(common, miscPath, miscTimeout != null ? miscTimeout : eff.delayLoop,
                    miscDynamic, user, group);
        }
    }
}
