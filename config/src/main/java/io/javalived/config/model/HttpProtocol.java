package io.javalived.config.model;

import java.util.Optional;

/**
 * HTTP_GET / SSL_GET {@code http_protocol}, as keepalived 2.2.7's check_http.c accepts it: {@code 1.0} (the
 * default), {@code 1.0C} (also written {@code 1.0c}: HTTP/1.0 with {@code Connection: close}) and {@code 1.1}
 * (HTTP/1.1, also with {@code Connection: close}).
 */
public enum HttpProtocol {
    HTTP_1_0("1.0", 0, false),
    HTTP_1_0C("1.0C", 0, true),
    HTTP_1_1("1.1", 1, true);

    private final String text;
    private final int minorVersion;
    private final boolean connectionClose;

    HttpProtocol(String text, int minorVersion, boolean connectionClose) {
        this.text = text;
        this.minorVersion = minorVersion;
        this.connectionClose = connectionClose;
    }

    /** The value of a configuration's http_protocol; empty when keepalived rejects it. */
    public static Optional<HttpProtocol> of(String value) {
        return switch (value) {
            case "1.0" -> Optional.of(HTTP_1_0);
            case "1.0C", "1.0c" -> Optional.of(HTTP_1_0C);
            case "1.1" -> Optional.of(HTTP_1_1);
            default -> Optional.empty();
        };
    }

    /** keepalived's text form: {@code 1.0}, {@code 1.0C}, {@code 1.1}. */
    public String text() {
        return text;
    }

    /** The request line's {@code HTTP/1.x} minor version. */
    public int minorVersion() {
        return minorVersion;
    }

    /** Whether the request carries {@code Connection: close}. */
    public boolean connectionClose() {
        return connectionClose;
    }

    @Override
    public String toString() {
        return text;
    }
}
