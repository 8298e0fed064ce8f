package io.javalived.config;

import io.javalived.config.Values.BadValue;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.Origin;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Base of the block parsers (one per block kind, as keepalived's *_parser.c): the statement helpers that check a
 * value as keepalived does and report a problem at the statement's file:line. Errors and warnings go to the shared
 * {@link ParseContext}; reading goes on after an error, as keepalived's does.
 */
abstract class BlockParser {
    final ParseContext cx;

    BlockParser(ParseContext cx) {
        this.cx = cx;
    }

    // ------------------------------------------------------------ reporting

    /** A statement-level error carrying its location (to throw). */
    final ConfigException err(ConfigNode n, String reason) {
        return new ConfigException(n.file, n.line, n.keyword, reason);
    }

    final void error(ConfigNode n, String reason) {
        cx.errors.add(err(n, reason));
    }

    /** A warning keepalived -t counts (the check fails). */
    final void warn(ConfigNode n, String message) {
        cx.warnings.add(new ConfigWarning(n.file, n.line, n.keyword, message, true));
    }

    /** A warning at a block's line about one of its keywords (the check fails). */
    final void warnAt(ConfigNode n, String keyword, String message) {
        cx.warnings.add(new ConfigWarning(n.file, n.line, keyword, message));
    }

    /** A notice keepalived does not count. */
    final void note(ConfigNode n, String message) {
        cx.warnings.add(new ConfigWarning(n.file, n.line, n.keyword, message, false));
    }

    final void unknown(ConfigNode n) {
        warn(n, "Unknown keyword '" + n.keyword + "'");
    }

    final void ignored(ConfigNode n) {
        note(n, "keyword '" + n.keyword + "' is not used by javalived - ignored");
    }

    static Origin origin(ConfigNode n) {
        return new Origin(n.file, n.line);
    }

    // ------------------------------------------------------------ arguments

    final String arg(ConfigNode n, int i) throws ConfigException {
        if (i >= n.args.size()) {
            throw err(n, "missing parameter" + (i == 0 ? "" : " at position " + (i + 1)));
        }
        return n.args.get(i);
    }

    /** Word {@code i} of a value block line's words, which names the option before it. */
    final String argAt(ConfigNode e, List<String> args, int i) throws ConfigException {
        if (i >= args.size()) {
            throw err(e, "missing value after '" + args.get(i - 1) + "'");
        }
        return args.get(i);
    }

    final int intArg(ConfigNode n, int i, int min, int max) throws ConfigException {
        String s = arg(n, i);
        try {
            return Values.parseInt(s, min, max);
        } catch (BadValue e) {
            throw err(n, e.getMessage());
        }
    }

    final long longArg(ConfigNode n, int i, long min, long max) throws ConfigException {
        String s = arg(n, i);
        try {
            return Values.parseLong(s, min, max);
        } catch (BadValue e) {
            throw err(n, e.getMessage());
        }
    }

    final Duration timerArg(ConfigNode n, int i, double min, double max) throws ConfigException {
        String s = arg(n, i);
        try {
            return Values.parseTimer(s, min, max);
        } catch (BadValue e) {
            throw err(n, e.getMessage());
        }
    }

    /** Flag keywords: no argument = on, else a boolean. */
    final boolean boolArg(ConfigNode n) throws ConfigException {
        if (n.args.isEmpty()) {
            return true;
        }
        try {
            return Values.parseBool(n.args.get(0));
        } catch (BadValue e) {
            throw err(n, e.getMessage());
        }
    }

    final InetAddress addrArg(ConfigNode n, int i) throws ConfigException {
        String s = arg(n, i);
        try {
            return Values.parseAddress(s);
        } catch (BadValue e) {
            throw err(n, e.getMessage());
        }
    }

    final int portArg(ConfigNode n, int i) throws ConfigException {
        String s = arg(n, i);
        try {
            return Values.parsePort(s);
        } catch (BadValue e) {
            throw err(n, e.getMessage());
        }
    }

    final void extraArgs(ConfigNode n, int allowed) {
        if (n.args.size() > allowed) {
            note(n, "extra parameter '" + n.args.get(allowed) + "' after " + n.keyword + " - ignored");
        }
    }

    /** A line of a value block as words: its keyword, then its arguments. */
    static List<String> words(ConfigNode e) {
        List<String> w = new ArrayList<>();
        w.add(e.keyword);
        w.addAll(e.args);
        return w;
    }

    /** An address literal known to be valid (a default). */
    static InetAddress addr(String s) {
        InetAddress a = Values.tryAddress(s);
        if (a == null) {
            throw new IllegalStateException(s);
        }
        return a;
    }

    // ------------------------------------------------------------ blocks

    final void noBlock(ConfigNode n) {
        if (n.hasBlock()) {
            warn(n, "keyword '" + n.keyword + "' does not take a block - block ignored");
        }
    }

    final boolean needBlock(ConfigNode n) {
        if (!n.hasBlock()) {
            error(n, "'" + n.keyword + "' needs a block { ... }");
            return false;
        }
        return true;
    }

    /** A list block (virtual_ipaddress, track_script, ...): words after its keyword are reported. */
    final boolean valueBlock(ConfigNode n) {
        if (!needBlock(n)) {
            return false;
        }
        if (!n.args.isEmpty()) {
            warn(n, "Block " + n.keyword + " has extra parameters " + String.join(" ", n.args) + " ...");
        }
        return true;
    }

    /** One statement of a block. */
    interface Body {
        void accept(ConfigNode n) throws ConfigException;
    }

    /** Thrown to drop a statement keepalived ignores silently (already noted). */
    static final class SkipStatement extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SkipStatement() {
            super(null, null, false, false);
        }
    }

    /** Runs {@code body} for each statement of a block, collecting its errors. */
    final void each(ConfigNode block, Body body) {
        for (ConfigNode n : block.block()) {
            try {
                body.accept(n);
            } catch (SkipStatement e) {
                // noted where it was thrown
            } catch (ConfigException e) {
                cx.errors.add(e);
            } catch (RuntimeException e) {
                cx.errors.add(err(n, "invalid value (" + e.getClass().getSimpleName() + ")"));
            }
        }
    }

    // ------------------------------------------------------------ scripts

    /**
     * A script keyword that may be given once: the first one is kept (and recorded for the script-security check); a
     * repeat is warned about as keepalived does ("WHAT script already specified - ignoring CMD").
     */
    final Optional<NotifyScript> onceScript(ConfigNode n, Optional<NotifyScript> current, String what)
            throws ConfigException {
        NotifyScript sc = scriptArg(n, 0);
        if (current.isPresent()) {
            warn(n, what + " script already specified - ignoring " + sc.command());
            return current;
        }
        cx.scriptsUsed.add(new ParseContext.ScriptUse(sc, origin(n)));
        return Optional.of(sc);
    }

    /** SCRIPT [user [group]] starting at argument {@code i}. */
    final NotifyScript scriptArg(ConfigNode n, int i) throws ConfigException {
        String cmd = arg(n, i);
        if (cmd.isBlank()) {
            note(n, "empty script - ignored");
            throw new SkipStatement();
        }
        Optional<String> user = n.args.size() > i + 1 ? Optional.of(n.args.get(i + 1)) : Optional.empty();
        Optional<String> group = n.args.size() > i + 2 ? Optional.of(n.args.get(i + 2)) : Optional.empty();
        extraArgs(n, i + 3);
        return new NotifyScript(cmd, ScriptCommand.split(cmd), user, group);
    }
}
