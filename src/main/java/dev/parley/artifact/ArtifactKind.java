package dev.parley.artifact;

import dev.parley.web.ApiEnum;

public enum ArtifactKind implements ApiEnum {
    CODE, DOCUMENT, IMAGE, AUDIO, VIDEO;

    /** Image, audio and video content is base64 text. */
    boolean binary() {
        return this == IMAGE || this == AUDIO || this == VIDEO;
    }
}
