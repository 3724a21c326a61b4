import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stand-in answers as QAIRON-REST.md says Qairon does, so a loader that passes against it did the right things. */
class QaironApiStubTest {
    static QaironApiStub stub;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        stub = QaironApiStub.start();
        assertEquals(201, post("environment", "{\"data\": {\"type\": \"environment\", \"attributes\": {\"id\": \"prod\"}}}").statusCode());
        assertEquals(201, post("provider_type", "{\"data\": {\"type\": \"provider_type\", \"id\": \"aws\"}}").statusCode());
    }

    @AfterAll
    static void stop() { stub.close(); }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String resource, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(stub.uri() + "/api/rest/v1/" + resource))
                .header("Content-Type", "application/vnd.api+json").header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void createAnswers201WithLocationAndTheServerBuiltId() throws Exception {
        var r = post("provider", "{\"data\": {\"type\": \"provider\", \"attributes\": {\"environment_id\": \"prod\", \"provider_type_id\": \"aws\", \"native_id\": \"111\"}}}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(stub.uri() + "/api/rest/v1/provider/prod:aws:111", r.headers().firstValue("Location").orElse(""));
        assertTrue(r.body().contains("\"id\":\"prod:aws:111\""), r.body());
        assertTrue(r.body().contains("\"environment\":{\"data\":{\"type\":\"environment\",\"id\":\"prod\"}}"), r.body());
        var again = post("provider", "{\"data\": {\"type\": \"provider\", \"attributes\": {\"environment_id\": \"prod\", \"provider_type_id\": \"aws\", \"native_id\": \"111\"}}}");
        assertEquals(400, again.statusCode());
        assertTrue(again.body().contains("(psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint \\\"provider_pkey\\\""), again.body());
    }

    @Test
    void refusesWhatQaironRefuses() throws Exception {
        assertEquals(400, post("region", "{\"type\": \"region\", \"provider_id\": \"prod:aws:111\"}").statusCode(), "flat body");
        assertEquals(400, post("region", "{\"data\": ").statusCode(), "bad JSON");
        assertEquals(409, post("region", "{\"data\": {\"type\": \"zone\", \"attributes\": {}}}").statusCode(), "wrong type");
        assertEquals(400, post("environment", "{\"data\": {\"type\": \"environment\", \"attributes\": {\"id\": \"x\", \"colour\": \"red\"}}}").statusCode(), "unknown attribute");
        var noName = post("region", "{\"data\": {\"type\": \"region\", \"attributes\": {\"provider_id\": \"prod:aws:111\"}}}");
        assertEquals(500, noName.statusCode(), "missing id part");
        assertTrue(noName.body().startsWith("<!doctype html>"));
        var orphan = post("region", "{\"data\": {\"type\": \"region\", \"attributes\": {\"provider_id\": \"prod:aws:999\", \"name\": \"r\"}}}");
        assertEquals(400, orphan.statusCode());
        assertTrue(orphan.body().contains("ForeignKeyViolation"), orphan.body());
        var wrongMedia = send(HttpRequest.newBuilder(URI.create(stub.uri() + "/api/rest/v1/environment"))
                .header("Content-Type", "application/vnd.api+json; charset=utf-8").header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\": {\"type\": \"environment\", \"id\": \"stg\"}}")));
        assertEquals(415, wrongMedia.statusCode());
        var plainHttp = send(HttpRequest.newBuilder(URI.create(stub.uri() + "/api/rest/v1/environment"))
                .header("Content-Type", "application/vnd.api+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\": {\"type\": \"environment\", \"id\": \"stg\"}}")));
        assertEquals(302, plainHttp.statusCode());
        assertNull(stub.row("environment", "stg"));
    }

    @Test
    void upRedirectsPlainHttpLikeEveryOtherPath() throws Exception {
        var plain = send(HttpRequest.newBuilder(URI.create(stub.uri() + "/up")).GET());
        assertEquals(302, plain.statusCode(), "Qairon in production redirects /up too without X-Forwarded-Proto");
        assertEquals("https://" + stub.uri().getAuthority() + "/up", plain.headers().firstValue("Location").orElse(""));
        var proxied = send(HttpRequest.newBuilder(URI.create(stub.uri() + "/up")).header("X-Forwarded-Proto", "https").GET());
        assertEquals(200, proxied.statusCode());
    }
}
