package dev.parley;

import dev.parley.imports.ImportCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Parley: a self-hosted memory server for AI-assistant applications. */
// Parley authenticates with its own tokens; Boot's generated in-memory user would be a stray backdoor.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class Parley {

    public static void main(String[] args) {
        if (ImportCommand.requested(args)) {
            // the importer runs on the server's configuration but without its web server
            System.exit(ImportCommand.run(Parley.class, args));
        }
        SpringApplication.run(Parley.class, args);
    }
}
