package dev.parley.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.module.SimpleModule;

/**
 * The API's JSON and parameter conventions, set once for every route: strict parsing
 * (unknown fields, duplicate keys, type coercions and text a database cannot store are
 * client errors), timestamps as RFC 3339 UTC with milliseconds, enums in lower case.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    static final DateTimeFormatter RFC_3339_MILLIS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MILLI_OF_SECOND, 3, 3, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);
    /** Media types of bodies Parley does not speak, though a library may bring their converters. */
    private static final Pattern NOT_JSON = Pattern.compile("yaml|xml|cbor|smile|protobuf");

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.addAll(WebArguments.resolvers());
    }

    /**
     * JSON only, as the contract says: a YAML or XML reader on the classpath (a library's
     * dependency) would otherwise take bodies past every JSON rule here (field names, unknown
     * fields, ranges, null handling) and fail on {@code JsonNode} members with a 500.
     */
    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(converter ->
                converter.getSupportedMediaTypes().stream().anyMatch(type -> NOT_JSON.matcher(type.getSubtype()).find())));
    }

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverterFactory(new ApiEnumConverterFactory());
    }

    /** Requests Tomcat refuses itself are answered with problem documents too. */
    @Bean
    org.springframework.boot.web.server.WebServerFactoryCustomizer<org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory>
            problemReportValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    @Bean
    JsonMapperBuilderCustomizer parleyJson() {
        SimpleModule module = new SimpleModule("parley");
        module.addSerializer(Instant.class, new InstantSerializer());
        module.addDeserializer(String.class, new StorableStringDeserializer());
        module.addDeserializer(JsonNode.class, new AbsentWhenNullNodeDeserializer());
        module.setDeserializerModifier(new PatchRequests.Modifier());
        return builder -> builder
                .addModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // 1.5 for an integer field is a client mistake, not a value to truncate silently
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // "" for a UUID, an enum, a number or an object is a client mistake, not an absent value
                .withCoercionConfigDefaults(config -> config.setCoercion(CoercionInputShape.EmptyString,
                        CoercionAction.Fail));
    }

    static final class InstantSerializer extends ValueSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializationContext context) {
            generator.writeString(RFC_3339_MILLIS.format(value));
        }
    }

    /**
     * Strings as the databases can keep them: PostgreSQL refuses NUL, and a lone UTF-16
     * surrogate cannot be encoded at all, so both are refused here, naming the field.
     */
    static final class StorableStringDeserializer extends ValueDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (String) context.handleUnexpectedToken(String.class, parser);
            }
            String value = parser.getString();
            String problem = TextRules.unstorable(value);
            if (problem != null) {
                throw tools.jackson.databind.exc.InvalidFormatException.from(parser, problem, value, String.class);
            }
            return value;
        }
    }

    /**
     * A free-form member ({@code metadata}, {@code preferences}) sent as JSON {@code null} is
     * read as not given (Java {@code null}), the same as leaving it out, instead of a
     * {@code NullNode} that services would store into a NOT NULL column.
     */
    static final class AbsentWhenNullNodeDeserializer extends tools.jackson.databind.deser.jackson.JsonNodeDeserializer {
        @Override
        public JsonNode getNullValue(DeserializationContext context) {
            return null;
        }
    }

    /** Query parameters such as {@code ?role=viewer} read enums by their API spelling. */
    static final class ApiEnumConverterFactory implements ConverterFactory<String, Enum<?>> {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public <T extends Enum<?>> Converter<String, T> getConverter(Class<T> targetType) {
            return source -> {
                for (T constant : targetType.getEnumConstants()) {
                    String spelling = constant instanceof ApiEnum api ? api.apiValue() : constant.name();
                    if (spelling.equals(source.trim())) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException("unknown value " + source);
            };
        }
    }
}
