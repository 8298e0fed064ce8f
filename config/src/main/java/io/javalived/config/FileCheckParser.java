package io.javalived.config;

import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.TrackFile;

/**
 * FILE_CHECK (keepalived's check_file.c): track_file (a track_file defined before), weight [reverse] (default: the
 * track_file's), dynamic; none of the shared connect or timer keywords.
 */
final class FileCheckParser extends CheckerParser {
    FileCheckParser(ParseContext cx) {
        super(cx, "FILE_CHECK");
    }

    @Override
    boolean connects() {
        return false;
    }

    @Override
    boolean timed() {
        return false;
    }

    @Override
    Draft draft(ConfigNode n) {
        return new FileDraft(n);
    }

    private final class FileDraft extends Draft {
        String trackFile;
        boolean trackFileMissing;
        Integer fileWeight;
        boolean fileReverse;
        boolean fileDynamic;

        FileDraft(ConfigNode n) {
            super(n);
        }

        @Override
        void keyword(ConfigNode s) throws ConfigException {
            switch (s.keyword) {
                case "track_file" -> {
                    trackFile = arg(s, 0);
                    if (!cx.trackFiles.containsKey(trackFile)) {
                        warn(s, "track_file " + trackFile + " not found (it must be defined before use)");
                        trackFileMissing = true;
                    }
                }
                case "weight" -> {
                    fileWeight = intArg(s, 0, -2147483647, 2147483647);
                    fileReverse = s.args.size() > 1 && s.args.get(1).equals("reverse");
                }
                default -> unknown(s);
            }
        }

        @Override
        CheckerConfig build(CheckerCommon common, Inherit eff, GlobalDefs g) throws ConfigException {
            if (trackFileMissing) {
                return null; // already warned about
            }
            if (trackFile == null) {
                throw err(node, "FILE_CHECK has no track_file");
            }
            TrackFile tf = cx.trackFiles.get(trackFile);
            if (tf == null) {
                throw err(node, "FILE_CHECK track_file " + trackFile + " is not defined");
            }
            return new CheckerConfig.FileCheck(common, trackFile, fileWeight != null ? fileWeight : tf.weight(),
                    fileWeight != null ? fileReverse : tf.weightReverse(), fileDynamic);
        }
    }
}
