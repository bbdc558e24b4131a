package dev.parley.web;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * Binds {@link PatchRequest} bodies: the body is read once as a tree, bound by the record's own
 * deserializer (same rules, same error paths), and the names of its {@code null} members are
 * handed to the result; a {@code null} for a member that cannot be cleared is refused (422).
 */
final class PatchRequests {

    private PatchRequests() {
    }

    /** Wraps the deserializer of every {@link PatchRequest} type. */
    static final class Modifier extends ValueDeserializerModifier {
        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                                                       BeanDescription.Supplier description,
                                                       ValueDeserializer<?> deserializer) {
            if (!PatchRequest.class.isAssignableFrom(description.getBeanClass())) {
                return deserializer;
            }
            Set<String> nullable = description.get().findProperties().stream()
                    .filter(p -> JsonNode.class.isAssignableFrom(p.getRawPrimaryType()) || clearable(p))
                    .map(BeanPropertyDefinition::getName)
                    .collect(Collectors.toUnmodifiableSet());
            return new NullsRecordingDeserializer(deserializer, nullable);
        }

        private static boolean clearable(BeanPropertyDefinition property) {
            return Stream.of(property.getConstructorParameter(), property.getField(), property.getGetter())
                    .anyMatch(member -> member != null && member.hasAnnotation(Clearable.class));
        }
    }

    static final class NullsRecordingDeserializer extends DelegatingDeserializer {

        /** The JSON names of the members that may be {@code null}. */
        private final Set<String> nullable;

        NullsRecordingDeserializer(ValueDeserializer<?> delegatee, Set<String> nullable) {
            super(delegatee);
            this.nullable = nullable;
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegatee) {
            return new NullsRecordingDeserializer(delegatee, nullable);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            JsonNode body = context.readTree(parser);
            Set<String> nulls = new LinkedHashSet<>();
            body.properties().forEach(member -> {
                if (member.getValue().isNull()) {
                    nulls.add(member.getKey());
                }
            });
            JsonParser tree = body.traverse(context);
            tree.nextToken();
            // not an object: the record's own deserializer says what is wrong with it
            Object bound = _delegatee.deserialize(tree, context);
            if (!(bound instanceof PatchRequest<?> request)) {
                return bound;
            }
            for (String member : nulls) {
                if (!nullable.contains(member)) {
                    throw new ValidationException(member, "must not be null (leave it out to keep it)");
                }
            }
            return request.withNulls(Set.copyOf(nulls));
        }
    }
}
