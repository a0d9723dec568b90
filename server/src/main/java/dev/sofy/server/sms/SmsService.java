package dev.sofy.server.sms;

import dev.sofy.server.account.Account;
import dev.sofy.server.links.ShortLink;
import dev.sofy.server.links.ShortenedText;
import dev.sofy.server.links.TrackedLink;
import dev.sofy.server.marketing.MarketingRules;
import dev.sofy.server.numbers.PhoneNumbers;
import dev.sofy.server.numbers.Recipient;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.validation.Violation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Takes SMS in and reads them back. The structure of a request (types, required fields, lengths)
 * has been checked against the spec before it gets here; this checks what the spec cannot say.
 */
public final class SmsService {
    /** How long an idempotency key is remembered. */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    static final String INVALID_RECIPIENT =
            "must be a valid international phone number, country code first, such as 33612345678";
    static final String INVALID_SENDER = "must be an alphanumeric sender of 1 to 11 characters (ASCII letters,"
            + " digits and spaces, at least one letter), a short code of 3 to 8 digits,"
            + " or a valid international phone number";
    static final String IDEMPOTENCY_KEY_FIELD = "Idempotency-Key";
    /** How far ahead an SMS may be scheduled. */
    public static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(180);
    static final String SEND_AT_PAST = "must not be in the past";
    static final String SEND_AT_TOO_FAR = "must be at most 180 days ahead";
    /** The reason of an SMS canceled by its sender. */
    public static final String CANCELED_REASON = "canceled by the sender";
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    /** The tag of the SMS list's page cursors. */
    private static final String SMS_CURSORS = "1";
    /** How long after the last new SMS the service still counts as {@link #takingSms() taking SMS}. */
    static final Duration TAKING_SMS_FOR = Duration.ofSeconds(1);

    private record InFlight(long accountId, String key) {}

    private final SmsStore store;
    private final Clock clock;
    private final Duration validity;
    private final Function<String, ShortenedText> shortener;
    private final MarketingRules marketing;
    private final Counter acceptedTransactional;
    private final Counter acceptedMarketing;
    /** Idempotency keys being processed by this node; the store's unique key covers other nodes. */
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    /** {@link System#nanoTime()} when a valid request to send an SMS last came in. */
    private volatile long lastTakenAt = System.nanoTime() - TAKING_SMS_FOR.toNanos() - 1;

    /**
     * @param validity how long the carrier may try to deliver an SMS
     * @param shortener replaces the URLs of a text by short links, when the SMS asks for it
     * @param marketing the rules of marketing SMS (opt-out mention, sending window)
     */
    public SmsService(SmsStore store, Clock clock, Duration validity, Function<String, ShortenedText> shortener,
                      MarketingRules marketing) {
        this(store, clock, validity, shortener, marketing, new CompositeMeterRegistry());
    }

    /** @param metrics where {@code sofy_sms_accepted_total} counts the SMS committed as pending */
    public SmsService(SmsStore store, Clock clock, Duration validity, Function<String, ShortenedText> shortener,
                      MarketingRules marketing, MeterRegistry metrics) {
        this.acceptedTransactional = acceptedCounter(metrics, true);
        this.acceptedMarketing = acceptedCounter(metrics, false);
        this.store = store;
        this.clock = clock;
        this.validity = validity;
        this.shortener = shortener;
        this.marketing = marketing;
    }

