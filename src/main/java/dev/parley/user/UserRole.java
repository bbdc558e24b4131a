package dev.parley.user;

import dev.parley.web.ApiEnum;

public enum UserRole implements ApiEnum {
    USER, ADMIN
}
