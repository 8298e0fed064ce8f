package io.javalived.vrrp.notify;

import io.javalived.config.model.NotifyScript;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs the notify scripts of VRRP instances and sync groups the way keepalived 2.2.7 does (vrrp_notify.c): each
 * script is started the moment its state change happens, in its own process group, and nothing waits for it, so a
 * hanging script delays no later notification of any instance; like keepalived's children, the scripts then run
 * concurrently, in no guaranteed order. The state's own script (notify_master/backup/fault/stop,
 * notify_master_rx_lower_pri) is asked for before the generic {@code notify} script, which gets keepalived's four
 * arguments {@code INSTANCE|GROUP NAME STATE PRIORITY}. Only the STOP scripts run on shutdown have a limit: 1 s
 * (keepalived's TIMER_HZ), after which their whole process group is killed; the others run as long as they like.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp.notify");
    /** keepalived gives the scripts of a STOP one second ({@code system_call_script(..., TIMER_HZ, ...)}). */
    public static final Duration STOP_LIMIT = Duration.ofSeconds(1);

    /** What was notified: an instance or a sync group. */
    public enum Kind { INSTANCE, GROUP }

    private final ScriptRuns runs;
    private volatile NotifyFifos fifos = NotifyFifos.NONE;
    private volatile SmtpAlerter smtp = SmtpAlerter.NONE;

    public Notifier() {
        this(ScriptRuns.processes("vrrp-notify", LOG));
    }

    public Notifier(ScriptRuns runs) {
        this.runs = runs;
    }

    /** The FIFOs that get a line for every notification (notify_fifo, vrrp_notify_fifo). */
    public void fifos(NotifyFifos fifos) {
        this.fifos = fifos;
    }

    /** Where smtp_alert mails go. */
    public void smtp(SmtpAlerter smtp) {
        this.smtp = smtp;
    }

    /** smtp_alert of an instance or a sync group: keepalived's mail for the state (sent in the background). */
    public void mail(Kind kind, String name, String state) {
        if (kind == Kind.GROUP) {
            smtp.group(name, state);
        } else {
            smtp.instance(name, state);
        }
    }

    /** notify_priority_changes: a MASTER_PRIORITY / BACKUP_PRIORITY line on the FIFOs (keepalived runs no script). */
    public void priorityChanged(String name, boolean master, int priority) {
        fifos.vrrp(FifoLines.priority(name, master, priority));
    }

    /**
     * Starts the notifications of a state change: the state-specific script (if any), then {@code notify} with the
     * four arguments. Returns at once.
     */
    public void stateChanged(Kind kind, String name, String state, int priority, Optional<NotifyScript> specific,
                             Optional<NotifyScript> any) {
        fifos.vrrp(kind == Kind.GROUP ? FifoLines.group(name, state) : FifoLines.instance(name, state, priority));
        boolean stop = state.equals("STOP");
        // keepalived: an instance's notify_stop and the generic notify of any STOP are limited; a group's
        // notify_stop is not (send_group_notifies uses notify_exec).
        specific.ifPresent(s -> start(s, List.of(), "notify_" + state.toLowerCase(Locale.ROOT), kind, name,
                stop && kind == Kind.INSTANCE));
        any.ifPresent(s -> start(s, List.of(kind.name(), name, state, Integer.toString(priority)), "notify", kind,
                name, stop));
    }

    private void start(NotifyScript script, List<String> args, String keyword, Kind kind, String name,
                       boolean limited) {
        List<String> cmd = ScriptCommand.build(script, Optional.empty(), Optional.empty(), args);
        String what = keyword + " script " + script.command() + " of " + label(kind) + "(" + name + ")";
        runs.run(what, cmd, limited ? Optional.of(STOP_LIMIT) : Optional.empty());
    }

    private static String label(Kind kind) {
        return kind == Kind.INSTANCE ? "VRRP_Instance" : "VRRP_Group";
    }

    /**
     * Waits up to {@code millis} for the notifications asked for so far to have started and for the STOP scripts to
     * end (or be killed at their limit): used at shutdown, as keepalived waits for them before it exits.
     */
    public void drain(long millis) {
        runs.drain(millis);
    }

    @Override
    public void close() {
        runs.close();
    }
}
