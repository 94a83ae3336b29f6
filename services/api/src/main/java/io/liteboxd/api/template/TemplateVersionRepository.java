package io.liteboxd.api.template;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.ANSI)
public interface TemplateVersionRepository extends CrudRepository<TemplateVersion, String> {

    Optional<TemplateVersion> findByTemplateIdAndVersion(String templateId, int version);

    List<TemplateVersion> findByTemplateIdOrderByVersionDesc(String templateId);
}
