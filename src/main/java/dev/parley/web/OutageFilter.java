package dev.parley.web;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A database outage seen outside a controller (authenticating the token, claiming an
 * idempotency key) is answered like one seen inside: 503 with {@code Retry-After}, not a 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class OutageFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(OutageFilter.class);

    private final ProblemWriter problems;

    OutageFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (!isOutage(e)) {
                throw e;
            }
            log.warn("database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            problems.write(request, response, ErrorCode.SERVICE_UNAVAILABLE,
                    "the database is not reachable; try again shortly");
        }
    }

    /**
     * Whether a failure means the database is not reachable. Besides Spring's own outage
     * types this looks through transaction failures: when the connection dies mid-transaction,
     * the rollback fails too and Spring throws a {@code TransactionSystemException} (the
     * original failure only in {@code getApplicationException()}), and a transaction that
     * cannot get a connection fails as {@code CannotCreateTransactionException}; neither is a
     * {@code DataAccessException}. SQLState class 08 (connection exception) and 57P
     * (operator intervention: admin shutdown, crash shutdown, cannot connect now) are outages,
     * and so is a commit or rollback that failed in JDBC (the outcome of a failed commit is
     * unknown: 503 tells the client to retry, with its {@code Idempotency-Key}).
     */
    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            // a commit or rollback the JDBC connection failed (Hikari: "Connection is closed"): it broke under us
            if (t instanceof TransactionSystemException && t.getCause() instanceof SQLException) {
                return true;
            }
            if (t instanceof TransactionSystemException failed && failed.getApplicationException() != null
                    && failed.getApplicationException() != e && isOutage(failed.getApplicationException())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
