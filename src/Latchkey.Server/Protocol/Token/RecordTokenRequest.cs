using Latchkey.Server.Logs;
using Latchkey.Server.Operations;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Records each token endpoint answer as it is sent: the metric (grant type and outcome, <c>issued</c> or the OAuth error
/// code; tag values are constants, an unknown grant type counts as <c>other</c>, so a client cannot mint time series)
/// and the tenant log entry in Auth0's exchange types (<c>seccft</c>/<c>feccft</c>, <c>seacft</c>/<c>feacft</c>,
/// <c>sertft</c>/<c>fertft</c>, <c>ferrt</c> for a reused rotating refresh token). The log entry is only queued
/// (<see cref="TenantLog"/>): nothing here waits for the database.
/// </summary>
internal sealed class RecordTokenRequest(LatchkeyMetrics metrics, TenantLog log) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    /// <summary>Transaction property: the user whose rotated refresh token was presented again (reuse detected).</summary>
    public const string ReusedRefreshTokenSubject = "latchkey:reused_refresh_token_subject";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<RecordTokenRequest>()
            .SetOrder(int.MinValue + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var grantType = GrantTypeTag(context.Request?.GrantType);
        var error = context.Response.Error;
        metrics.TokenRequest(grantType, error ?? "issued");
        if (log.Enabled && LogType(context, grantType, error) is { } type)
        {
            log.Write(LogEntryFor(context, type, error));
        }

        return ValueTask.CompletedTask;
    }

    private static string? LogType(ApplyTokenResponseContext context, string grantType, string? error) => grantType switch
    {
        GrantTypes.ClientCredentials => error is null ? LogEventTypes.SuccessClientCredentialsExchange : LogEventTypes.FailedClientCredentialsExchange,
        GrantTypes.AuthorizationCode => error is null ? LogEventTypes.SuccessCodeExchange : LogEventTypes.FailedCodeExchange,
        GrantTypes.RefreshToken when context.Transaction.Properties.ContainsKey(ReusedRefreshTokenSubject) => LogEventTypes.RefreshTokenReuse,
        GrantTypes.RefreshToken => error is null ? LogEventTypes.SuccessRefreshExchange : LogEventTypes.FailedRefreshExchange,
        _ => null,
    };

    private static LogEntry LogEntryFor(ApplyTokenResponseContext context, string type, string? error)
    {
        var http = context.Transaction.GetHttpRequest()?.HttpContext;
        var entry = http is null ? new LogEntry(type) : LogEntry.For(http, type);

        // The user: the subject of the code or refresh token OpenIddict validated, or of the reused refresh token.
        var validated = context.Transaction.GetProperty<ValidateTokenRequestContext>(typeof(ValidateTokenRequestContext).FullName!);
        var subject = context.Transaction.GetProperty<string>(ReusedRefreshTokenSubject) ?? (validated?.AuthorizationCodePrincipal ?? validated?.RefreshTokenPrincipal)?.GetClaim(Claims.Subject);

        // Our error descriptions are fixed texts (NormalizeTokenErrors): never a token, code or secret.
        return entry with
        {
            ClientId = context.Request?.ClientId,
            UserId = string.IsNullOrEmpty(subject) ? null : subject,
            Description = error is null ? null : context.Response.ErrorDescription ?? error,
        };
    }

    private static string GrantTypeTag(string? grantType) => grantType switch
    {
        GrantTypes.AuthorizationCode => GrantTypes.AuthorizationCode,
        GrantTypes.RefreshToken => GrantTypes.RefreshToken,
        GrantTypes.ClientCredentials => GrantTypes.ClientCredentials,
        GrantTypes.Password => GrantTypes.Password,
        null or "" => "none",
        _ => "other",
    };
}
