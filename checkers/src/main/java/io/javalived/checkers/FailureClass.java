package io.javalived.checkers;

/** Why a check failed: a stable class a director or operator can act on; the text says the details. */
public enum FailureClass {
    /** The peer answered the connection attempt with RST / ICMP port unreachable. */
    CONNECTION_REFUSED,
    /** No answer to the connection attempt (or the echo request) within connect_timeout. */
    CONNECT_TIMEOUT,
    /** No route / network or host unreachable. */
    UNREACHABLE,
    /** Connected, but the peer did not finish answering within connect_timeout. */
    READ_TIMEOUT,
    /** Any other socket-level error (reset, local bind failure...). */
    IO_ERROR,
    /** TLS handshake or TLS record error. */
    TLS_HANDSHAKE,
    /** HTTP status code not in status_code. */
    HTTP_STATUS,
    /** MD5 digest of the body differs from digest. */
    HTTP_DIGEST,
    /** regex did not match (or matched with regex_no_match). */
    HTTP_REGEX,
    /** The HTTP reply could not be parsed. */
    HTTP_PROTOCOL,
    /** SMTP reply code was not 2xx. */
    SMTP_REPLY,
    /** DNS reply with an error rcode, or without an answer of the queried type. */
    DNS_ANSWER,
    /** UDP_CHECK: no reply although require_reply, or reply length out of bounds / payload mismatch. */
    UDP_REPLY,
    /** MISC_CHECK script exited with a failing status. */
    SCRIPT_EXIT,
    /** MISC_CHECK script did not finish within misc_timeout and was killed. */
    SCRIPT_TIMEOUT,
    /** MISC_CHECK script could not be started. */
    SCRIPT_ERROR,
    /** FILE_CHECK: the tracked file says down. */
    FILE_DOWN
}
