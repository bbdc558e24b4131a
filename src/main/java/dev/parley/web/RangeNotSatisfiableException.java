package dev.parley.web;

import java.util.Map;

import org.springframework.http.HttpHeaders;

/** A {@code Range} that selects nothing of a representation of {@code length} bytes: 416. */
public class RangeNotSatisfiableException extends ApiException {

    private final long length;

    public RangeNotSatisfiableException(String detail, long length) {
        super(ErrorCode.RANGE_NOT_SATISFIABLE, detail);
        this.length = length;
    }

    @Override
    public Map<String, String> headers() {
        return Map.of(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
    }
}
