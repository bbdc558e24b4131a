package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Surefire runs {@code *Test} classes and the nested {@code On*Test} classes of {@code *Tests}
 * (one per database); a test class named otherwise compiles, passes when run by name and is
 * silently left out of {@code ./mvnw verify}, as two import test classes once were.
 */
class TestClassNamingTest {

    /** Run by name only (see the README's benchmark section). */
    private static final Set<String> ON_DEMAND = Set.of("KnowledgeBench.java");
    private static final Pattern TEST_METHOD = Pattern.compile("@(Test|ParameterizedTest|RepeatedTest)\\b");
    private static final Pattern PER_DATABASE = Pattern.compile("class On\\w+Test\\b");

    @Test
    void everyClassWithTestsIsOneTheBuildRuns() throws IOException {
        List<String> leftOut;
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            leftOut = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !ON_DEMAND.contains(file.getFileName().toString()))
                    .filter(file -> TEST_METHOD.matcher(read(file)).find())
                    .filter(file -> !runByTheBuild(file))
                    .map(Path::toString)
                    .toList();
        }
        assertThat(leftOut).as("test classes ./mvnw verify would not run").isEmpty();
    }

    private static boolean runByTheBuild(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith("Test.java") || name.endsWith("Tests.java") && PER_DATABASE.matcher(read(file)).find();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
