package io.liteboxd.api.storage;

import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;
import java.time.Instant;

/** Maps {@link Instant} entity fields to upstream's TEXT time columns ({@link TimeText}). */
@Singleton
public class InstantText implements AttributeConverter<Instant, String> {

    @Override
    public String convertToPersistedValue(Instant entityValue, ConversionContext context) {
        return entityValue == null ? null : TimeText.format(entityValue);
    }

    @Override
    public Instant convertToEntityValue(String persistedValue, ConversionContext context) {
        return persistedValue == null || persistedValue.isBlank() ? null : TimeText.parse(persistedValue);
    }
}
