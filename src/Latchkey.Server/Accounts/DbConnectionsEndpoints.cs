using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Email;
using Latchkey.Server.Hosting;
using Latchkey.Server.Hosting.Cors;
using Latchkey.Server.Login;
using Latchkey.Server.Logs;
using Latchkey.Server.Operations;
using Latchkey.Server.Persistence;
using Latchkey.Server.Protocol.Requests;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;

namespace Latchkey.Server.Accounts;

/// <summary>
/// Auth0's Authentication API for database connections, as <c>auth0-js</c> calls it (<c>DBConnection.prototype.signup</c>
/// and <c>changePassword</c>): <c>POST /dbconnections/signup</c> and <c>POST /dbconnections/change_password</c>, JSON
/// bodies, CORS for the Applications' origins. Errors in Auth0's shape for these endpoints,
/// <c>{name, code, description, statusCode}</c>, which auth0-js turns into <c>err.code</c>/<c>err.description</c>.
/// </summary>
internal static class DbConnectionsEndpoints
{
    public const string SignUpPath = "/dbconnections/signup";
    public const string ChangePasswordPath = "/dbconnections/change_password";

    /// <summary>Auth0's answer to a change-password request, whether or not the email has an account.</summary>
    public const string ChangePasswordAnswer = "We've just sent you an email to reset your password.";

    public static void Map(WebApplication app)
    {
        app.MapPost(SignUpPath, SignUpAsync).RequireCors(ClientCorsPolicyProvider.PolicyName).RequireRateLimiting(RateLimitServiceCollectionExtensions.DbConnectionsPolicy);
        app.MapPost(ChangePasswordPath, ChangePasswordAsync).RequireCors(ClientCorsPolicyProvider.PolicyName).RequireRateLimiting(RateLimitServiceCollectionExtensions.DbConnectionsPolicy);
    }

    /// <summary>The answer past <c>Latchkey:RateLimits:DbConnections</c>: the same 429 body as the per-address and per-email limits (status and <c>Retry-After</c> are set by the policy).</summary>
    internal static Task WriteRateLimitedAsync(HttpContext http) => TooMany().ExecuteAsync(http);

    private static async Task<IResult> SignUpAsync(HttpContext http, TenantCache tenants, SignUpService signUp, LoginThrottleService throttle, AccountMail mail, TenantLog log)
    {
        var (body, failure) = await ReadAsync(http, tenants);
        if (failure is not null)
        {
            return failure;
        }

        if (Text(body!, "email") is not { Length: > 0 } email || Text(body!, "password") is not { Length: > 0 } password)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_body", "Missing required property: " + (Text(body!, "email") is { Length: > 0 } ? "password" : "email"));
        }

        var clientId = Text(body!, "client_id");
        if ((await tenants.GetAsync(http.RequestAborted)).Connection.DisableSignup)
        {
            return Error(StatusCodes.Status400BadRequest, "operation_not_allowed", "public signup is disabled");
        }

