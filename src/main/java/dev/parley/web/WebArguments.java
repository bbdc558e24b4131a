package dev.parley.web;

import java.util.List;
import java.util.Optional;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Resolves the two parameters nearly every route takes: the {@link Caller} and a {@link PageRequest}. */
final class WebArguments {

    private WebArguments() {
    }

    static List<HandlerMethodArgumentResolver> resolvers() {
        return List.of(new CallerResolver(), new PageRequestResolver());
    }

    /** The caller of an authenticated route; security has already refused anonymous ones. */
    static final class CallerResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == Caller.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
                                      NativeWebRequest request, WebDataBinderFactory binders) {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
                return caller;
            }
            throw new ApiException(ErrorCode.UNAUTHORIZED, "an access token is required");
        }
    }

    static final class PageRequestResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == PageRequest.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
                                      NativeWebRequest request, WebDataBinderFactory binders) {
            return new PageRequest(limit(request.getParameter("limit")), after(request.getParameter("after")));
        }

        private static int limit(String value) {
            if (value == null || value.isBlank()) {
                return PageRequest.DEFAULT_LIMIT;
            }
            try {
                int limit = Integer.parseInt(value.trim());
                if (limit >= 1 && limit <= PageRequest.MAX_LIMIT) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // answered below, like an out-of-range number
            }
            throw new BadRequestException(ErrorCode.INVALID_PARAMETER, "limit",
                    "must be an integer from 1 to " + PageRequest.MAX_LIMIT);
        }

        private static Optional<Cursor> after(String value) {
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Cursor.decode(value));
        }
    }
}
