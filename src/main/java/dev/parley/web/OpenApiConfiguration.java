package dev.parley.web;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The served OpenAPI document describes the API as clients see it: bearer auth on every
 * route but the public ones, and the shared parameters ({@link Caller} comes from the token,
 * {@link PageRequest} is {@code limit} and {@code after}) instead of their Java types.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String BEARER = "bearer";
    private static final List<String> PUBLIC = List.of("/api/v1/auth/register", "/api/v1/auth/login",
            "/api/v1/auth/refresh", "/api/v1/health");

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI parleyOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Parley").version("v1")
                        .description("A self-hosted memory server for AI-assistant applications."))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OperationCustomizer sharedParameters() {
        return (operation, handler) -> {
            boolean paged = false;
            for (var parameter : handler.getMethodParameters()) {
                paged |= parameter.getParameterType() == PageRequest.class;
            }
            if (operation.getParameters() != null) {
                operation.getParameters().removeIf(p -> p.getSchema() != null && p.getSchema().get$ref() != null
                        && (p.getSchema().get$ref().endsWith("/Caller") || p.getSchema().get$ref().endsWith("/PageRequest")));
            }
            if (paged) {
                operation.addParametersItem(new Parameter().in("query").name("limit").required(false)
                        .description("page size, 1 to " + PageRequest.MAX_LIMIT)
                        .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)
                                .maximum(java.math.BigDecimal.valueOf(PageRequest.MAX_LIMIT))
                                ._default(PageRequest.DEFAULT_LIMIT)));
                operation.addParametersItem(new Parameter().in("query").name("after").required(false)
                        .description("the next_cursor of the previous page").schema(new StringSchema().maxLength(1024)));
            }
            return operation;
        };
    }

    /**
     * The schemas are introspected without the API's snake_case naming strategy: name their
     * properties (and required lists) as the JSON really spells them.
     */
    @Bean
    org.springdoc.core.customizers.OpenApiCustomizer snakeCaseProperties() {
        return openApi -> {
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                openApi.getComponents().getSchemas().values().forEach(OpenApiConfiguration::snakeCase);
            }
        };
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void snakeCase(io.swagger.v3.oas.models.media.Schema schema) {
        if (schema == null) {
            return;
        }
        if (schema.getProperties() != null) {
            java.util.Map<String, io.swagger.v3.oas.models.media.Schema> renamed = new java.util.LinkedHashMap<>();
            ((java.util.Map<String, io.swagger.v3.oas.models.media.Schema>) schema.getProperties()).forEach((name, property) -> {
                snakeCase(property);
                renamed.put(JsonFields.snakeCase(name), property);
            });
            schema.setProperties(renamed);
        }
        if (schema.getRequired() != null) {
            schema.setRequired(((List<String>) schema.getRequired()).stream().map(JsonFields::snakeCase).toList());
        }
        snakeCase(schema.getItems());
    }

    @Bean
    org.springdoc.core.customizers.OpenApiCustomizer publicRoutes() {
        return openApi -> openApi.getPaths().forEach((path, item) -> {
            if (PUBLIC.contains(path)) {
                item.readOperations().forEach(operation -> operation.setSecurity(List.of()));
            }
        });
    }
}
