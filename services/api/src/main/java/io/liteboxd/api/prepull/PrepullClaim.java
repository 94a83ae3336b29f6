package io.liteboxd.api.prepull;

import io.liteboxd.api.auth.Secrets;
import io.liteboxd.api.storage.TransactionLock;
import io.liteboxd.api.template.TemplateException;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * One active pre-pull per image: looking for an active one and writing the new row are one
 * transaction under {@link TransactionLock}, so two requests for an image (on one API replica or
 * two) cannot both start a pull. The loser gets upstream's 409.
 */
@Singleton
public class PrepullClaim {

    private final PrepullRepository prepulls;
    private final TransactionLock lock;

    PrepullClaim(PrepullRepository prepulls, TransactionLock lock) {
        this.prepulls = prepulls;
        this.lock = lock;
    }

    /** The new row, pending; {@code template} tags requests made for one ("" for none). */
    @Transactional
    public Prepull claim(String image, String template, Instant now) {
        lock.acquire(TransactionLock.Scope.PREPULLS);
        prepulls.findActive(image).ifPresent(running -> {
            throw new TemplateException(HttpStatus.CONFLICT, "PREPULL_IN_PROGRESS",
                    "prepull already in progress for image '" + image + "' (id: " + running.id() + ")");
        });
        return prepulls.save(new Prepull("pp-" + Secrets.randomHex(4), image,
                Secrets.sha256Hex(image).substring(0, 12), Prepull.PENDING, 0, 0, "", template, now, null));
    }
}
