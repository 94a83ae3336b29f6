package io.liteboxd.api.prepull;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** The JSON of the pre-pull routes (spec §8.2). */
final class PrepullViews {

    private PrepullViews() {}

    @Serdeable
    record Request(@Nullable String image, @Nullable Integer timeout) {}

    @Serdeable
    record Progress(int ready, int total) {}

    @Serdeable
    record Response(String id, String image, String status, Progress progress,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String template,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String error,
                    Instant startedAt,
                    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant completedAt) {

        static Response of(Prepull p) {
            return new Response(p.id(), p.image(), p.status(),
                    new Progress(p.readyNodes() == null ? 0 : p.readyNodes(), p.totalNodes() == null ? 0 : p.totalNodes()),
                    p.template(), p.error(), p.startedAt(), p.completedAt());
        }
    }

    @Serdeable
    record ResponseList(List<Response> items) {}
}
