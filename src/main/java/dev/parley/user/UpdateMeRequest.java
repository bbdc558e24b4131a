package dev.parley.user;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.parley.web.Clearable;
import dev.parley.web.PatchRequest;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** {@code PATCH /me}: absent fields stay as they are, {@code null} clears email or full name. */
record UpdateMeRequest(@Nullable @Clearable @Email @Size(max = 320)
                       @Pattern(regexp = "(?s).*\\S.*", message = "must be an email address") String email,
                       @Nullable @Clearable @Size(max = 200) String fullName,
                       @Nullable JsonNode preferences,
                       @JsonIgnore Set<String> nulls) implements PatchRequest<UpdateMeRequest> {

    @Override
    public UpdateMeRequest withNulls(Set<String> nulls) {
        return new UpdateMeRequest(email, fullName, preferences, nulls);
    }
}
