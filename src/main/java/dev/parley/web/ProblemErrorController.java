package dev.parley.web;

import java.util.List;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reach a controller (the container refusing a request, a failure inside
 * a filter) are answered as problem documents too, instead of an HTML error page.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<Problem> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer value ? value : 500;
        ErrorCode errorCode = codeFor(code);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String detail = detailFor(errorCode);
        Problem problem = Problem.of(errorCode, detail, uri == null ? request.getRequestURI() : uri.toString(), List.of());
        return ResponseEntity.status(errorCode.status())
                .contentType(org.springframework.http.MediaType.parseMediaType(Problem.MEDIA_TYPE))
                .body(problem);
    }

    static ErrorCode codeFor(int code) {
        return switch (code) {
            case 400 -> ErrorCode.BAD_REQUEST;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> code >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
    }

    static String detailFor(ErrorCode errorCode) {
        return errorCode == ErrorCode.INTERNAL_ERROR ? "an unexpected error occurred"
                : HttpStatus.valueOf(errorCode.status().value()).getReasonPhrase();
    }
}
