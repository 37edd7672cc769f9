package org.unicom4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.api.TestImages;

/** Bad requests get a 4xx with a one-line JSON error, and the server stays healthy after each. */
class BadInputTest {
    private static final String KEY = "test-key-0123456789abcdef";
    @TempDir
    static Path dir;
    private static SearchServer server;
    private static Client client;
    private static Client keyless;

    @BeforeAll
    static void start() throws Exception {
        server = SearchServer.start(ImageEmbedder.builder().randomWeights("tiny", 41).backend("cpu")
                        .maxImagePixels(4096 * 4096),
                dir.resolve("index"), ServeSettings.defaults().withPort(0).withApiKey(KEY));
        client = new Client(server.url(), KEY);
        keyless = new Client(server.url(), null);
        assertEquals(201, client.post("/v1/images?id=present", "image/png", TestImages.png(1, 32, 32)).statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** After every refusal: healthy, and still embedding. */
    @AfterEach
    void serverIsHealthy() {
        assertEquals(200, client.get("/health").statusCode());
        assertEquals(200, client.post("/v1/embed", "image/png", TestImages.png(2, 32, 32)).statusCode());
    }

    private static String refused(HttpResponse<byte[]> response, int status) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), body);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""), body);
        JsonNode json = Client.json(response);
        assertEquals(1, json.size(), body);
        String error = json.get("error").asText();
        assertFalse(error.isBlank() || error.contains("\n") || body.contains("\n"), body);
        return error;
    }

    @Test
    void brokenImagesAreRefused() {
        byte[] png = TestImages.png(3, 64, 64);
        for (String route : new String[] {"/v1/embed", "/v1/search?k=3", "/v1/images?id=broken"}) {
            assertTrue(refused(client.post(route, "image/png", Arrays.copyOf(png, png.length / 2)), 400)
                    .contains("request body"), route);
            assertTrue(refused(client.post(route, "image/png", new byte[0]), 400).contains("empty"), route);
            assertTrue(refused(client.post(route, "image/jpeg", "just some text, named as an image".getBytes()), 400)
                    .contains("not a recognised image format"), route);
            String bomb = refused(client.post(route, "image/png", TestImages.decompressionBomb(40_000)), 400);
            assertTrue(bomb.contains("1,600,000,000 pixels") && bomb.contains("not decoded"), bomb);
        }
        assertFalse(server.index().contains("broken"));
    }

    @Test
    void aHundredMegabyteBodyIsRefusedBeforeItIsRead() {
        byte[] huge = new byte[100 << 20];
        // Expect: 100-continue: the client sends the body only if the server asks for it; it does not.
        HttpRequest request = client.request("/v1/embed").expectContinue(true).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build();
        assertTrue(refused(client.send(request), 413).contains("over the limit of " + (16 << 20) + " bytes"));
    }

    @Test
    void aBodyWithoutALengthIsCutOffAtTheLimit() {
        HttpRequest request = client.request("/v1/embed").header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        new byte[(16 << 20) + 1]))).build();
        assertTrue(refused(client.send(request), 413).contains("over the limit"));
    }

    @Test
    void wrongContentTypesAreRefused() {
        byte[] png = TestImages.png(4, 32, 32);
        assertTrue(refused(client.post("/v1/embed", "text/plain", png), 415).contains("text/plain"));
        refused(client.post("/v1/embed", "application/json", "{\"vector\": [1]}".getBytes()), 415);
        refused(client.post("/v1/images?id=x", "application/json", "{}".getBytes()), 415);
        refused(client.post("/v1/search", null, png), 415);
        refused(client.post("/v1/search", "multipart/form-data; boundary=x", png), 415);
    }

    @Test
    void badKAndBadVectorsAreRefused() {
        byte[] png = TestImages.png(5, 32, 32);
        assertTrue(refused(client.post("/v1/search?k=-1", "image/png", png), 400).contains("k=-1"));
        assertTrue(refused(client.post("/v1/search?k=0", "image/png", png), 400).contains("1 .. 100"));
        assertTrue(refused(client.post("/v1/search?k=1000000000", "image/png", png), 400).contains("1 .. 100"));
        refused(client.post("/v1/search?k=99999999999999999999", "image/png", png), 400);
        refused(client.post("/v1/search?k=ten", "image/png", png), 400);
        refused(client.post("/v1/search", "application/json", "{\"vector\": [1, 2".getBytes()), 400);
        refused(client.post("/v1/search", "application/json", "{\"vector\": [1, 2, 3]}".getBytes()), 400);
        refused(client.post("/v1/search", "application/json", "{\"vector\": [\"a\"]}".getBytes()), 400);
        refused(client.post("/v1/search", "application/json", ("{\"vector\": " + Arrays.toString(new float[32])
                + "}").getBytes()), 400);
        refused(client.get("/v1/images?limit=100000"), 400);
        refused(client.get("/v1/images?offset=-3"), 400);
    }

    @Test
    void unknownIdsAndRoutesAreNotFound() {
        assertTrue(refused(client.delete("/v1/images/nobody"), 404).contains("nobody"));
        refused(client.get("/v1/images/nobody/thumbnail"), 404);
        refused(client.get("/v1/images/..%2F..%2Fetc%2Fpasswd/thumbnail"), 404);
        refused(client.get("/no/such/route"), 404);
        refused(client.get("/assets/secret.txt"), 404);
    }

    @Test
    void writesNeedTheKeyAndDuplicatesConflict() {
        byte[] png = TestImages.png(6, 32, 32);
        assertTrue(refused(keyless.post("/v1/images?id=sneaky", "image/png", png), 401).contains("API key"));
        refused(keyless.delete("/v1/images/present"), 401);
        HttpRequest wrongKey = keyless.request("/v1/images/present").header("X-API-Key", KEY + "x").DELETE().build();
        refused(keyless.send(wrongKey), 401);
        assertTrue(server.index().contains("present") && !server.index().contains("sneaky"));
        assertTrue(refused(client.post("/v1/images?id=present", "image/png", png), 409).contains("present"));
        refused(client.post("/v1/images?id=%01control", "image/png", png), 400);
        assertEquals(200, keyless.post("/v1/search?k=1", "image/png", png).statusCode(), "reads need no key");
    }
}
