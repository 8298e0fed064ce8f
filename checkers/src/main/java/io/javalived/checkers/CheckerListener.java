package io.javalived.checkers;

import io.javalived.inet.RealServerKey;

/**
 * Receives real-server verdicts from the {@link CheckScheduler}. Called on the scheduler's single event thread, in
 * order; may block briefly (an IPVS netlink call) but not for long: checks keep running meanwhile, events queue.
 */
public interface CheckerListener {
    void onTransition(Transition t);

    /**
     * A checker reported a dynamic weight (MISC_CHECK misc_dynamic, FILE_CHECK with weight): the director sets the real
     * server's weight to it (keepalived: the configured weight is replaced). Called only when the value changes.
     */
    default void onWeight(RealServerKey realServer, String checker, int weight) {}

    /**
     * One checker of a real server went up or down without changing the real server's verdict (another of its
     * checkers still fails): keepalived still mails it unless no_checker_emails. {@code checker} is named as in
     * {@link Transition#checker()}; {@code reason} is the failure class for a down, null for an up.
     */
    default void onCheckerChange(RealServerKey realServer, String checker, boolean up, FailureClass reason) {}
}
