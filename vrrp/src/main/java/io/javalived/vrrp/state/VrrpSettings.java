package io.javalived.vrrp.state;

import io.javalived.config.model.VrrpInstance;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What the state machine needs from one vrrp_instance. Times in nanoseconds.
 *
 * @param name                   instance name (VI_1)
 * @param version                2 or 3
 * @param basePriority           configured priority 1..255 (255 = address owner)
 * @param advertIntervalNanos    advert_int (v2: whole seconds; v3: centiseconds, 10 ms .. 40.95 s)
 * @param initialMaster          {@code state MASTER} configured
 * @param preempt                false for nopreempt
 * @param preemptDelayNanos      preempt_delay (0 = none)
 * @param primaryAddress         our source address in adverts (unicast_src_ip / mcast_src_ip / interface primary)
 *                               — compared with the sender's on equal priorities; may be null (then never higher)
 * @param downTimerAdverts       down_timer_adverts (3)
 * @param lowerPrioNoAdvert      lower_prio_no_advert: a master does not answer a lower-priority advert
 * @param higherPrioSendAdvert   higher_prio_send_advert: a master sends one advert before stepping down
 * @param garpMasterDelayNanos   garp_master_delay (0 = no second burst)
 * @param garpMasterRepeat       garp_master_repeat
 * @param garpMasterRefreshNanos garp_master_refresh (0 = off)
 * @param garpMasterRefreshRepeat garp_master_refresh_repeat
 * @param garpLowerPrioDelayNanos garp_lower_prio_delay (0 = no delayed burst)
 * @param garpLowerPrioRepeat    garp_lower_prio_repeat (0 = no GARP on lower-priority adverts)
 * @param logStyle               log prefix style
 */
