package dev.parley.web;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionException;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where failures become answers: every exception a controller, the framework
 * or the database can raise maps to a problem document with a stable {@code code}. Client
 * mistakes are 4xx naming the field; an outage is 503; only a defect is 500, and its
 * details stay in the log.
 */
@RestControllerAdvice
class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Problem> api(ApiException e, HttpServletRequest request) {
        ResponseEntity<Problem> answer = answer(e.errorCode(), e.getMessage(), e.errors(), request);
        if (e.headers().isEmpty()) {
            return answer;
        }
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(answer.getHeaders());
        e.headers().forEach(headers::set);
        return ResponseEntity.status(answer.getStatusCode()).headers(headers).body(answer.getBody());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Problem> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RequestSizeFilter.BodyTooLargeException) {
                return answer(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than this server accepts",
                        List.of(), request);
            }
        }
        if (cause instanceof ApiException api) {
            return api(api, request);
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = JsonFields.path(unknown);
            return answer(ErrorCode.INVALID_FIELD, "unknown field " + field,
                    List.of(new FieldMessage(field, "is not a known field")), request);
        }
        if (cause instanceof InvalidFormatException invalid && invalid.getTargetType() == String.class) {
            // well-formed JSON text that no database can keep faithfully (NUL, a lone surrogate): a broken rule
            String field = JsonFields.path(invalid);
            return answer(ErrorCode.VALIDATION_FAILED, field + ": " + invalid.getOriginalMessage(),
                    List.of(new FieldMessage(field, invalid.getOriginalMessage())), request);
        }
        if (cause instanceof InvalidFormatException invalid) {
            String field = JsonFields.path(invalid);
            String message = invalid.getTargetType() != null && invalid.getTargetType().isEnum()
                    ? "must be one of " + JsonFields.enumValues(invalid.getTargetType())
                    : "is not a valid " + JsonFields.typeName(invalid.getTargetType());
            return answer(ErrorCode.INVALID_FIELD, field + ": " + message, List.of(new FieldMessage(field, message)),
                    request);
        }
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = JsonFields.path(mismatch);
            String message = "must be " + JsonFields.typeName(mismatch.getTargetType());
            return answer(ErrorCode.INVALID_FIELD, field + ": " + message, List.of(new FieldMessage(field, message)),
                    request);
        }
        if (cause instanceof MismatchedInputException mismatch) {
            // the body itself has the wrong shape (an array, a string where an object belongs)
            String message = "must be a JSON " + JsonFields.typeName(mismatch.getTargetType());
            return answer(ErrorCode.MALFORMED_JSON, "the body " + message, List.of(new FieldMessage("body", message)),
                    request);
        }
        if (cause instanceof DatabindException bind && !bind.getPath().isEmpty()) {
            String field = JsonFields.path(bind);
            String message = bind.getOriginalMessage() == null ? "is invalid" : JsonFields.firstLine(bind.getOriginalMessage());
            return answer(ErrorCode.INVALID_FIELD, field + ": " + message, List.of(new FieldMessage(field, message)),
                    request);
        }
        if (cause instanceof InputCoercionException coercion) {
            // a well-formed number too large for its field: the parser refuses it before binding
            String field = JsonFields.path(coercion);
            Class<?> type = coercion.getTargetType();
            String message = type == int.class || type == Integer.class
                    ? "is out of range: must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    : "is out of range: must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
            return answer(ErrorCode.INVALID_FIELD, field + ": " + message, List.of(new FieldMessage(field, message)),
                    request);
        }
        if (cause instanceof StreamReadException || cause instanceof JacksonException) {
            String message = JsonFields.firstLine(((JacksonException) cause).getOriginalMessage());
            return answer(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + message, List.of(), request);
        }
        return answer(ErrorCode.MALFORMED_JSON, "the request body is missing or not readable", List.of(), request);
    }

    @ExceptionHandler(BindException.class)
    ResponseEntity<Problem> invalid(BindException e, HttpServletRequest request) {
        List<FieldMessage> errors = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            errors.add(new FieldMessage(JsonFields.snakeCase(error.getField()), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(error ->
                errors.add(new FieldMessage(error.getObjectName(), error.getDefaultMessage())));
        return answer(ErrorCode.VALIDATION_FAILED, summary(errors), errors, request);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<Problem> invalidParameters(HandlerMethodValidationException e, HttpServletRequest request) {
        List<FieldMessage> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(error ->
                    errors.add(new FieldMessage(JsonFields.snakeCase(name), error.getDefaultMessage())));
        });
        return answer(ErrorCode.VALIDATION_FAILED, summary(errors), errors, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Problem> violated(ConstraintViolationException e, HttpServletRequest request) {
        List<FieldMessage> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldMessage(JsonFields.snakeCase(lastNode(v.getPropertyPath().toString())), v.getMessage()))
                .toList();
        return answer(ErrorCode.VALIDATION_FAILED, summary(errors), errors, request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Problem> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String field = JsonFields.snakeCase(e.getName());
        String message = e.getRequiredType() != null && e.getRequiredType().isEnum()
                ? "must be one of " + JsonFields.enumValues(e.getRequiredType())
                : "is not a valid " + JsonFields.typeName(e.getRequiredType());
        return answer(ErrorCode.INVALID_PARAMETER, field + ": " + message, List.of(new FieldMessage(field, message)),
                request);
    }

    /** Tomcat refuses a query parameter whose percent-encoding is not valid UTF-8. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<Problem> undecodableParameter(Exception e, HttpServletRequest request) {
        return answer(ErrorCode.BAD_REQUEST, "a query parameter is not valid percent-encoded UTF-8", List.of(), request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Problem> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return missing(e.getParameterName(), request);
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<Problem> missingPart(MissingServletRequestPartException e, HttpServletRequest request) {
        return missing(e.getRequestPartName(), request);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Problem> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return missing(e.getHeaderName(), request);
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<Problem> noRoute(Exception e, HttpServletRequest request) {
        return answer(ErrorCode.NOT_FOUND, "no resource at " + request.getRequestURI(), List.of(), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Problem> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        ResponseEntity<Problem> answer = answer(ErrorCode.METHOD_NOT_ALLOWED,
                e.getMethod() + " is not allowed here", List.of(), request);
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(answer.getHeaders());
        if (e.getSupportedHttpMethods() != null) {
            headers.setAllow(e.getSupportedHttpMethods());
        }
        return new ResponseEntity<>(answer.getBody(), headers, answer.getStatusCode());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Problem> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        String supported = e.getSupportedMediaTypes().stream().map(MediaType::toString).collect(Collectors.joining(", "));
        return answer(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "content type " + e.getContentType() + " is not supported here; use " + supported, List.of(), request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Problem> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return answer(ErrorCode.NOT_ACCEPTABLE, "this resource is served as application/json", List.of(), request);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Problem> tooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return answer(ErrorCode.PAYLOAD_TOO_LARGE, "the upload is larger than this server accepts", List.of(), request);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Problem> multipart(MultipartException e, HttpServletRequest request) {
        return answer(ErrorCode.BAD_REQUEST, "the multipart body could not be read", List.of(), request);
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class,
            QueryTimeoutException.class, PessimisticLockingFailureException.class, TransientDataAccessException.class})
    ResponseEntity<Problem> unavailable(Exception e, HttpServletRequest request) {
        log.warn("database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        ResponseEntity<Problem> answer = answer(ErrorCode.SERVICE_UNAVAILABLE,
                "the database is not reachable; try again shortly", List.of(), request);
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "5").body(answer.getBody());
    }

    /** A transaction that could not begin or roll back because the connection is gone is an outage too. */
    @ExceptionHandler(TransactionException.class)
    ResponseEntity<Problem> transaction(TransactionException e, HttpServletRequest request) {
        return OutageFilter.isOutage(e) ? unavailable(e, request) : unexpected(e, request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Problem> integrity(DataIntegrityViolationException e, HttpServletRequest request) {
        // Services check the rules first; reaching here means a concurrent write won the race.
        log.info("integrity violation on {} {}: {}", request.getMethod(), request.getRequestURI(),
                JsonFields.firstLine(e.getMostSpecificCause().getMessage()));
        return answer(ErrorCode.CONFLICT, "the change conflicts with the current state; reload and try again",
                List.of(), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Problem> unexpected(Exception e, HttpServletRequest request) {
        if (OutageFilter.isOutage(e)) { // e.g. an uncategorized SQL error whose SQLState says the connection is gone
            return unavailable(e, request);
        }
        log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(ErrorCode.INTERNAL_ERROR, "an unexpected error occurred", List.of(), request);
    }

    private ResponseEntity<Problem> missing(String name, HttpServletRequest request) {
        String field = JsonFields.snakeCase(name);
        return answer(ErrorCode.INVALID_PARAMETER, field + ": is required", List.of(new FieldMessage(field, "is required")),
                request);
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String summary(List<FieldMessage> errors) {
        return errors.isEmpty() ? "the request is invalid"
                : errors.stream().map(error -> error.field() + ": " + error.message()).collect(Collectors.joining("; "));
    }

    static ResponseEntity<Problem> answer(ErrorCode code, String detail, List<FieldMessage> errors,
                                          HttpServletRequest request) {
        return ResponseEntity.status(code.status())
                .contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(Problem.of(code, detail, request.getRequestURI(), errors));
    }
}
