package dev.sofy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ceiling: a minimal Javalin app whose {@code POST /v1/sms} parses the same JSON and answers
 * the same shape as the real server, with no authentication, validation or storage. The real
 * server's throughput is reported as a ratio of this one's, measured on the same machine.
 */
public final class ReferenceServer {
    private static final char[] ALPHABET =
            "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict".toCharArray();

    private ReferenceServer() {}

    public static void main(String[] args) {
        var mapper = new ObjectMapper();
        int port = Integer.parseInt(System.getenv().getOrDefault("SOFY_PORT", "8090"));
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            config.routes.post("/v1/sms", ctx -> {
                JsonNode request = mapper.readTree(ctx.bodyAsBytes());
                String id = id();
                ObjectNode sms = mapper.createObjectNode();
                sms.put("shortenUrls", request.path("shortenUrls").asBoolean(true));
                sms.put("isTransactional", request.path("isTransactional").asBoolean(false));
                sms.put("from", request.path("from").asText());
                sms.put("to", request.path("to").asText());
                sms.put("body", request.path("body").asText());
                sms.put("id", id);
                sms.put("status", "pending");
                sms.put("statusReason", "");
                ctx.status(201).header("Location", "/v1/sms/" + id)
                        .contentType("application/json").result(mapper.writeValueAsBytes(sms));
            });
        }).start();
        System.out.println("Reference server listening on http://127.0.0.1:" + port);
    }

    private static String id() {
        var random = ThreadLocalRandom.current();
        char[] id = new char[21];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(64)];
        }
        return new String(id);
    }
}
