package dev.parley.web;

import java.io.IOException;

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

    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessException) {
                return true;
            }
        }
        return false;
    }
}
