using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants.Rules;

namespace Latchkey.Server.Management;

/// <summary>
/// Every Management API error, with Auth0's texts where they are known (docs/reference/auth0-wire.md R15.4) and the RFC 6750 §3
/// <c>WWW-Authenticate</c> challenge on 401 and 403. Resources add their own "does not exist" here
/// (<see cref="UserNotFound"/> is the model).
/// </summary>
internal static class ManagementErrors
{
    private const string Realm = "Bearer realm=\"Latchkey Management API\"";

    public static ManagementProblem MissingAuthentication() =>
        new(new(401, "Unauthorized", "Missing authentication"), Realm);

    public static ManagementProblem BadAuthorizationHeader() =>
        new(new(400, "Bad Request", "Bad HTTP authentication header format", ManagementErrorCodes.BearerScheme));

    public static ManagementProblem InvalidToken() =>
        new(new(401, "Unauthorized", "Invalid token", Attributes: new Dictionary<string, string> { ["error"] = "Invalid token" }),
            $"{Realm}, error=\"invalid_token\"");

    /// <summary>Auth0: <c>Insufficient scope, expected any of: read:users,read:current_user</c>.</summary>
    public static ManagementProblem InsufficientScope(params IReadOnlyList<string> expected) =>
        new(new(403, "Forbidden", $"Insufficient scope, expected any of: {string.Join(',', expected)}", ManagementErrorCodes.InsufficientScope),
            $"{Realm}, error=\"insufficient_scope\", scope=\"{string.Join(' ', expected)}\"");

    /// <summary>A current-user token used on another user's id: the scopes only ever cover the token's own <c>sub</c>.</summary>
    public static ManagementProblem OtherUser() =>
        new(new(403, "Forbidden", "A current_user token can only access the user it was issued to.", ManagementErrorCodes.InsufficientScope),
            $"{Realm}, error=\"insufficient_scope\"");

    /// <summary>Auth0's answer to a <c>connection</c> that does not exist (only the database connection does).</summary>
    public static ManagementProblem ConnectionNotFound() =>
        new(new(400, "Bad Request", "The connection does not exist.", ManagementErrorCodes.InexistentConnection));

    /// <summary>Auth0's 404 for a connection id that is not the tenant's (<c>/connections/{id}</c>).</summary>
    public static ManagementProblem ConnectionByIdNotFound() =>
        new(new(404, "Not Found", "The connection does not exist", ManagementErrorCodes.InexistentConnection));

    /// <summary>
    /// Creating or deleting a connection: Latchkey has exactly one, the database connection, and neither adds another
    /// nor removes it (Auth0 answers 403 to operations a tenant may not perform).
    /// </summary>
    public static ManagementProblem OneDatabaseConnection() =>
        new(new(403, "Forbidden", "Latchkey has one connection, the database connection Username-Password-Authentication; it cannot be created or deleted.", ManagementErrorCodes.OperationNotSupported));

    /// <summary>A refresh-token id that names no live family (Latchkey's code, in Auth0's <c>inexistent_*</c> style).</summary>
    public static ManagementProblem RefreshTokenNotFound() =>
        new(new(404, "Not Found", "The refresh token does not exist", ManagementErrorCodes.InexistentRefreshToken));

    public static ManagementProblem UserNotFound() =>
        new(new(404, "Not Found", "The user does not exist.", ManagementErrorCodes.InexistentUser));

    /// <summary>A call that needs mail when none can be sent (no SMTP outside Development, or a full queue).</summary>
    public static ManagementProblem MailUnavailable(string message) =>
        new(new(400, "Bad Request", message, ManagementErrorCodes.EmailProviderNotConfigured));

    /// <summary>Auth0's 409 for <c>POST /api/v2/users</c> with a taken email or id (the identity provider's refusal).</summary>
    public static ManagementProblem UserExists() => Conflict("The user already exists.", ManagementErrorCodes.UserExists);

    /// <summary>Auth0's 400 past the first 1000 results of a user search (<c>page * per_page + per_page &gt; 1000</c>).</summary>
    public static ManagementProblem PagingLimit() =>
        new(new(400, "Bad Request", "You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation", ManagementErrorCodes.InvalidPaging));

    public static ManagementProblem LogNotFound() =>
        new(new(404, "Not Found", "The log does not exist.", ManagementErrorCodes.InexistentLog));

    public static ManagementProblem JobNotFound() =>
        new(new(404, "Not Found", "The job does not exist.", ManagementErrorCodes.InexistentJob));

    public static ManagementProblem RoleNotFound() =>
        new(new(404, "Not Found", "The role does not exist.", ManagementErrorCodes.InexistentRole));

