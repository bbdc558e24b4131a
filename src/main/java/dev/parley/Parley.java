package dev.parley;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Parley: a self-hosted memory server for AI-assistant applications. */
// Parley authenticates with its own tokens; Boot's generated in-memory user would be a stray backdoor.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class Parley {

    public static void main(String[] args) {
        SpringApplication.run(Parley.class, args);
    }
}
