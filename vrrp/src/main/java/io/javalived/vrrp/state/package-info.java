/**
 * The VRRP protocol state machine, pure: no threads, no I/O, time passed in as nanoseconds with every call.
 *
 * <h2>Driving one instance</h2>
 * <pre>{@code
 * VrrpStateMachine sm = new VrrpStateMachine(VrrpSettings.from(vrrpInstance, primaryAddress));
 * perform(sm.start(System.nanoTime()));
 * loop:
 *   wait until sm.nextDeadlineNanos() or a packet / tracker event (NEVER = Long.MAX_VALUE: no timer)
 *   now = System.nanoTime();
 *   perform(sm.onTimer(now));                                    // adverts, master-down, GARP bursts
 *   perform(sm.onAdvert(now, PeerAdvert.of(acceptedAdvert)));    // only adverts VrrpValidator accepted
 *   perform(sm.setEffectivePriority(now, base + weights));        // track_script / track_interface weights
 *   perform(sm.setFault(now, anyWeightZeroTrackerDown));          // FAULT on / off
 * on SIGTERM: perform(sm.shutdown(now));                          // priority 0 + remove VIPs when MASTER
 * }</pre>
 * {@code perform} executes the {@link io.javalived.vrrp.state.VrrpAction}s in list order:
 * {@code SendAdvert(priority)} (build the packet with the instance's own advert_int and VIPs),
 * {@code AddVirtualIps}, {@code RemoveVirtualIps}, {@code SendGratuitous(repeat, cause)} (the machine schedules
 * garp_master_delay / garp_master_refresh / garp_lower_prio_delay bursts itself; the driver only spaces one burst
 * by vrrp_garp_interval), {@code StateChanged(from, to, reason, logMessage)} (log {@code logMessage} at INFO;
 * run notify scripts after performing the whole list, so that notify_master sees the VIPs), {@code Log(level,
 * message)}, {@code MasterReceivedLowerPriority} (notify_master_rx_lower_pri), {@code PriorityChanged}.
 * {@link io.javalived.vrrp.state.CounterUpdate#apply} updates the instance's
 * {@link io.javalived.vrrp.packet.VrrpCounters} from the actions.
 *
 * <h2>Sync groups</h2>
 * Build a {@link io.javalived.vrrp.state.SyncGroupCoordinator} over the members' machines, start them with
 * {@code group.start(now)} and route every input of every member through
 * {@code group.dispatch(now, member, m -> m.onAdvert(now, adv))}; perform the returned per-member action lists.
 *
 * <h2>Log lines</h2>
 * keepalived 2.2.7's words after the prefix {@code VRRP_Instance(VI_1)} (or keepalived 2's {@code (VI_1)}, see
 * {@link io.javalived.vrrp.state.LogStyle}): {@code Entering MASTER STATE}, {@code Entering BACKUP STATE},
 * {@code Entering BACKUP STATE (init)}, {@code Entering FAULT STATE}, {@code Master received advert from X with
 * higher priority P, ours Q}, {@code Received advert from X with lower priority P, ours Q, forcing new election},
 * {@code received lower priority (P) advert from X - discarding}, {@code Changing effective priority from A to B};
 * sync groups: {@code VRRP_Group(G) Syncing instances to MASTER|BACKUP|FAULT state}. javalived's restart path
 * ({@link io.javalived.vrrp.state.VrrpStateMachine#keepVirtualIpsAtStart}): {@code Found its VIPs set at start -
 * keeping them while listening for a master for 3.414062 s}, {@code Received advert from X with higher priority P,
 * ours Q - releasing its VIPs}.
 */
package io.javalived.vrrp.state;
