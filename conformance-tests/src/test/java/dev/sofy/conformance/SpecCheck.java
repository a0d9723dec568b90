package dev.sofy.conformance;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * How an exchange is held against the spec. Every exchange of the suite goes through one of
 * these; there is no way to get an answer without naming how it is checked.
 */
@FunctionalInterface
interface SpecCheck {

    ValidationReport apply(OpenApiInteractionValidator validator, Exchange exchange);

    /** A valid request: the request and the response must both conform. */
    static SpecCheck requestAndResponse() {
        return (validator, exchange) ->
                validator.validate(exchange.validatorRequest(), exchange.validatorResponse());
    }

    /**
     * A request that is invalid on purpose (no key, a malformed body, a wrong content type): only
     * the answer must conform, as the answer of the operation at that path and method.
     */
    static SpecCheck responseOnly() {
        return (validator, exchange) -> validator.validateResponse(
                exchange.specPath(), Request.Method.valueOf(exchange.method()), exchange.validatorResponse());
    }

    /**
     * A request to a path or with a method that the spec does not have (an unknown path, a wrong
     * method). The spec cannot describe that answer directly, so it is checked as the answer of an
     * operation that exists, with the same status (its documented 404, or its {@code default}):
     * the problem body, its content type and the documented headers are still checked.
     */
    static SpecCheck responseAs(Request.Method method, String specPath) {
        return (validator, exchange) -> validator.validateResponse(specPath, method, exchange.validatorResponse());
    }

    /**
     * A {@code HEAD} request: the spec says HEAD answers as GET does, without the body. The answer
     * is checked as GET's answer (status, headers, content type); only the missing body is
     * forgiven, and the tests check that it is indeed empty.
     */
    static SpecCheck headAnsweredAsGet() {
        return (validator, exchange) -> {
            ValidationReport report = validator.validateResponse(
                    exchange.specPath(), Request.Method.GET, exchange.validatorResponse());
            return ValidationReport.from(report.getMessages().stream()
                    .filter(message -> !message.getKey().equals("validation.response.body.missing"))
                    .toList());
        };
    }
}
