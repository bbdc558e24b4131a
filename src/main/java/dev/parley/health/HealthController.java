package dev.parley.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.parley.config.ParleyProperties;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/health}: {@code up} only when the database answers and the folders under
 * the data directory that hold blobs and the search index can be written; otherwise 503 and
 * the part that is down, so a load balancer takes the instance out.
 */
@RestController
class HealthController {

    private static final Logger log = LoggerFactory.getLogger(HealthController.class);

    private final DSLContext dsl;
    private final Path dataDir;

    HealthController(DSLContext dsl, ParleyProperties properties) {
        this.dsl = dsl;
        this.dataDir = properties.dataDir().toAbsolutePath();
    }

    record Health(String status, String database, String blobStore, String index) {
    }

    @GetMapping("/api/v1/health")
    ResponseEntity<Health> health() {
        String database = database();
        String blobs = writable(dataDir.resolve("blobs"));
        String index = writable(dataDir.resolve("index"));
        boolean up = database.equals("up") && blobs.equals("up") && index.equals("up");
        return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .header("Cache-Control", "no-store")
                .body(new Health(up ? "up" : "down", database, blobs, index));
    }

    private String database() {
        try {
            return dsl.selectOne().fetchOne(0, Integer.class) == 1 ? "up" : "down";
        } catch (RuntimeException e) {
            log.warn("health: database check failed: {}", e.getMessage());
            return "down";
        }
    }

    private static String writable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".health", ".tmp");
            Files.delete(probe);
            return "up";
        } catch (IOException | RuntimeException e) {
            log.warn("health: {} is not writable: {}", dir, e.getMessage());
            return "down";
        }
    }
}
