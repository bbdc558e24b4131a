package dev.parley.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** mongoexport's Extended JSON, read the way the mongo-export source reads it. */
class ExtendedJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void typeWrappersBecomeThePlainValuesTheyStandFor() {
        JsonNode plain = ExtendedJson.normalise(JSON.readTree("""
                {"id": {"$oid": "670919a3e4b0a1b2c3d4e501"},
                 "big": {"$numberLong": "9007199254740993"},
                 "small": {"$numberInt": "-7"},
                 "ratio": {"$numberDouble": "0.1"},
                 "nan": {"$numberDouble": "NaN"},
                 "infinite": {"$numberDouble": "-Infinity"},
                 "money": {"$numberDecimal": "12345678901234567890.000000001"},
                 "canonical": {"$date": {"$numberLong": "-1000"}},
                 "relaxed": {"$date": "2025-10-11T12:24:35.123+02:00"},
                 "legacy": {"$date": 1760185475250},
                 "nested": [{"at": {"$date": "2025-10-11T12:24:35Z"}}, {"$numberInt": "3"}],
                 "notAWrapper": {"$oid": "x", "other": 1}}"""));
        assertThat(plain.get("id").asString()).isEqualTo("670919a3e4b0a1b2c3d4e501");
        assertThat(plain.get("big").isIntegralNumber()).isTrue();
        assertThat(plain.get("big").asLong()).isEqualTo(9007199254740993L);
        assertThat(plain.get("small").asInt()).isEqualTo(-7);
        assertThat(plain.get("ratio").asDouble()).isEqualTo(0.1);
        assertThat(plain.get("nan").asString()).as("JSON has no NaN").isEqualTo("NaN");
        assertThat(plain.get("infinite").asString()).isEqualTo("-Infinity");
        assertThat(plain.get("money").decimalValue()).isEqualByComparingTo("12345678901234567890.000000001");
        assertThat(plain.get("canonical").asString()).isEqualTo("1969-12-31T23:59:59Z");
        assertThat(plain.get("relaxed").asString()).isEqualTo("2025-10-11T10:24:35.123Z");
        assertThat(plain.get("legacy").asString()).isEqualTo("2025-10-11T12:24:35.250Z");
        assertThat(plain.get("nested").get(0).get("at").asString()).isEqualTo("2025-10-11T12:24:35Z");
        assertThat(plain.get("nested").get(1).asInt()).isEqualTo(3);
        assertThat(plain.get("notAWrapper").get("other").asInt()).isEqualTo(1);
        assertThat(ExtendedJson.objectIdTime("670919a3e4b0a1b2c3d4e501").toString()).isEqualTo("2024-10-11T12:27:15Z");
        assertThat(ExtendedJson.objectIdTime("user-456")).isNull();
    }

    @Test
    void aBadLineIsReportedWithItsNumberAndTheNextLinesAreRead() throws Exception {
        Path file = temp.resolve("messages.json");
        Files.writeString(file, "\uFEFF{\"_id\": 1}\n\n{\"_id\": 2} trailing\n[1, 2]\n{\"_id\": {\"$numberLong\": \"3\"}}\n",
                StandardCharsets.UTF_8);
        Problems problems = new Problems();
        List<String> read = new ArrayList<>();
        new ExtendedJson().read(file, "messages", problems, (doc, line) -> read.add(line + ":" + doc.get("_id")));
        assertThat(read).containsExactly("1:1", "5:3");
        List<String> examples = problems.byKind().get("bad_json").examples();
        assertThat(examples).hasSize(2);
        assertThat(examples.get(0)).startsWith("messages (messages.json) line 3: ");
        assertThat(examples.get(1)).isEqualTo(
                "messages (messages.json) line 4: not a document");
    }

    @Test
    void prettyOutputIsReadDocumentByDocumentWithTheLineEachStartsOn() throws Exception {
        Path file = temp.resolve("projects.json");
        Files.writeString(file, """
                {
                  "_id": {"$oid": "670919a3e4b0a1b2c3d4e501"},
                  "metadata": {
                    "description": "a gearbox"
                  }
                }
                {
                  "_id": {"$oid": "670919a3e4b0a1b2c3d4e502"}
                }
                {
                  "_id": oops
                }
                """, StandardCharsets.UTF_8);
        Problems problems = new Problems();
        List<String> read = new ArrayList<>();
        new ExtendedJson().read(file, "projects", problems, (doc, line) -> read.add(line + ":" + doc.get("_id").asString()));
        assertThat(read).containsExactly("1:670919a3e4b0a1b2c3d4e501", "7:670919a3e4b0a1b2c3d4e502");
        assertThat(problems.byKind().get("bad_json").examples()).singleElement().asString()
                .startsWith("projects (projects.json) line 11: ").endsWith("(the rest of this file was not read)");
    }

    @Test
    void anArrayIsReadElementByElementUntilItBreaks() throws Exception {
        Path file = temp.resolve("files.json");
        Files.writeString(file, """
                [
                  {"_id": {"$oid": "670919a3e4b0a1b2c3d4e701"}},
                  "not a document",
                  {"_id": {"$oid": "670919a3e4b0a1b2c3d4e702"}},
                  {"_id": oops},
                  {"_id": {"$oid": "670919a3e4b0a1b2c3d4e704"}}
                ]
                """, StandardCharsets.UTF_8);
        Problems problems = new Problems();
        List<String> read = new ArrayList<>();
        new ExtendedJson().read(file, "files", problems, (doc, line) -> read.add(line + ":" + doc.get("_id").asString()));
        assertThat(read).containsExactly("2:670919a3e4b0a1b2c3d4e701", "4:670919a3e4b0a1b2c3d4e702");
        List<String> examples = problems.byKind().get("bad_json").examples();
        assertThat(examples).hasSize(2);
        assertThat(examples.get(0)).isEqualTo("files (files.json) line 3: not a document");
        assertThat(examples.get(1)).startsWith("files (files.json) line 5: ").endsWith("(the rest of this array was not read)");
    }
}
