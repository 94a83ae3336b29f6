package io.liteboxd.api.template;

import io.micronaut.core.annotation.Nullable;

/**
 * What templates need of pre-pull (implemented in the prepull package when the API has a
 * cluster): start pulling an image in the background, ignoring failures, as upstream's
 * {@code autoPrepull} and import {@code prepull=true} do.
 */
public interface ImagePrepuller {

    void prepullInBackground(String image, @Nullable String template);
}
