package io.javalived.config.model;

import java.time.Duration;
import java.util.List;

/**
 * A vrrp_track_process block (keepalived's vrrp_parser.c): the process looked for ({@code process NAME [PARAM...]}),
 * how its parameters are matched, the weight it gives and the number of matching processes that is "up".
 *
 * @param process        the name compared: the process's comm (at most 15 characters) or, with {@code fullCommand},
 *                       its argv[0]
 * @param params         the parameters after the name (given: param_match is exact unless set, full_command is on)
 * @param paramMatch     NONE (parameters not looked at), EXACT, PARTIAL (the listed parameters, then any),
 *                       INITIAL (as PARTIAL, the last listed one may be the start of a longer one)
 * @param quorum         minimum number of matching processes (default 1; 0 when quorum_max is 0)
 * @param quorumMax      maximum number (default unlimited, {@link Integer#MAX_VALUE})
 * @param forkDelay      delay before quorum gained by a fork counts (0 = at once)
 * @param terminateDelay delay before quorum lost by an exit counts (0 = at once)
 */
public record TrackProcess(String name, String process, List<String> params, ParamMatch paramMatch, int weight,
                           boolean reverse, int quorum, int quorumMax, Duration forkDelay, Duration terminateDelay,
                           boolean fullCommand, Origin origin) {
    public TrackProcess {
        params = List.copyOf(params);
    }

    /** The same block read at another place (a reload compares blocks without their file:line). */
    public TrackProcess withOrigin(Origin o) {
        return new TrackProcess(name, process, params, paramMatch, weight, reverse, quorum, quorumMax, forkDelay,
                terminateDelay, fullCommand, o);
    }

    /** param_match. */
    public enum ParamMatch { NONE, EXACT, PARTIAL, INITIAL }
}