        if (ProfileProblem(body!) is { } profileProblem)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_signup", profileProblem);
        }

        // Auth0's suspicious-IP throttling for sign-ups (BF-6), and the hourly limits on verification mail.
        var ip = LoginThrottleService.KeyFor(http.Connection.RemoteIpAddress);
        if (!await throttle.TryCountSignUpAsync(ip, http.RequestAborted)
            || (EmailAddress.TryNormalize(email, out _, out var normalized, out _) && !await throttle.TryCountAccountMailAsync(normalized, ip, http.RequestAborted)))
        {
            log.Write(LoginLog.SignUp(http, email, clientId, user: null, "Too many sign-ups"));
            return TooMany();
        }

        var (user, field, problem) = await signUp.CreateAsync(email, password, user => ApplyProfile(user, body!), signsIn: false, http.RequestAborted);
        log.Write(LoginLog.SignUp(http, email, clientId, user, problem));
        if (user is null)
        {
            return field == "password" ? PasswordError(problem!)
                : problem == SignUpService.AccountExists ? Error(StatusCodes.Status400BadRequest, "invalid_signup", "Invalid sign up")
                : Error(StatusCodes.Status400BadRequest, "invalid_signup", problem!);
        }

        // Sign-up works without mail (the user is simply unverified); the verification link goes out when mail can be sent.
        await mail.SendVerificationAsync(user, clientId, http.RequestAborted);

        // Auth0's answer: the id without its provider prefix, email_verified, email, and the profile fields given.
        var answer = new JsonObject
        {
            ["_id"] = user.UserId[(user.UserId.IndexOf('|', StringComparison.Ordinal) + 1)..],
            ["email_verified"] = user.EmailVerified,
            ["email"] = user.Email,
        };
        foreach (var name in ProfileFields)
        {
            if (Text(body!, name) is { } value)
            {
                answer[name] = value;
            }
        }

        if (body!["user_metadata"] is JsonObject metadata)
        {
            answer["user_metadata"] = metadata.DeepClone();
        }

        return Results.Json(answer);
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext http, TenantCache tenants, LatchkeyDbContext db, LoginThrottleService throttle, AccountMail mail, TenantLog log)
    {
        var (body, failure) = await ReadAsync(http, tenants);
        if (failure is not null)
        {
            return failure;
        }

        if (Text(body!, "email") is not { Length: > 0 } email)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_body", "Missing required property: email");
        }

        if (!mail.CanSend)
        {
            return Error(StatusCodes.Status400BadRequest, "email_not_configured", MailQueue.NotConfigured);
        }

        if (!EmailAddress.TryNormalize(email, out _, out var normalized, out _))
        {
            // Nothing can be sent to it; the same answer as for an address without an account.
            return Results.Text(ChangePasswordAnswer, "text/html; charset=utf-8");
        }

        if (!await throttle.TryCountAccountMailAsync(normalized, LoginThrottleService.KeyFor(http.Connection.RemoteIpAddress), http.RequestAborted))
        {
            log.Write(LogEntry.For(http, LogEventTypes.FailedChangePasswordRequest) with { UserName = email, ClientId = Text(body!, "client_id"), Description = "Too many password reset requests" });
            return TooMany();
        }

        await AccountPages.SendResetAsync(http, db, mail, log, normalized, email, Text(body!, "client_id"));
        return Results.Text(ChangePasswordAnswer, "text/html; charset=utf-8");
    }

    /// <summary>Reads the JSON body and checks <c>client_id</c> and <c>connection</c>; the failure is the answer to send.</summary>
    private static async Task<(JsonObject? Body, IResult? Failure)> ReadAsync(HttpContext http, TenantCache tenants)
    {
        if (!(http.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return (null, Error(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the body as application/json."));
        }

        JsonObject? body;
        try
        {
            var bytes = await RequestBodyReader.ReadBoundedAsync(http.Request.Body, http.RequestAborted);
            body = StrictJson.ParseNode(bytes, maxDepth: 8) as JsonObject;
        }
        catch (InvalidDataException)
        {
            return (null, Error(StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"The body is larger than {RequestBodyReader.MaxBodyBytes} bytes."));
        }
        catch (Exception ex) when (ex is JsonException or IOException or BadHttpRequestException)
        {
            return (null, Error(StatusCodes.Status400BadRequest, "invalid_body", "The body is not a JSON object: " + ex.Message));
        }

        if (body is null)
        {
            return (null, Error(StatusCodes.Status400BadRequest, "invalid_body", "The body is not a JSON object."));
        }

        var snapshot = await tenants.GetAsync(http.RequestAborted);
        if (Text(body, "client_id") is not { } clientId || !snapshot.Applications.ContainsKey(clientId))
        {
            return (null, Error(StatusCodes.Status400BadRequest, "invalid_client", "Unknown client_id."));
        }

        if (Text(body, "connection") is not { } connection || !string.Equals(connection, snapshot.Connection.Name, StringComparison.Ordinal))
        {
            return (null, Error(StatusCodes.Status400BadRequest, "invalid_connection", "connection not found"));
        }

        return (body, null);
    }

    private static readonly string[] ProfileFields = ["given_name", "family_name", "name", "nickname", "picture"];

    private static string? ProfileProblem(JsonObject body)
    {
        foreach (var name in ProfileFields)
        {
            if (body[name] is { } node && (node.GetValueKind() != JsonValueKind.String
                || (name == "picture" ? UserRules.Picture(node.GetValue<string>()) : UserRules.Name(node.GetValue<string>())) is not null))
            {
                return $"Invalid {name}.";
            }
        }

        // Auth0: user_metadata on sign-up is an object of strings.
        if (body["user_metadata"] is { } metadata
            && (metadata is not JsonObject members || members.Any(m => m.Value?.GetValueKind() != JsonValueKind.String) || UserRules.Metadata(members.ToJsonString()) is not null))
        {
            return "Invalid user_metadata: an object of strings.";
        }

        return null;
    }

    private static void ApplyProfile(User user, JsonObject body)
    {
        user.GivenName = Text(body, "given_name");
        user.FamilyName = Text(body, "family_name");
        user.Name = Text(body, "name");
        user.Nickname = Text(body, "nickname") ?? user.Nickname;
        user.Picture = Text(body, "picture");
        if (body["user_metadata"] is JsonObject metadata)
        {
            user.UserMetadata = metadata.ToJsonString();
        }
    }

    /// <summary>Auth0's password errors: <c>invalid_password</c>, with the policy in words.</summary>
    private static IResult PasswordError(string problem)
    {
        var (name, message) = problem.Contains("too common", StringComparison.Ordinal) ? ("PasswordDictionaryError", "Password is too common")
            : problem.Contains("email", StringComparison.Ordinal) ? ("PasswordNoUserInfoError", "Password is based on user information")
            : ("PasswordStrengthError", "Password is too weak");
        return Results.Json(
            new JsonObject
            {
                ["name"] = name,
                ["message"] = message,
                ["code"] = "invalid_password",
                ["description"] = new JsonObject
                {
                    ["rules"] = new JsonArray(new JsonObject { ["message"] = problem, ["verified"] = false }),
                    ["verified"] = false,
                },
                ["policy"] = "* " + problem,
                ["statusCode"] = StatusCodes.Status400BadRequest,
            },
            statusCode: StatusCodes.Status400BadRequest);
    }

    private static IResult TooMany() => Results.Json(
        new JsonObject { ["error"] = "too_many_attempts", ["error_description"] = "Too many requests from this address or for this email. Wait and try again." },
        statusCode: StatusCodes.Status429TooManyRequests);

    private static IResult Error(int status, string code, string description) => Results.Json(
        new JsonObject { ["name"] = status == 400 ? "BadRequestError" : "Error", ["code"] = code, ["description"] = description, ["statusCode"] = status },
        statusCode: status);

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
