package dev.parley.file;

import dev.parley.web.ApiEnum;

/** Why a file is in a project; the CAD app keeps a script as input and its STL/STEP as output. */
public enum FilePurpose implements ApiEnum {
    INPUT, OUTPUT, LOG, PROCESSED, KNOWLEDGE, ATTACHMENT
}
