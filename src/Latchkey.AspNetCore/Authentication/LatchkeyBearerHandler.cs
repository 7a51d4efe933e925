using System.Text.Encodings.Web;
using System.Text.Json;
using Latchkey.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Latchkey.AspNetCore.Authentication;

/// <summary>
/// Reads <c>Authorization: Bearer …</c>, validates it with the scheme's <see cref="Validation.LatchkeyTokenValidator"/>
/// and answers failures per RFC 6750 §3: a <c>WWW-Authenticate: Bearer</c> challenge plus a JSON body
/// <c>{"error","error_description"}</c> (the OAuth error shape every token endpoint already uses).
/// </summary>
internal sealed class LatchkeyBearerHandler : AuthenticationHandler<LatchkeyBearerOptions>
{
    private const string BearerPrefix = "Bearer ";

    public LatchkeyBearerHandler(IOptionsMonitor<LatchkeyBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : base(options, logger, encoder)
    {
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers.Authorization;
        if (values.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (values.Count > 1)
        {
            return Refuse("invalid_request", "more than one Authorization header", StatusCodes.Status400BadRequest);
        }

        var header = values[0] ?? string.Empty;
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // "Bearer" alone is a malformed bearer request (RFC 6750 §3.1 invalid_request); another scheme is not ours.
            return header.Trim().Equals("Bearer", StringComparison.OrdinalIgnoreCase)
                ? Refuse("invalid_request", "missing token", StatusCodes.Status400BadRequest)
                : AuthenticateResult.NoResult();
        }

        var memo = ConnectionMemo();
        if (memo?.Entry is { } remembered && ReferenceEquals(memo.Header, header) && Options.Validator!.IsStillValid(remembered))
        {
            return AuthenticateResult.Success(new AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(remembered.CreateIdentity()), Scheme.Name));
        }

        var token = header.AsMemory(BearerPrefix.Length).Trim(' ');
        if (token.IsEmpty || token.Span.IndexOfAny(' ', '\t', ',') >= 0)
        {
            return Refuse("invalid_request", "malformed Authorization header", StatusCodes.Status400BadRequest);
        }

        Validation.TokenValidationOutcome outcome;
        try
        {
            outcome = await Options.Validator!.ValidateAsync(token);
        }
#pragma warning disable CA1031 // A bad token must end in a 401, never a 500, whatever the parsing libraries throw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Logger.LogError(ex, "Validating a bearer token failed unexpectedly; answering 401.");
            return Refuse("invalid_token", "invalid token", StatusCodes.Status401Unauthorized);
        }

        if (memo is not null)
        {
            memo.Header = header;
            memo.Entry = outcome.Entry;
        }

        return outcome.Principal is not null
            ? AuthenticateResult.Success(new AuthenticationTicket(outcome.Principal, Scheme.Name))
            : Refuse(outcome.Error!, outcome.Description!, StatusCodes.Status401Unauthorized);
    }

    /// <summary>
    /// This scheme's per-connection memo for HTTP/1.x requests (null for HTTP/2 and HTTP/3, whose streams run concurrently).
    /// </summary>
    private ConnectionTokenMemo? ConnectionMemo()
    {
        if (!HttpProtocol.IsHttp11(Request.Protocol) && !HttpProtocol.IsHttp10(Request.Protocol))
        {
            return null;
        }

        var items = Context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null)
        {
            return null;
        }

        // Keyed by this scheme's validator: two schemes (two audiences) on one connection each keep their own memo.
        var key = Options.Validator!;
        if (items.TryGetValue(key, out var existing) && existing is ConnectionTokenMemo memo)
        {
            return memo;
        }

        memo = new ConnectionTokenMemo();
        items[key] = memo;
        return memo;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            return;
        }

        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is BearerTokenException refused)
        {
            await WriteAsync(refused.StatusCode, $"Bearer error=\"{refused.Error}\", error_description=\"{refused.Message}\"", refused.Error, refused.Message);
        }
        else if (result.Failure is not null)
        {
            // An unexpected failure inside validation: still a 401 for the caller, never a 500.
            Logger.LogWarning(result.Failure, "Bearer authentication failed unexpectedly.");
            await WriteAsync(StatusCodes.Status401Unauthorized, "Bearer error=\"invalid_token\", error_description=\"invalid token\"", "invalid_token", "invalid token");
        }
        else
        {
            // No credentials: RFC 6750 §3.1 says no error code in the challenge.
            await WriteAsync(StatusCodes.Status401Unauthorized, "Bearer", "unauthorized", "a bearer access token is required");
        }
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var scope = Context.Items.TryGetValue(InsufficientScope.ItemKey, out var value) ? value as string : null;
        var challenge = scope is null
            ? "Bearer error=\"insufficient_scope\", error_description=\"insufficient scope\""
            : $"Bearer error=\"insufficient_scope\", error_description=\"insufficient scope\", scope=\"{scope}\"";
        return WriteAsync(StatusCodes.Status403Forbidden, challenge, "insufficient_scope", scope is null ? "insufficient scope" : $"insufficient scope, required: {scope}");
    }

    private static AuthenticateResult Refuse(string error, string description, int status) =>
        AuthenticateResult.Fail(new BearerTokenException(error, description, status));

    private async Task WriteAsync(int status, string challenge, string error, string description)
    {
        Response.StatusCode = status;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, challenge);
        Response.Headers.CacheControl = "no-store";
        Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(Response.Body);
        writer.WriteStartObject();
        writer.WriteString("error", error);
        writer.WriteString("error_description", description);
        writer.WriteEndObject();
    }
}