    /**
     * Stores the SMS as pending; the future completes once it is committed. With an idempotency
     * key, a retry of an earlier request (same key, same fields, within 24 hours) gets the SMS that
     * request created, and nothing new is stored. Invalid requests are refused before anything
     * is stored, by throwing.
     */
    public CompletableFuture<Accepted> send(Account account, SmsToSend request, String idempotencyKey) {
        // Parsing a number is the costliest rule: it is done once, for the check and the message.
        Optional<Recipient> recipient = recipient(request);
        List<Violation> violations = violations(request, recipient, idempotencyKey);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        lastTakenAt = System.nanoTime();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        ShortenedText text = textToSend(request);
        Message message = newMessage(account, request, recipient.orElseThrow(), text.text(), now);
        List<TrackedLink> tracked = tracked(text.links());
        if (idempotencyKey == null) {
            return store.insert(message, text.links(), null).thenApply(committed -> accepted(message, tracked));
        }
        String fingerprint = fingerprint(request);
        var key = new IdempotencyKey(idempotencyKey, fingerprint, message.id(), message.createdAt());
        return onceForKey(account, idempotencyKey, () -> replay(account, idempotencyKey, fingerprint),
                () -> store.insert(message, text.links(), key).thenApply(committed -> accepted(message, tracked)));
    }

    /** The request's body, its URLs replaced by short links if it asks for them. */
    private ShortenedText textToSend(SmsToSend request) {
        return request.shortenUrls() ? shortener.apply(request.body()) : new ShortenedText(request.body(), List.of());
    }

    /** New short links, not yet clicked. */
    private static List<TrackedLink> tracked(List<ShortLink> links) {
        return links.stream().map(link -> new TrackedLink(link.code(), link.url(), 0)).toList();
    }

    /**
     * Answers a request that carries an idempotency key: as the earlier request with that key did
     * if there is one ({@code replay}), or else by storing it ({@code store}). One request of an
     * account holds a key at a time on this node; when another node stored the key first, the
     * answer is that node's.
     */
    private <T> CompletableFuture<T> onceForKey(Account account, String idempotencyKey, Supplier<Optional<T>> replay,
                                                Supplier<CompletableFuture<T>> store) {
        var claim = new InFlight(account.id(), idempotencyKey);
        if (!inFlight.add(claim)) {
            throw new IdempotencyKeyInUseException();
        }
        try {
            Optional<T> earlier = replay.get();
            if (earlier.isPresent()) {
                inFlight.remove(claim);
                return CompletableFuture.completedFuture(earlier.get());
            }
            return store.get()
                    .exceptionallyCompose(failure -> unwrap(failure) instanceof DuplicateIdempotencyKeyException
                            ? replay.get().map(CompletableFuture::completedFuture)
                                    .orElseGet(() -> CompletableFuture.failedFuture(new IdempotencyKeyInUseException()))
                            : CompletableFuture.failedFuture(unwrap(failure)))
                    .whenComplete((answer, failure) -> inFlight.remove(claim));
        } catch (RuntimeException e) {
            inFlight.remove(claim);
            throw e;
        }
    }

