package org.unicom4j.serve;

/**
 * A request the service refuses, with the HTTP status and the one line that the client gets back as
 * {@code {"error": "..."}}.
 */
final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
