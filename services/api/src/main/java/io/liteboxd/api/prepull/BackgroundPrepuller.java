package io.liteboxd.api.prepull;

import io.liteboxd.api.template.ImagePrepuller;
import io.liteboxd.api.template.TemplateException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Template-triggered pre-pulls: started on a virtual thread; a refusal (e.g. already running) is only logged. */
@Singleton
@Requires(beans = PrepullService.class)
class BackgroundPrepuller implements ImagePrepuller {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundPrepuller.class);

    private final PrepullService service;

    BackgroundPrepuller(PrepullService service) {
        this.service = service;
    }

    @Override
    public void prepullInBackground(String image, @Nullable String template) {
        Thread.ofVirtual().name("prepull-" + image).start(() -> {
            try {
                service.start(image, template, null);
            } catch (TemplateException | IllegalStateException e) {
                LOG.info("pre-pull of {} not started: {}", image, e.getMessage());
            }
        });
    }
}
