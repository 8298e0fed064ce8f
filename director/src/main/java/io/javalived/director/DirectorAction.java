package io.javalived.director;

import io.javalived.config.model.NotifyScript;

/** What the {@link VirtualServerManager} asks the daemon to do besides changing the IPVS table. */
public sealed interface DirectorAction {
    /** A log line, worded as keepalived 2.2.7 words it. */
    record Log(System.Logger.Level level, String message) implements DirectorAction {
        @Override
        public String toString() {
            return message;
        }
    }

    /** A line for notify_fifo / lvs_notify_fifo ({@code VS ... UP}, {@code RS ... DOWN}), in event order. */
    record FifoLine(String line) implements DirectorAction {
        @Override
        public String toString() {
            return "fifo " + line.strip();
        }
    }

    /**
     * An smtp_alert mail (keepalived's core/smtp.c), for a real server or virtual server whose smtp_alert is in force:
     * {@code subject} without the {@code [router_id] } prefix the sender adds ({@code Realserver [10.0.0.2]:tcp:80 of
     * virtual server [10.0.0.100]:tcp:80 - DOWN}, {@code Virtualserver [10.0.0.100]:tcp:80 - UP}), {@code body} one
     * line ({@code => TCP CHECK failed on service <=}).
     */
    record SmtpAlert(String subject, String body) implements DirectorAction {
        @Override
        public String toString() {
            return "mail " + subject + " / " + body;
        }
    }

    /**
     * Run a script: {@code kind} is the keyword that configured it (notify_up, notify_down, quorum_up, quorum_down),
     * {@code subject} says for what ("[10.0.0.2]:tcp:80 VS [10.0.0.100]:tcp:80" or the virtual server).
     */
    record RunScript(String kind, NotifyScript script, String subject) implements DirectorAction {
        @Override
        public String toString() {
            return kind + " " + script.command() + " (" + subject + ")";
        }
    }
}
