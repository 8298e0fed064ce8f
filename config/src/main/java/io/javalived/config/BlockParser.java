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

    /** A keyword the parser accepts and does not use: the catalogue's notice was given (see {@link #catalogued}). */
    final void ignored(ConfigNode n) {
        if (!KeywordCatalog.isKnownKeyword(n.keyword)) {
            note(n, "keyword '" + n.keyword + "' is not used by javalived - ignored");
        }
    }

    /** The statement as the parser should read it after the catalogue's rules; null: not to be read. */
    final ConfigNode catalogued(String path, ConfigNode n) throws ConfigException {
        KeywordCatalog.Entry e = KeywordCatalog.lookup(path, n.keyword).orElse(null);
        if (e == null) {
            return n; // not keepalived's: the parser reports it as keepalived does
        }
        switch (e.status()) {
            case REFUSED -> {
                error(n, e.message());
                return null;
            }
            case NOTICE -> {
                // script_user root: scripts run as root either way, nothing differs
                if (!(n.keyword.equals("script_user") && n.args.size() == 1 && n.args.get(0).equals("root"))) {
                    cx.warnings.add(new ConfigWarning(n.file, n.line, n.keyword, e.message(), e.keepalivedFails()));
                }
            }
            case DEPRECATED_ALIAS -> {
                cx.warnings.add(new ConfigWarning(n.file, n.line, n.keyword, e.message(), e.keepalivedFails()));
                if (e.alias().equals("!")) {
                    return null;
                }
                if (!e.alias().isEmpty()) {
                    ConfigNode renamed = new ConfigNode(e.alias(), n.args, n.file, n.line);
                    renamed.children = n.children;
                    renamed.raw = n.raw;
                    return catalogued(path, renamed);
                }
            }
            default -> {
                // implemented, extension: the parser reads it
            }
        }
        if (e.script() && e.status() == KeywordCatalog.Status.NOTICE && !e.keyword().contains("fifo")) {
            // not run, but keepalived checks it as a script (script security)
            cx.scriptsUsed.add(new ParseContext.ScriptUse(scriptArg(n, e.words().equals("script")), origin(n)));
        }
        int max = e.maxArgs();
        if (max >= 0 && !n.hasBlock() && n.args.size() > max) {
            List<String> applied = new ArrayList<>();
            applied.add(n.keyword);
            applied.addAll(n.args.subList(0, max));
            ignoredWords(n, applied, n.args.subList(max, n.args.size()));
            return n.firstArgs(max);
        }
        return n;
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
        each(block, null, body);
    }

    /**
     * Runs {@code body} for each statement of the keyword block {@code path} (keepalived's block path, see
     * {@link KeywordCatalog}), applying the catalogue first: a refused keyword is an error and not read; a notice is
     * reported; a deprecated alias gets keepalived's message and is read as the keyword it stands for; words after
     * the ones keepalived's handler reads are reported and not passed on. Errors are collected.
     */
    final void each(ConfigNode block, String path, Body body) {
        for (ConfigNode n : block.block()) {
            try {
                if (path != null) {
                    n = catalogued(path, n);
                    if (n == null) {
                        continue;
                    }
                }
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
        NotifyScript sc = scriptArg(n, true);
        if (current.isPresent()) {
            warn(n, what + " script already specified - ignoring " + sc.command());
            return current;
        }
        cx.scriptsUsed.add(new ParseContext.ScriptUse(sc, origin(n)));
        return Optional.of(sc);
    }

    /**
     * A script statement as keepalived reads it: the whole line again with quotes and escapes honoured (see
     * {@link ScriptCommand}); word 1 is the command, then (if {@code takesUser}: notify scripts) user and group.
     * Words keepalived does not read are reported as ignored; a line keepalived cannot parse is ignored, as it does.
     */
    final NotifyScript scriptArg(ConfigNode n, boolean takesUser) throws ConfigException {
        List<String> words;
        if (n.raw != null) {
            try {
                words = ScriptCommand.words(n.raw);
            } catch (ScriptCommand.Unparsable e) {
                note(n, "Unable to parse script '" + n.raw + "' (" + e.getMessage() + ") - ignoring");
                throw new SkipStatement();
            }
        } else {
            words = words(n);
        }
        if (words.size() < 2) {
            throw err(n, "missing parameter");
        }
        String cmd = words.get(1);
        if (cmd.isBlank()) {
            note(n, "empty script - ignored");
            throw new SkipStatement();
        }
        int read = takesUser ? 4 : 2;
        Optional<String> user = takesUser && words.size() > 2 ? Optional.of(words.get(2)) : Optional.empty();
        Optional<String> group = takesUser && words.size() > 3 ? Optional.of(words.get(3)) : Optional.empty();
        if (words.size() > read) {
            ignoredWords(n, words.subList(0, read), words.subList(read, words.size()));
        }
        List<String> argv = ScriptCommand.split(cmd);
        if (argv == null || argv.isEmpty()) {
            note(n, "Unable to parse script '" + cmd + "' - ignoring");
            throw new SkipStatement();
        }
        return new NotifyScript(cmd, argv, user, group);
    }

    /**
     * keepalived's handler for a keyword reads only its own words: a line such as {@code connect_timeout 1 retry 1}
     * sets connect_timeout and nothing else. Reported (keepalived says nothing) with what is applied.
     */
    final void ignoredWords(ConfigNode n, List<String> applied, List<String> ignored) {
        String what = KeywordCatalog.isKnownKeyword(ignored.get(0))
                ? " ('" + ignored.get(0) + "' is not applied: keepalived applies one keyword per line - put it on a line of its own)"
                : "";
        note(n, "'" + String.join(" ", ignored) + "' after '" + String.join(" ", applied)
                + "' is ignored, as keepalived ignores it" + what);
    }
}
