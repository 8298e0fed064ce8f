package io.javalived.config.model;

/** {@code authentication { auth_type PASS|AH; auth_pass SECRET }}; the password is truncated to 8 characters. */
public record Authentication(Type type, String password) {
    public enum Type { PASS, AH }

    @Override
    public String toString() {
        return "Authentication[" + type + ", password=***]";
    }
}
