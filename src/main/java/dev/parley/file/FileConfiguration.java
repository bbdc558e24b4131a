package dev.parley.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.parley.config.ParleyProperties;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Multipart uploads as the servlet container parses them: every part goes to disk at once
 * (threshold 0, in {@code <data-dir>/tmp/uploads}), never into the heap; a file part over
 * {@code parley.files.max-size} is refused while it is read (413), and the whole request may
 * exceed it only by what the form fields and boundaries need.
 */
@Configuration(proxyBeanMethods = false)
class FileConfiguration {

    static final DataSize FORM_OVERHEAD = DataSize.ofMegabytes(1);

    /** Where the container writes multipart parts while a request is read. */
    static Path uploadLocation(ParleyProperties parley) {
        return parley.dataDir().toAbsolutePath().resolve("tmp").resolve("uploads");
    }

    @Bean
    MultipartConfigElement multipartConfigElement(FilesProperties files, ParleyProperties parley) {
        Path location = uploadLocation(parley);
        try {
            Files.createDirectories(location);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload directory " + location, e);
        }
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setLocation(location.toString());
        factory.setFileSizeThreshold(DataSize.ofBytes(0));
        factory.setMaxFileSize(files.maxSize());
        factory.setMaxRequestSize(DataSize.ofBytes(files.maxSize().toBytes() + FORM_OVERHEAD.toBytes()));
        return factory.createMultipartConfig();
    }
}
