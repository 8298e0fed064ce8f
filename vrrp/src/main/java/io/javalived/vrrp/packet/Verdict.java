package io.javalived.vrrp.packet;

import java.util.List;

/**
 * Result of {@link VrrpValidator#validate}.
 *
 * @param accepted        true: hand the advert to the state machine
 * @param reason          why it was dropped (null when accepted)
 * @param message         log line for a drop, already prefixed with the instance ("(VI_1) ..."), null if accepted
 * @param countedReceived true when keepalived would count it in advert_rcvd (it passed the type, version, length,
 *                        auth and checksum checks — even if it is then dropped for its address list)
 * @param priorityZero    accepted with priority 0 (pri_zero_rcvd)
 */
public record Verdict(boolean accepted, DropReason reason, String message, boolean countedReceived,
                      boolean priorityZero) {

    static Verdict accept(boolean priorityZero) {
        return new Verdict(true, null, null, true, priorityZero);
    }

    static Verdict drop(DropReason reason, String message, boolean countedReceived) {
        return new Verdict(false, reason, message, countedReceived, false);
    }

    /** Lines to log: the drop message if any. */
    public List<String> logLines() {
        return message == null ? List.of() : List.of(message);
    }
}