    /**
     * Stores the SMS of a batch as pending, all in one commit, or none: when any is invalid,
     * throws with every bad field named by its place ({@code messages[3].to}). The answers come in
     * the order of the requests. With an idempotency key, a retry of the same batch within 24 hours
     * gets the SMS that batch created, in the same order, and nothing new is stored.
     *
     * @param admit told how many SMS a valid batch that is not a retry will store, before it stores
     *     them; it refuses the batch by throwing (a rate limit)
     */
    public CompletableFuture<List<Accepted>> sendBatch(Account account, List<SmsToSend> requests,
                                                       String idempotencyKey, IntConsumer admit) {
        List<Optional<Recipient>> recipients = new ArrayList<>(requests.size());
        requests.forEach(request -> recipients.add(request == null ? Optional.empty() : recipient(request)));
        List<Violation> violations = batchViolations(requests, recipients, idempotencyKey);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        lastTakenAt = System.nanoTime();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<SmsStore.NewMessage> messages = new ArrayList<>(requests.size());
        List<Accepted> answers = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            SmsToSend request = requests.get(i);
            ShortenedText text = textToSend(request);
            Message message = newMessage(account, request, recipients.get(i).orElseThrow(), text.text(), now);
            messages.add(new SmsStore.NewMessage(message, text.links()));
            answers.add(new Accepted(message, tracked(text.links()), false));
        }
        if (idempotencyKey == null) {
            admit.accept(messages.size());
            return store.insertBatch(messages, null).thenApply(committed -> acceptedAll(answers));
        }
        String fingerprint = batchFingerprint(requests);
        List<String> ids = answers.stream().map(answer -> answer.message().id()).toList();
        var key = new IdempotencyKey(idempotencyKey, fingerprint, ids.get(0), now, ids);
        return onceForKey(account, idempotencyKey, () -> replayBatch(account, idempotencyKey, fingerprint), () -> {
            // A retry is not counted again: only a batch that will be stored is admitted.
            admit.accept(messages.size());
            return store.insertBatch(messages, key).thenApply(committed -> acceptedAll(answers));
        });
    }

    /**
     * What is wrong with the messages of a batch, each field named by its message's place
     * ({@code messages[3].to}), and with the idempotency key. A message that is null (the spec
     * refused it whole) is skipped, as are null fields.
     */
    public List<Violation> batchViolations(List<SmsToSend> requests, String idempotencyKey) {
        List<Optional<Recipient>> recipients = new ArrayList<>(requests.size());
        requests.forEach(request -> recipients.add(request == null ? Optional.empty() : recipient(request)));
        return batchViolations(requests, recipients, idempotencyKey);
    }

    /** The name of a field of the message at {@code index} of a batch. */
    public static String batchField(int index, String field) {
        return "messages[" + index + "]." + field;
    }

    private List<Violation> batchViolations(List<SmsToSend> requests, List<Optional<Recipient>> recipients,
                                                   String idempotencyKey) {
        List<Violation> violations = new ArrayList<>(0);
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i) == null) {
                continue;
            }
            for (Violation violation : violations(requests.get(i), recipients.get(i), null)) {
                violations.add(new Violation(batchField(i, violation.field()), violation.message()));
            }
        }
        keyViolation(idempotencyKey).ifPresent(violations::add);
        return violations;
    }

    private List<Accepted> acceptedAll(List<Accepted> answers) {
        for (Accepted answer : answers) {
            (answer.message().transactional() ? acceptedTransactional : acceptedMarketing).increment();
        }
        return answers;
    }

    /** The answer to an earlier batch with this key: its SMS as they were accepted, in its order. */
    private Optional<List<Accepted>> replayBatch(Account account, String key, String fingerprint) {
        Instant notBefore = clock.instant().minus(IDEMPOTENCY_WINDOW);
        return store.findIdempotencyKey(account.id(), key, notBefore).map(earlier -> {
            if (!earlier.requestSha256().equals(fingerprint) || earlier.batchSmsIds() == null) {
                throw new IdempotencyKeyReusedException();
            }
            Map<String, Message> found = new HashMap<>();
            store.findAll(account.id(), earlier.batchSmsIds()).forEach(message -> found.put(message.id(), message));
            List<Message> originals = earlier.batchSmsIds().stream()
                    .map(id -> Optional.ofNullable(found.get(id)).orElseThrow().asAccepted())
                    .toList();
            Map<String, List<TrackedLink>> links = links(originals);
            return originals.stream()
                    .map(original -> new Accepted(original, links.getOrDefault(original.id(), List.of()), true))
                    .toList();
        });
    }

    /**
     * The fingerprint of a batch: its messages' fingerprints, in order, under a mark that keeps a
     * batch of one apart from a single SMS with the same key.
     */
    static String batchFingerprint(List<SmsToSend> requests) {
        var fields = new StringBuilder("batch:").append(requests.size());
        for (SmsToSend request : requests) {
            fields.append(':').append(fingerprint(request));
        }
        return sha256(fields.toString());
    }

    /** Whether a valid request to send an SMS came in within the last second. */
    public boolean takingSms() {
        return System.nanoTime() - lastTakenAt <= TAKING_SMS_FOR.toNanos();
    }

    private static Counter acceptedCounter(MeterRegistry metrics, boolean transactional) {
        return Counter.builder("sofy.sms.accepted")
                .description("SMS accepted and committed as pending (idempotent replays are not counted)")
                .tag("transactional", Boolean.toString(transactional))
                .register(metrics);
    }

    private Accepted accepted(Message message, List<TrackedLink> links) {
        (message.transactional() ? acceptedTransactional : acceptedMarketing).increment();
        return new Accepted(message, links, false);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * What is wrong with the request's sender, recipient and idempotency key. A field that is null
     * is skipped: its absence is the spec's business, and this also runs on requests the spec
     * already refused, so that one answer lists every bad field.
     */
    public List<Violation> violations(SmsToSend request, String idempotencyKey) {
        return violations(request, recipient(request), idempotencyKey);
    }

    /**
     * Cancels an SMS of the account that no carrier has taken yet; returns it, now canceled.
     * Throws {@link SmsNotFoundException} for an id the account has not, and
     * {@link SmsNotCancelableException} for an SMS that is sent, final, or held by a dispatcher.
     */
    public Message cancel(Account account, String id) {
        if (!SmsIds.isWellFormed(id)) {
            throw new SmsNotFoundException();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        SmsStore.Cancellation outcome = store.cancel(account.id(), id, CANCELED_REASON, now).join();
        Message sms = outcome.sms().orElseThrow(SmsNotFoundException::new);
        if (!outcome.canceled()) {
            throw new SmsNotCancelableException(sms.status());
        }
        return sms;
    }

    private static Optional<Recipient> recipient(SmsToSend request) {
        return request.to() == null ? Optional.empty() : PhoneNumbers.recipient(request.to());
    }

    private List<Violation> violations(SmsToSend request, Optional<Recipient> recipient, String idempotencyKey) {
        List<Violation> violations = new ArrayList<>(2);
        if (request.sendAt() != null) {
            Instant now = clock.instant();
            if (request.sendAt().isBefore(now)) {
                violations.add(new Violation("sendAt", SEND_AT_PAST));
            } else if (request.sendAt().isAfter(now.plus(MAX_SCHEDULE_AHEAD))) {
                violations.add(new Violation("sendAt", SEND_AT_TOO_FAR));
            }
        }
        if (request.from() != null && !Senders.isValid(request.from())) {
            violations.add(new Violation("from", INVALID_SENDER));
        }
        if (request.to() != null && recipient.isEmpty()) {
            violations.add(new Violation("to", INVALID_RECIPIENT));
        }
        keyViolation(idempotencyKey).ifPresent(violations::add);
        return violations;
    }

    private static Optional<Violation> keyViolation(String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            return Optional.of(new Violation(IDEMPOTENCY_KEY_FIELD,
                    "must have 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters, not only white space"));
        }
        return Optional.empty();
    }

    public Message get(Account account, String id) {
        if (!SmsIds.isWellFormed(id)) {
            throw new SmsNotFoundException();
        }
        return store.find(account.id(), id).orElseThrow(SmsNotFoundException::new);
    }

    /** The short links of these SMS with their clicks, by SMS id. */
    public Map<String, List<TrackedLink>> links(List<Message> messages) {
        // Only an SMS whose text was rewritten can have links: the others cost no query.
        List<String> shortened = messages.stream()
                .filter(message -> message.shortenUrls() && message.sentText() != null)
                .map(Message::id)
                .toList();
        return shortened.isEmpty() ? Map.of() : store.links(shortened);
    }

    /** A page of the account's SMS, newest first. */
    public Page list(Account account, SmsQuery query) {
        List<Violation> violations = new ArrayList<>(2);
        SmsStore.Position after = query.cursor() == null ? null : PageCursors.decode(SMS_CURSORS, query.cursor())
                .map(position -> new SmsStore.Position(position.at(), position.id())).orElse(null);
        if (query.cursor() != null && after == null) {
            violations.add(new Violation("cursor", "is not a cursor this server gave"));
        }
        String to = query.to() == null ? null : PhoneNumbers.normaliseRecipient(query.to()).orElse(null);
        if (query.to() != null && to == null) {
            violations.add(new Violation("to", INVALID_RECIPIENT));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        // One more than asked tells whether there is a next page.
        List<Message> found = store.list(account.id(), query.limit() + 1, after, query.status(), to,
                query.createdFrom(), query.createdTo());
        if (found.size() <= query.limit()) {
            return new Page(found, null);
        }
        List<Message> page = found.subList(0, query.limit());
        Message last = page.get(page.size() - 1);
        return new Page(page, PageCursors.encode(SMS_CURSORS, new PageCursors.Position(last.createdAt(), last.id())));
    }

    /** Forgets the idempotency keys older than the window; run now and then. */
    public int forgetExpiredIdempotencyKeys() {
        return store.deleteIdempotencyKeysBefore(clock.instant().minus(IDEMPOTENCY_WINDOW));
    }

    /**
     * The pending SMS, with the text it will be sent as: the marketing rules may add an opt-out
     * mention and hold it until its sending window opens; the segments count that text.
     */
    private Message newMessage(Account account, SmsToSend request, Recipient recipient, String text, Instant now) {
        boolean transactional = request.transactional();
        Instant sendAt = request.sendAt() == null ? null : request.sendAt().truncatedTo(ChronoUnit.MICROS);
        // A scheduled SMS waits for the window that is open at its time, not at this one.
        Instant start = sendAt == null ? now : sendAt;
        MarketingRules.Outcome rules = marketing.apply(recipient, transactional, text, start);
        String sent = rules.body();
        Instant heldUntil = rules.heldUntil().map(until -> until.truncatedTo(ChronoUnit.MICROS)).orElse(null);
        // A validity the client gave counts from its time, as one-time codes need; the server's
        // default counts from the end of a hold, so that a night's hold does not use it up.
        Instant expiresAt = request.validitySeconds() != null
                ? start.plusSeconds(request.validitySeconds())
                : (heldUntil == null ? start : heldUntil).plus(validity);
        Segments segments = Segments.of(sent);
        return new Message(
                SmsIds.next(now),
                account.id(),
                request.from(),
                recipient.digits(),
                request.body(),
                request.shortenUrls(),
                transactional,
                Status.PENDING,
                "",
                now,
                now,
                segments.count(),
                segments.encoding().wireName(),
                expiresAt,
                sent.equals(request.body()) ? null : sent,
                heldUntil).withSendAt(sendAt);
    }

    /** The answer to an earlier request with this key: the SMS as it was accepted. */
    private Optional<Accepted> replay(Account account, String key, String fingerprint) {
        Instant notBefore = clock.instant().minus(IDEMPOTENCY_WINDOW);
        return store.findIdempotencyKey(account.id(), key, notBefore).map(earlier -> {
            if (!earlier.requestSha256().equals(fingerprint)) {
                throw new IdempotencyKeyReusedException();
            }
            Message original = store.find(account.id(), earlier.smsId()).orElseThrow().asAccepted();
            return new Accepted(original, links(List.of(original)).getOrDefault(original.id(), List.of()), true);
        });
    }

    /**
     * The request's fields, defaults applied, so that key order and white space do not matter. It
     * is stored with the key: a change to it would refuse the retries of requests taken before.
     */
    static String fingerprint(SmsToSend request) {
        var fields = new StringBuilder();
        List<String> values = new ArrayList<>(List.of(request.from(), request.to(), request.body(),
                String.valueOf(request.shortenUrls()), String.valueOf(request.transactional())));
        // Only when given, so that the fingerprints of earlier requests stay what they were.
        if (request.sendAt() != null || request.validitySeconds() != null) {
            values.add(String.valueOf(request.sendAt()));
            values.add(String.valueOf(request.validitySeconds()));
        }
        for (String field : values) {
            fields.append(field.length()).append(':').append(field);
        }
        return sha256(fields.toString());
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
