package io.javalived.config.model;

import java.util.Optional;

/** {@code track_file NAME { file PATH; weight N [reverse]; init_file [VALUE] [overwrite] }}. */
public record TrackFile(String name, String file, int weight, boolean weightReverse,
                        Optional<Long> initValue, boolean initOverwrite, Origin origin) {}
