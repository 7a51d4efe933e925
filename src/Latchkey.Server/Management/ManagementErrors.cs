namespace Latchkey.Server.Management;

/// <summary>
/// The Management API's errors, with Auth0's texts where they are known (auth0-wire.md R15.4) and the RFC 6750
/// <c>WWW-Authenticate</c> challenge on 401 and 403.
/// </summary>
internal static class ManagementErrors
{
    public static IResult MissingAuthentication() =>
        Write(new(401, "Unauthorized", "Missing authentication"), "Bearer realm=\"Latchkey Management API\"");

    public static IResult BadAuthorizationHeader() =>
        Write(new(400, "Bad Request", "Bad HTTP authentication header format", "Bearer"));

    public static IResult InvalidToken() =>
        Write(new(401, "Unauthorized", "Invalid token", Attributes: new Dictionary<string, string> { ["error"] = "Invalid token" }),
            "Bearer realm=\"Latchkey Management API\", error=\"invalid_token\"");

    /// <summary>Auth0: <c>Insufficient scope, expected any of: read:users,read:current_user</c>.</summary>
    public static IResult InsufficientScope(params string[] expected) =>
        Write(new(403, "Forbidden", $"Insufficient scope, expected any of: {string.Join(',', expected)}", "insufficient_scope"),
            $"Bearer realm=\"Latchkey Management API\", error=\"insufficient_scope\", scope=\"{string.Join(' ', expected)}\"");

    /// <summary>A current-user token used on another user's id: the scopes only ever cover the token's own <c>sub</c>.</summary>
    public static IResult OtherUser() =>
        Write(new(403, "Forbidden", "A current_user token can only access the user it was issued to.", "insufficient_scope"),
            "Bearer realm=\"Latchkey Management API\", error=\"insufficient_scope\"");

    public static IResult UserNotFound() => Write(new(404, "Not Found", "The user does not exist.", "inexistent_user"));

    public static IResult NotFound(string message, string errorCode) => Write(new(404, "Not Found", message, errorCode));

    public static IResult BadRequest(string message, string errorCode = "invalid_body") => Write(new(400, "Bad Request", message, errorCode));

    public static IResult Conflict(string message, string errorCode) => Write(new(409, "Conflict", message, errorCode));

    public static IResult PayloadTooLarge(int limit) => Write(new(413, "Request Entity Too Large", $"Payload content length greater than maximum allowed: {limit}"));

    public static IResult UnsupportedMediaType() => Write(new(415, "Unsupported Media Type", "Unsupported Media Type"));

    private static ErrorResult Write(ManagementError error, string? challenge = null) => new(error, challenge);

    private sealed class ErrorResult(ManagementError error, string? challenge) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (challenge is not null)
            {
                httpContext.Response.Headers.WWWAuthenticate = challenge;
            }

            httpContext.Response.Headers.CacheControl = "no-store";
            return Results.Json(error, statusCode: error.StatusCode).ExecuteAsync(httpContext);
        }
    }
}
