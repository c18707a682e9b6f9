package io.github.accepted.openapi;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.DefinitionKey;
import com.github.victools.jsonschema.generator.naming.DefaultSchemaDefinitionNamingStrategy;
import com.github.victools.jsonschema.generator.naming.SchemaDefinitionNamingStrategy;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import io.github.accepted.Accepted;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generates each job type's input schema (JSON Schema 2020-12, OpenAPI 3.1's dialect) from its
 * handler's input class with victools' generator and its Jackson module, so that names, required
 * fields and descriptions follow the Jackson annotations the input is read with.
 */
final class InputSchemas {

    private final Map<String, JsonNode> references = new LinkedHashMap<>();
    private final ObjectNode definitions;

    /** Generates the schemas of {@code types}, sharing definitions of classes used by several. */
    InputSchemas(Accepted accepted, Iterable<String> types) {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(
                        SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
                .with(Option.PLAIN_DEFINITION_KEYS, Option.DEFINITIONS_FOR_ALL_OBJECTS)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        if (accepted.objectMapper().isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)) {
            config.with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT); // as the input is read
        }
        config.forTypesInGeneral()
                .withDefinitionNamingStrategy(new AvoidingContractNames())
                .withPropertySorter((unusedA, unusedB) -> 0); // declaration order, as a reader of the class expects
        SchemaBuilder builder = new SchemaGenerator(config.build()).buildMultipleSchemaDefinitions();
        for (String type : types) {
            Class<?> input = accepted.inputClass(type)
                    .orElseThrow(() -> new IllegalArgumentException("no handler for job type " + type));
            references.put(type, builder.createSchemaReference(input));
        }
        definitions = builder.collectDefinitions("components/schemas");
    }

    /** Each job type's schema: a reference into {@link #definitions()} for an object, else inline. */
    Map<String, JsonNode> byType() {
        return references;
    }

    /** The named schemas the references point to, for {@code components/schemas}. */
    ObjectNode definitions() {
        return definitions;
    }

    /** The default names, but never one of the contract's own schemas. */
    private static final class AvoidingContractNames implements SchemaDefinitionNamingStrategy {

        private final SchemaDefinitionNamingStrategy names = new DefaultSchemaDefinitionNamingStrategy();

        @Override
        public String getDefinitionNameForKey(DefinitionKey key, SchemaGenerationContext context) {
            String name = names.getDefinitionNameForKey(key, context);
            return ContractSchemas.RESERVED.contains(name) ? name + "Input" : name;
        }
    }
}
