package io.liteboxd.api.auth;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Optional;

/** {@code admin_users}. The H2 dialect's SQL (double quotes, LIMIT/OFFSET) is what SQLite speaks. */
@JdbcRepository(dialect = Dialect.H2)
public interface AdminUserRepository extends CrudRepository<AdminUser, String> {

    Optional<AdminUser> findByUsername(String username);
}
