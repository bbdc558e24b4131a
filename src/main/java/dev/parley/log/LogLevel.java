package dev.parley.log;

import dev.parley.web.ApiEnum;

public enum LogLevel implements ApiEnum {
    DEBUG, INFO, WARNING, ERROR
}
