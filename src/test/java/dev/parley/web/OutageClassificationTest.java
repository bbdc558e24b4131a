package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures are a database outage (503) and which stay defects or conflicts. The
 * transaction cases are the ones {@code DatabaseOutageTest} found answered with 500.
 */
class OutageClassificationTest {

    @Test
    void connectionFailuresAreOutages() {
        assertThat(OutageFilter.isOutage(new CannotGetJdbcConnectionException("no connection"))).isTrue();
        assertThat(OutageFilter.isOutage(new CannotCreateTransactionException("begin",
                new SQLTransientConnectionException("pool timed out")))).isTrue();
        assertThat(OutageFilter.isOutage(new IllegalStateException(new SQLException("terminating connection", "57P01"))))
                .isTrue();
        assertThat(OutageFilter.isOutage(new RuntimeException(new SQLException("I/O error", "08006")))).isTrue();
    }

    @Test
    void aRollbackOrCommitThatFailedInJdbcIsAnOutage() {
        assertThat(OutageFilter.isOutage(new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(OutageFilter.isOutage(new IllegalStateException("a bug"))).isFalse();
        assertThat(OutageFilter.isOutage(new DataIntegrityViolationException("duplicate key"))).isFalse();
        assertThat(OutageFilter.isOutage(new RuntimeException(new SQLException("syntax error", "42601")))).isFalse();
        assertThat(OutageFilter.isOutage(new TransactionSystemException("no transaction in progress"))).isFalse();
    }
}
