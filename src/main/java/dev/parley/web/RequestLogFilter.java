package dev.parley.web;

import java.io.IOException;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per request: method, path, status, duration and the caller's id, as
 * key=value pairs (or JSON with {@code logging.structured.format.console}). Never the query
 * string, headers or bodies, where tokens and passwords travel. Each request gets an
 * {@code X-Request-Id} (kept from the client when it sends a sane one) that is also in the MDC.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestLogFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger("dev.parley.requests");
    private static final String HEADER = "X-Request-Id";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = request.getHeader(HEADER);
        if (requestId == null || !requestId.matches("[A-Za-z0-9._-]{1,64}")) {
            requestId = UUID.randomUUID().toString();
        }
        response.setHeader(HEADER, requestId);
        MDC.put("request_id", requestId);
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long micros = (System.nanoTime() - start) / 1_000;
            Object caller = request.getAttribute(Caller.REQUEST_ATTRIBUTE);
            String user = caller instanceof Caller c ? c.userId().toString() : "-";
            if (log.isInfoEnabled()) {
                log.atInfo()
                        .addKeyValue("method", request.getMethod())
                        .addKeyValue("path", request.getRequestURI())
                        .addKeyValue("status", response.getStatus())
                        .addKeyValue("duration_ms", micros / 1000.0)
                        .addKeyValue("user_id", user)
                        .log("{} {} {} {}ms user={}", request.getMethod(), request.getRequestURI(),
                                response.getStatus(), micros / 1000.0, user);
            }
            MDC.remove("request_id");
        }
    }
}
