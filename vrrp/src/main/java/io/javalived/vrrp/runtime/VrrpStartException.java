package io.javalived.vrrp.runtime;

/** A VRRP instance could not be started: the message says which instance, where it is defined and what to do. */
public final class VrrpStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public VrrpStartException(String message) {
        super(message);
    }
}