public record VrrpSettings(String name, int version, int basePriority, long advertIntervalNanos,
                           boolean initialMaster, boolean preempt, long preemptDelayNanos,
                           InetAddress primaryAddress, int downTimerAdverts, boolean lowerPrioNoAdvert,
                           boolean higherPrioSendAdvert, long garpMasterDelayNanos, int garpMasterRepeat,
                           long garpMasterRefreshNanos, int garpMasterRefreshRepeat, long garpLowerPrioDelayNanos,
                           int garpLowerPrioRepeat, LogStyle logStyle) {

    public VrrpSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(logStyle, "logStyle");
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("VRRP version must be 2 or 3: " + version);
        }
        if (basePriority < 1 || basePriority > 255) {
            throw new IllegalArgumentException("priority must be 1..255: " + basePriority);
        }
        if (advertIntervalNanos <= 0) {
            throw new IllegalArgumentException("advert_int must be positive");
        }
        if (version == 3 && (advertIntervalNanos < 10_000_000L || advertIntervalNanos > 4095 * 10_000_000L)) {
            throw new IllegalArgumentException("VRRPv3 advert_int must be 0.01 .. 40.95 s");
        }
        if (preemptDelayNanos < 0 || garpMasterDelayNanos < 0 || garpMasterRefreshNanos < 0
                || garpLowerPrioDelayNanos < 0) {
            throw new IllegalArgumentException("negative delay");
        }
        if (downTimerAdverts < 1) {
            throw new IllegalArgumentException("down_timer_adverts must be >= 1");
        }
        if (garpMasterRepeat < 0 || garpMasterRefreshRepeat < 0 || garpLowerPrioRepeat < 0) {
            throw new IllegalArgumentException("negative repeat");
        }
    }

    public boolean addressOwner() {
        return basePriority == 255;
    }

    /** The advert interval as sent in our adverts: v2 seconds, v3 centiseconds. */
    public int advertIntervalField() {
        return (int) (version == 2 ? advertIntervalNanos / 1_000_000_000L : advertIntervalNanos / 10_000_000L);
    }

    /** Minimal settings with keepalived's defaults (for tests and simple drivers). */
    public static VrrpSettings of(String name, int version, int priority, long advertIntervalNanos,
                                  InetAddress primaryAddress) {
        return new VrrpSettings(name, version, priority, advertIntervalNanos, false, true, 0, primaryAddress, 3,
                false, false, 5_000_000_000L, 5, 0, 1, 5_000_000_000L, 5, LogStyle.VRRP_INSTANCE);
    }

    public VrrpSettings withInitialMaster(boolean v) {
        return new VrrpSettings(name, version, basePriority, advertIntervalNanos, v, preempt, preemptDelayNanos,
                primaryAddress, downTimerAdverts, lowerPrioNoAdvert, higherPrioSendAdvert, garpMasterDelayNanos,
                garpMasterRepeat, garpMasterRefreshNanos, garpMasterRefreshRepeat, garpLowerPrioDelayNanos,
                garpLowerPrioRepeat, logStyle);
    }

    public VrrpSettings withPreempt(boolean v, long delayNanos) {
        return new VrrpSettings(name, version, basePriority, advertIntervalNanos, initialMaster, v, delayNanos,
                primaryAddress, downTimerAdverts, lowerPrioNoAdvert, higherPrioSendAdvert, garpMasterDelayNanos,
                garpMasterRepeat, garpMasterRefreshNanos, garpMasterRefreshRepeat, garpLowerPrioDelayNanos,
                garpLowerPrioRepeat, logStyle);
    }

    public VrrpSettings withGarp(long masterDelayNanos, int masterRepeat, long refreshNanos, int refreshRepeat,
                                 long lowerPrioDelayNanos, int lowerPrioRepeat) {
        return new VrrpSettings(name, version, basePriority, advertIntervalNanos, initialMaster, preempt,
                preemptDelayNanos, primaryAddress, downTimerAdverts, lowerPrioNoAdvert, higherPrioSendAdvert,
                masterDelayNanos, masterRepeat, refreshNanos, refreshRepeat, lowerPrioDelayNanos, lowerPrioRepeat,
                logStyle);
    }

    public VrrpSettings withAdvertOptions(boolean lowerPrioNoAdvert, boolean higherPrioSendAdvert) {
        return new VrrpSettings(name, version, basePriority, advertIntervalNanos, initialMaster, preempt,
                preemptDelayNanos, primaryAddress, downTimerAdverts, lowerPrioNoAdvert, higherPrioSendAdvert,
                garpMasterDelayNanos, garpMasterRepeat, garpMasterRefreshNanos, garpMasterRefreshRepeat,
                garpLowerPrioDelayNanos, garpLowerPrioRepeat, logStyle);
    }

    public VrrpSettings withLogStyle(LogStyle style) {
        return new VrrpSettings(name, version, basePriority, advertIntervalNanos, initialMaster, preempt,
                preemptDelayNanos, primaryAddress, downTimerAdverts, lowerPrioNoAdvert, higherPrioSendAdvert,
                garpMasterDelayNanos, garpMasterRepeat, garpMasterRefreshNanos, garpMasterRefreshRepeat,
                garpLowerPrioDelayNanos, garpLowerPrioRepeat, style);
    }

    /**
     * From the config model. {@code primaryAddress}: the address our adverts carry as source (the driver resolves
     * unicast_src_ip / mcast_src_ip / the interface's primary address).
     */
    public static VrrpSettings from(VrrpInstance vi, InetAddress primaryAddress) {
        return new VrrpSettings(vi.name(), vi.version(), vi.priority(), nanos(vi.advertInterval()),
                vi.initialState() == VrrpInstance.State.MASTER, vi.preempt(), nanos(vi.preemptDelay()),
                primaryAddress, Math.max(1, vi.downTimerAdverts()), vi.lowerPrioNoAdvert(),
                vi.higherPrioSendAdvert(), nanos(vi.garpMasterDelay()), Math.max(0, vi.garpMasterRepeat()),
                nanos(vi.garpMasterRefresh()), Math.max(0, vi.garpMasterRefreshRepeat()),
                nanos(vi.garpLowerPrioDelay()), Math.max(0, vi.garpLowerPrioRepeat()), LogStyle.VRRP_INSTANCE);
    }

    private static long nanos(Duration d) {
        return d == null ? 0 : d.toNanos();
    }
}
