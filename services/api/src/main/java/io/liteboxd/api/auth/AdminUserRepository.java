package io.liteboxd.api.auth;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Optional;

/**
 * {@code admin_users}. Every repository is compiled with the ANSI dialect: its generated SQL
 * (double-quoted names, no paging clauses in use) is what SQLite and Postgres both speak, where
 * the H2 dialect quotes with backticks, which Postgres refuses. The tests run every repository
 * on both databases. A generated key is read as the first column the driver returns: keep
 * identity columns first (db/postgres V1).
 */
@JdbcRepository(dialect = Dialect.ANSI)
public interface AdminUserRepository extends CrudRepository<AdminUser, String> {

    Optional<AdminUser> findByUsername(String username);
}
