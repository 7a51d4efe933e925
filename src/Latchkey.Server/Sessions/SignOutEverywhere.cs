using OpenIddict.Abstractions;

namespace Latchkey.Server.Sessions;

/// <summary>
/// Ends everything a user is signed in with: every login session (on every node: sessions live in the database), every
/// refresh token and pending authorization code, and the authorizations (token families) they belong to. Called on a
/// password change (RFC 9700 §4.14.2, ASVS 5.0 7.4.3: a changed password must cut off whoever knew the old one), when an
/// administrator blocks the user or ends their sessions (security catalogue RT-8, SES-6, MG-9), and by the password
/// reset flows to come. Access tokens are self-contained JWTs and live until they expire (minutes to hours).
/// </summary>
internal sealed class SignOutEverywhere(LoginSessionStore sessions, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, ILogger<SignOutEverywhere> logger)
{
    public async Task RunAsync(string userId, CancellationToken cancellationToken = default)
    {
        var ended = await sessions.RemoveAllAsync(userId, cancellationToken);
        var revoked = await tokens.RevokeBySubjectAsync(userId, cancellationToken);
        await authorizations.RevokeBySubjectAsync(userId, cancellationToken);
        logger.LogInformation("Signed user {UserId} out everywhere: {Sessions} sessions ended, {Tokens} tokens revoked.", userId, ended, revoked);
    }
}
