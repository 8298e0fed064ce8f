package io.javalived.config.model;

import java.util.Optional;

/**
 * An entry of track_script. {@code weightOverride}/{@code reverseOverride} are what was written on the entry;
 * {@link #weight()} and {@link #reverse()} are the effective values (the entry's, else the vrrp_script's).
 */
public record TrackedScript(String name, Optional<Integer> weightOverride, Optional<Boolean> reverseOverride,
                            int weight, boolean reverse) {}
