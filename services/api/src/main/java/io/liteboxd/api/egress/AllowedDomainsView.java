package io.liteboxd.api.egress;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The body of {@code GET/PUT /sandboxes/{id}/allowed-domains}: the names its egress proxy lets out. */
@Serdeable
public record AllowedDomainsView(@Nullable List<String> allowedDomains) {}