    public static ManagementProblem ActionNotFound() =>
        new(new(404, "Not Found", "The action does not exist.", ManagementErrorCodes.InexistentAction));

    public static ManagementProblem SigningKeyNotFound() =>
        new(new(404, "Not Found", "Signing key not found", ManagementErrorCodes.InexistentKey));

    /// <summary>Revoking the key that signs (or the next one): Auth0 revokes only keys a rotation has replaced.</summary>
    public static ManagementProblem InvalidKeyState(string message) =>
        new(new(400, "Bad Request", message, ManagementErrorCodes.InvalidKeyState));
    /// <summary>Auth0's 404 for an API that is neither an id nor an identifier of the tenant.</summary>
    public static ManagementProblem ResourceServerNotFound() =>
        new(new(404, "Not Found", "The resource server does not exist", ManagementErrorCodes.InexistentResourceServer));

    /// <summary>Auth0's 404 when a client grant names an audience that is no API (<c>POST /client-grants</c>).</summary>
    public static ManagementProblem NoResourceWithIdentifier(string audience) =>
        new(new(404, "Not Found", $"No resource with identifier {audience}", ManagementErrorCodes.InexistentResourceServer));

    public static ManagementProblem ClientNotFound() =>
        new(new(404, "Not Found", "The client does not exist", ManagementErrorCodes.InexistentClient));

    public static ManagementProblem ClientGrantNotFound() =>
        new(new(404, "Not Found", "The client grant does not exist", ManagementErrorCodes.InexistentClientGrant));

    /// <summary>rotate-secret on a public Application: it has no secret to rotate (Latchkey gives none to spa and native).</summary>
    public static ManagementProblem PublicClientHasNoSecret(string appType) =>
        new(new(400, "Bad Request", $"The client is a {appType} application: public clients have no secret to rotate.", ManagementErrorCodes.OperationNotSupported));

    /// <summary>The built-in Management API is part of the server: it cannot be deleted (Auth0 answers 403).</summary>
    public static ManagementProblem SystemResourceServer() =>
        new(new(403, "Forbidden", "The Management API is a system resource server and cannot be deleted.", ManagementErrorCodes.OperationNotSupported));

    /// <summary>A body that is not what the endpoint accepts (Auth0: <c>Payload validation error: …</c>).</summary>
    public static ManagementProblem InvalidBody(string message) =>
        new(new(400, "Bad Request", message, ManagementErrorCodes.InvalidBody));

    /// <summary>A value the entity's rules refuse (<c>Tenants/Rules</c>), in Auth0's words around the rule's own.</summary>
    public static ManagementProblem InvalidBody(RuleProblem problem) =>
        InvalidBody($"Payload validation error: '{problem.Problem}' on property {problem.Path}.");

    /// <summary>The first of the rules' problems as <see cref="InvalidBody(RuleProblem)"/>, or null when there is none.</summary>
    public static ManagementProblem? FirstInvalid(IEnumerable<RuleProblem> problems) =>
        problems.Select(InvalidBody).FirstOrDefault();

    /// <summary>A query string that is not what the endpoint accepts (Auth0: <c>Query validation error: …</c>).</summary>
    public static ManagementProblem InvalidQuery(string message) =>
        new(new(400, "Bad Request", message, ManagementErrorCodes.InvalidQueryString));

    public static ManagementProblem Conflict(string message, string errorCode) => new(new(409, "Conflict", message, errorCode));

    public static ManagementProblem PayloadTooLarge(int limit) =>
        new(new(413, "Request Entity Too Large", $"Payload content length greater than maximum allowed: {limit}"));

    public static ManagementProblem UnsupportedMediaType() => new(new(415, "Unsupported Media Type", "Unsupported Media Type"));

    /// <summary>Auth0's rate-limit answer; <c>Retry-After</c> in seconds (RFC 9110 §10.2.3).</summary>
    public static ManagementProblem TooManyRequests(TimeSpan retryAfter) =>
        new(new(429, "Too Many Requests", "Global limit has been reached", ManagementErrorCodes.TooManyRequests),
            headers: new Dictionary<string, string>
            {
                ["Retry-After"] = RateLimit.RetryAfterHeader(retryAfter),
            });

    /// <summary>
    /// Any status answered without a body of its own, in the same shape (never an empty or HTML error): an unknown
    /// path is 404 <c>Not Found</c> (hapi's body, and so Auth0's); a known path with another method is 405 with
    /// <c>Allow</c> (RFC 9110 §15.5.6; Auth0 answers 404 there, and no Auth0 client depends on the difference).
    /// </summary>
    public static ManagementProblem ForStatus(int status) =>
        new(new(status, ReasonPhrase(status), ReasonPhrase(status)));

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
